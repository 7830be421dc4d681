import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { employees } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkOptionalName } from '../../../names/check-name.js';
import { namedThings } from '../../../names/named-things.js';
import { forbidden, policyFor } from '../../../policies/index.js';
import { mayAssignRole } from '../../../policies/role-grants.js';
import { endSessionsOf } from '../../auth/sessions.js';
import { actorDataScope, findRole } from '../../permissions/roles.queries.js';
import { type EmployeeRow, employeeSnapshot, lockEmployee, lockOrg, unknownDepartments } from '../org.repo.js';

/** What to change on an employee; `status: 'left'` marks them departed (离职). */
export type UpdateEmployeeInput = { userid: string; name?: string; departmentIds?: number[]; role?: string; status?: 'active' | 'left' };

/**
 * Edits an employee inside the actor's reach (others do not exist for them: 404). The actor must be
 * allowed to manage the employee's current role and to give the new one. Leaving ends the
 * employee's console sessions at once; their customers and personal tags stay for handover.
 */
export async function updateEmployee(ctx: TxCtx, input: UpdateEmployeeInput): Promise<EmployeeRow> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('org.manage');
  const before = await lockEmployee(ctx, input.userid);
  if (!policy.can('org.manage', { type: 'employee', userid: before.userid }))
    throw new AppError('employee_not_found', { message: `No employee with userid "${input.userid}" in your reach.` });
  const name = checkOptionalName(input.name, { ...namedThings.employee, path: 'body.name' });
  const scope = await actorDataScope(ctx);
  const current = await findRole(ctx, before.role);
  if (current && !mayAssignRole(policy, current, scope))
    throw forbidden(`Not allowed to manage a holder of the role "${current.roleId}": it grants more than yours.`);
  const next = input.role === undefined || input.role === before.role ? current : await findRole(ctx, input.role);
  const problems = [
    ...(await unknownDepartments(ctx, input.departmentIds ?? [], 'body.departmentIds')),
    ...(next || input.role === undefined ? [] : [{ path: 'body.role', message: `no role "${input.role}"` }]),
  ];
  if (problems.length > 0) throw new AppError('validation_failed', { message: 'Unknown departments or role.', details: problems });
  if (next && next !== current && !mayAssignRole(policy, next, scope))
    throw forbidden(`Not allowed to give the role "${next.roleId}": it grants more than yours.`);
  const [after] = await ctx.tx
    .update(employees)
    .set({
      name: name ?? before.name,
      departmentIds: input.departmentIds ? [...new Set(input.departmentIds)] : before.departmentIds,
      role: input.role ?? before.role,
      status: input.status ?? before.status,
    })
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, before.userid)))
    .returning();
  const sessionsEnded = after!.status === 'left' ? await endSessionsOf(ctx, after!.userid) : 0;
  await recordEvent(ctx, {
    type: 'employee.updated',
    subjectType: 'employee',
    subjectId: before.userid,
    before: employeeSnapshot(before),
    after: employeeSnapshot(after!),
    payload: sessionsEnded > 0 ? { sessionsEnded } : undefined,
  });
  return after!;
}
