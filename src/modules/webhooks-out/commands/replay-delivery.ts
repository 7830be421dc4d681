import { and, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { webhookOutbox } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockSubscription } from '../subscriptions.repo.js';

/** A delivery row as stored. */
export type OutboxRow = typeof webhookOutbox.$inferSelect;

/**
 * Sends a dead or delivered delivery again: back to pending, due now, its attempts counted afresh,
 * with the same idempotency key and body (a receiver that already took it can tell). A pending one
 * is refused (`conflict`): it is on its way already.
 */
export async function replayDelivery(ctx: TxCtx, input: { deliveryId: string }): Promise<OutboxRow> {
  const policy = await policyFor(ctx);
  const [row] = await ctx.tx
    .select()
    .from(webhookOutbox)
    .where(and(eq(webhookOutbox.corpId, ctx.corpId), eq(webhookOutbox.deliveryId, input.deliveryId)))
    .for('update');
  if (!row)
    throw new AppError('not_found', { message: `No webhook delivery "${input.deliveryId}".`, details: [{ path: 'params.deliveryId', message: 'unknown' }] });
  policy.authorize('corp.settings');
  if (row.status === 'pending')
    throw new AppError('conflict', {
      message: 'The delivery is still pending; only a dead or delivered one can be replayed.',
      details: [{ path: 'params.deliveryId', message: 'pending' }],
    });
  const [after] = await ctx.tx
    .update(webhookOutbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), deliveredAt: null })
    .where(and(eq(webhookOutbox.corpId, ctx.corpId), eq(webhookOutbox.deliveryId, row.deliveryId)))
    .returning();
  await recordEvent(ctx, {
    type: 'webhook_delivery.replayed',
    subjectType: 'webhook_delivery',
    subjectId: row.deliveryId,
    before: { status: row.status, attempts: row.attempts },
    after: { status: 'pending' },
    payload: { subscriptionId: row.subscriptionId, idempotencyKey: row.idempotencyKey, eventType: row.eventType },
  });
  return after!;
}

/** How many dead deliveries one `replay-dead` call takes back (the rest wait for the next call). */
export const maxReplayDead = 1000;

/**
 * Sends a subscription's dead deliveries again (up to 1,000 per call, oldest first): each back to
 * pending with its idempotency key, one `webhook_delivery.replayed` event per delivery.
 */
export async function replayDeadDeliveries(ctx: TxCtx, input: { subscriptionId: string }): Promise<{ replayed: number }> {
  const policy = await policyFor(ctx);
  const sub = await lockSubscription(ctx, input.subscriptionId);
  policy.authorize('corp.settings');
  const dead = await ctx.tx
    .select()
    .from(webhookOutbox)
    .where(and(eq(webhookOutbox.corpId, ctx.corpId), eq(webhookOutbox.subscriptionId, sub.subscriptionId), eq(webhookOutbox.status, 'dead')))
    .orderBy(webhookOutbox.eventSeq)
    .limit(maxReplayDead)
    .for('update');
  if (dead.length === 0) return { replayed: 0 };
  await ctx.tx
    .update(webhookOutbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), deliveredAt: null })
    .where(
      and(
        eq(webhookOutbox.corpId, ctx.corpId),
        inArray(
          webhookOutbox.deliveryId,
          dead.map((d) => d.deliveryId),
        ),
      ),
    );
  for (const row of dead)
    await recordEvent(ctx, {
      type: 'webhook_delivery.replayed',
      subjectType: 'webhook_delivery',
      subjectId: row.deliveryId,
      before: { status: 'dead', attempts: row.attempts },
      after: { status: 'pending' },
      payload: { subscriptionId: row.subscriptionId, idempotencyKey: row.idempotencyKey, eventType: row.eventType },
    });
  return { replayed: dead.length };
}
