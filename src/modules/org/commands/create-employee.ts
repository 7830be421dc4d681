import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { employees } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkName } from '../../../names/check-name.js';
import { namedThings } from '../../../names/named-things.js';
import { forbidden, policyFor } from '../../../policies/index.js';
import { mayAssignRole } from '../../../policies/role-grants.js';
import { actorDataScope, findRole } from '../../permissions/roles.queries.js';
import { type EmployeeRow, employeeSnapshot, lockOrg, unknownDepartments } from '../org.repo.js';

/** A new employee (WeCom member): userid, name, departments and a role. */
export type CreateEmployeeInput = { userid: string; name: string; departmentIds: number[]; role: string };

/**
 * Adds an employee. The departments and the role must exist (400), and the actor must be allowed
 * to hand out that role (see `mayAssignRole`). New employees have no console password yet.
 */
export async function createEmployee(ctx: TxCtx, input: CreateEmployeeInput): Promise<EmployeeRow> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('org.manage');
  const name = checkName(input.name, { ...namedThings.employee, path: 'body.name' });
  const role = await findRole(ctx, input.role);
  const problems = [
    ...(await unknownDepartments(ctx, input.departmentIds, 'body.departmentIds')),
    ...(role ? [] : [{ path: 'body.role', message: `no role "${input.role}"` }]),
  ];
  if (problems.length > 0 || !role) throw new AppError('validation_failed', { message: 'Unknown departments or role.', details: problems });
  if (!mayAssignRole(policy, role, await actorDataScope(ctx))) throw forbidden(`Not allowed to give the role "${role.roleId}": it grants more than yours.`);
  const [existing] = await ctx.tx
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, input.userid)));
  if (existing)
    throw new AppError('conflict', { message: `An employee with userid "${input.userid}" exists.`, details: [{ path: 'body.userid', message: 'taken' }] });
  const [row] = await ctx.tx
    .insert(employees)
    .values({ corpId: ctx.corpId, userid: input.userid, name, departmentIds: [...new Set(input.departmentIds)], role: role.roleId })
    .returning();
  await recordEvent(ctx, { type: 'employee.created', subjectType: 'employee', subjectId: row!.userid, after: employeeSnapshot(row!) });
  return row!;
}
