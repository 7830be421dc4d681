import { and, eq } from 'drizzle-orm';
import { type Ctx, withTx } from '../../context.js';
import { employees } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { forbidden } from '../../policies/index.js';
import { setOwnPassword } from './commands/set-own-password.js';
import { throttledCheck } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** A password change by the logged-in employee; `keepTokenHash` is their current session, which stays. */
export type ChangePasswordInput = { currentPassword: string; newPassword: string; keepTokenHash: string; ip: string };

/**
 * Changes the acting employee's password after checking the current one. Wrong guesses count
 * against the same limit as logins, so a borrowed session cannot be used to guess the password.
 */
export async function changePassword(ctx: Ctx, input: ChangePasswordInput): Promise<{ sessionsEnded: number }> {
  const actor = ctx.actor;
  if (actor.kind !== 'employee' || actor.viaApp) throw forbidden('Only a logged-in console user can change their password.');
  const ok = await throttledCheck(ctx.db, { corpId: ctx.corpId, username: actor.userid, ip: input.ip }, async () => {
    const [row] = await ctx.db
      .select({ hash: employees.passwordHash })
      .from(employees)
      .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, actor.userid)));
    return verifyPassword(input.currentPassword, row?.hash);
  });
  if (!ok)
    throw new AppError('validation_failed', {
      message: 'The current password is wrong.',
      details: [{ path: 'body.currentPassword', message: 'does not match' }],
    });
  // Hashing is slow on purpose; do it before the transaction so no lock is held meanwhile.
  const passwordHash = await hashPassword(input.newPassword);
  return withTx(ctx, (tx) => setOwnPassword(tx, { passwordHash, keepTokenHash: input.keepTokenHash }));
}
