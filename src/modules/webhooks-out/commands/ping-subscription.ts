import type { TxCtx } from '../../../context.js';
import { webhookOutbox } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { pingEventType } from '../event-filter.js';
import { buildPayload } from '../payload.js';
import { lockSubscription, newDeliveryId } from '../subscriptions.repo.js';

/**
 * Queues a `ping` delivery to one subscription (whatever its filter), so an operator can check the
 * receiver and its signature check end to end. It is recorded as `webhook_subscription.pinged`; the
 * delivery is signed, retried and listed like any other.
 */
export async function pingSubscription(ctx: TxCtx, input: { subscriptionId: string }): Promise<typeof webhookOutbox.$inferSelect> {
  const policy = await policyFor(ctx);
  const sub = await lockSubscription(ctx, input.subscriptionId);
  policy.authorize('corp.settings');
  const at = new Date();
  const seq = await recordEvent(ctx, { type: 'webhook_subscription.pinged', subjectType: 'webhook_subscription', subjectId: sub.subscriptionId });
  const idempotencyKey = `${sub.subscriptionId}:${seq}`;
  const payload = buildPayload({
    idempotencyKey,
    type: pingEventType,
    at,
    corpId: ctx.corpId,
    source: ctx.source,
    subject: { type: 'webhook_subscription', id: sub.subscriptionId },
    data: { subscriptionId: sub.subscriptionId, name: sub.name },
  });
  const [row] = await ctx.tx
    .insert(webhookOutbox)
    .values({
      corpId: ctx.corpId,
      deliveryId: newDeliveryId(),
      subscriptionId: sub.subscriptionId,
      eventSeq: seq,
      eventType: pingEventType,
      payload,
      idempotencyKey,
    })
    .returning();
  return row!;
}
