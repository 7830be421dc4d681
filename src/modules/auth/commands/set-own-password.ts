import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { employees } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { requireEmployeeActor } from '../../../policies/index.js';
import { endSessionsOf } from '../sessions.js';

/**
 * Stores the acting employee's new password hash (the caller has checked the current password)
 * and ends their other sessions, so a changed password locks out whoever else knew the old one.
 */
export async function setOwnPassword(ctx: TxCtx, input: { passwordHash: string; keepTokenHash?: string }): Promise<{ sessionsEnded: number }> {
  requireEmployeeActor(ctx.actor, 'Only an employee has a password to change.');
  const userid = ctx.actor.userid;
  const [me] = await ctx.tx
    .select({ status: employees.status })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, userid)))
    .for('update');
  if (me?.status !== 'active') throw new AppError('unauthorized', { message: 'The session has ended; log in again.' });
  await ctx.tx
    .update(employees)
    .set({ passwordHash: input.passwordHash })
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, userid)));
  const sessionsEnded = await endSessionsOf(ctx, userid, input.keepTokenHash);
  // The hash never goes into the audit log; only the fact of the change does.
  await recordEvent(ctx, { type: 'employee.password_changed', subjectType: 'employee', subjectId: userid, payload: { sessionsEnded } });
  return { sessionsEnded };
}
