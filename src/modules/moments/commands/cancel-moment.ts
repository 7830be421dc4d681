import { and, eq, sql } from 'drizzle-orm';
import { type Ctx, type TxCtx, withTx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { moments } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { bumpMomentVersion } from '../moment-settings.js';
import { loadMoment, lockMomentVersion, type MomentRow, requireStatus } from '../moments.repo.js';
import { authorizeMomentChange } from './authorize-moment.js';

async function cancel(ctx: TxCtx, momentId: string, now: Date): Promise<MomentRow> {
  // The corp first, as every delivery writer takes it: a schedule committing meanwhile sees the new version.
  await lockMomentVersion(ctx);
  const before = await loadMoment(ctx, momentId, true);
  await authorizeMomentChange(ctx, before);
  requireStatus(before, ['scheduled', 'sending'], 'cancelled');
  // Planned copies are called off; those already sent stay sent (and keep counting against the cap).
  const [off] = await queryRows<{ n: number }>(
    ctx.tx,
    sql`with off as (update moment_deliveries set status = 'cancelled' where corp_id = ${ctx.corpId} and moment_id = ${momentId} and status = 'planned' returning 1)
      select count(*)::int as n from off`,
  );
  const [row] = await ctx.tx
    .update(moments)
    .set({ status: 'cancelled', cancelledAt: now, updatedAt: now })
    .where(and(eq(moments.corpId, ctx.corpId), eq(moments.momentId, momentId)))
    .returning();
  await recordEvent(ctx, {
    type: 'moment.cancelled',
    subjectType: 'moment',
    subjectId: momentId,
    before: { status: before.status },
    after: { status: 'cancelled' },
    payload: { deliveriesCancelled: Number(off?.n ?? 0) },
  });
  await bumpMomentVersion(ctx);
  return row!;
}

/**
 * Cancels a scheduled or sending post: its planned deliveries are cancelled, those already sent
 * stay. Runs in the caller's transaction when given one (the WeCom surface), else in its own.
 */
export async function cancelMoment(ctx: Ctx, momentId: string, now = new Date()): Promise<MomentRow> {
  return 'tx' in ctx ? cancel(ctx as TxCtx, momentId, now) : withTx(ctx, (tx) => cancel(tx, momentId, now));
}
