import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { sessions } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { requireEmployeeActor } from '../../../policies/index.js';

/** Ends the acting employee's own session (logout); a session can only end itself. */
export async function endSession(ctx: TxCtx, input: { tokenHash: string }): Promise<void> {
  requireEmployeeActor(ctx.actor, 'Only a console session can log out.');
  const ended = await ctx.tx
    .delete(sessions)
    .where(and(eq(sessions.tokenHash, input.tokenHash), eq(sessions.corpId, ctx.corpId), eq(sessions.userid, ctx.actor.userid)))
    .returning({ tokenHash: sessions.tokenHash });
  if (ended.length === 0) throw new AppError('unauthorized', { message: 'The session has already ended.' });
  await recordEvent(ctx, { type: 'employee.logged_out', subjectType: 'employee', subjectId: ctx.actor.userid });
}
