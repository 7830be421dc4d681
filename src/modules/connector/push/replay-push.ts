import { and, eq, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { wecomPushQueue } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';

/**
 * Puts one dead push item back in the queue (pending, attempts 0, due now) with a
 * `connector.push_replayed` event. An unknown item is `not_found`; one that is not dead is a
 * `conflict` (a pending item is already queued, a delivered one was sent).
 */
export async function replayPushItem(ctx: TxCtx, itemId: string): Promise<{ replayed: number }> {
  (await policyFor(ctx)).authorize('corp.settings');
  const [row] = await ctx.tx
    .select({ status: wecomPushQueue.status, op: wecomPushQueue.op })
    .from(wecomPushQueue)
    .where(and(eq(wecomPushQueue.corpId, ctx.corpId), eq(wecomPushQueue.itemId, itemId)))
    .for('update');
  if (!row) throw new AppError('not_found', { message: `No push item ${itemId}.` });
  if (row.status !== 'dead') throw new AppError('conflict', { message: `Push item ${itemId} is ${row.status}, not dead: only dead items can be replayed.` });
  await ctx.tx
    .update(wecomPushQueue)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()`, doneAt: null })
    .where(and(eq(wecomPushQueue.corpId, ctx.corpId), eq(wecomPushQueue.itemId, itemId)));
  await recordEvent(ctx, { type: 'connector.push_replayed', subjectType: 'corp', subjectId: ctx.corpId, payload: { itemIds: [itemId], count: 1 } });
  return { replayed: 1 };
}

/** Puts every dead push item back in the queue with one `connector.push_replayed` event (none when nothing was dead). */
export async function replayAllPushItems(ctx: TxCtx): Promise<{ replayed: number }> {
  (await policyFor(ctx)).authorize('corp.settings');
  const rows = await queryRows<{ item_id: string }>(
    ctx.tx,
    sql`update wecom_push_queue set status = 'pending', attempts = 0, next_attempt_at = now(), done_at = null
      where corp_id = ${ctx.corpId} and status = 'dead' returning item_id`,
  );
  if (rows.length === 0) return { replayed: 0 };
  // The ids are listed up to a point: a replay of 100,000 items keeps a small event.
  await recordEvent(ctx, {
    type: 'connector.push_replayed',
    subjectType: 'corp',
    subjectId: ctx.corpId,
    payload: { all: true, count: rows.length, itemIds: rows.slice(0, 100).map((r) => r.item_id) },
  });
  return { replayed: rows.length };
}
