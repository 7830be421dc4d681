import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { employees } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { forbidden, policyFor } from '../../../policies/index.js';
import { mayAssignRole } from '../../../policies/role-grants.js';
import { hashPassword, minPasswordLength } from '../../auth/passwords.js';
import { endSessionsOf } from '../../auth/sessions.js';
import { actorDataScope, findRole } from '../../permissions/roles.queries.js';
import { lockEmployee } from '../org.repo.js';

/**
 * Sets an active employee's console password (an admin's reset, or demo seeding). Their existing
 * sessions end, so a reset after a leak locks the leaker out. Nobody may reset the password of
 * someone whose role is stronger than their own, or they could log in as them.
 */
export async function setEmployeePassword(ctx: TxCtx, input: { userid: string; password: string }): Promise<{ userid: string; sessionsEnded: number }> {
  const policy = await policyFor(ctx);
  const employee = await lockEmployee(ctx, input.userid);
  policy.authorize('org.manage');
  if (!policy.can('org.manage', { type: 'employee', userid: employee.userid }))
    throw new AppError('employee_not_found', { message: `No employee with userid "${input.userid}" in your reach.` });
  const role = await findRole(ctx, employee.role);
  if (role && !mayAssignRole(policy, role, await actorDataScope(ctx)))
    throw forbidden(`Not allowed to set the password of a holder of the role "${role.roleId}".`);
  if (employee.status !== 'active') throw new AppError('conflict', { message: `"${employee.userid}" has left; a password would not let them in.` });
  if ([...input.password].length < minPasswordLength)
    throw new AppError('validation_failed', {
      message: `A password needs at least ${minPasswordLength} characters.`,
      details: [{ path: 'body.password', message: `at least ${minPasswordLength} characters` }],
    });
  const passwordHash = await hashPassword(input.password);
  await ctx.tx
    .update(employees)
    .set({ passwordHash })
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, employee.userid)));
  const sessionsEnded = await endSessionsOf(ctx, employee.userid);
  // Only the fact goes into the audit log, never the hash.
  await recordEvent(ctx, { type: 'employee.password_set', subjectType: 'employee', subjectId: employee.userid, payload: { sessionsEnded } });
  return { userid: employee.userid, sessionsEnded };
}
