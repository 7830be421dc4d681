import { and, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { webhookAttempts, webhookOutbox, webhookSubscriptions } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockSubscription, subscriptionSnapshot } from '../subscriptions.repo.js';

/**
 * Deletes a subscription with its deliveries and their attempts: nothing more is sent to its URL,
 * not even a retry already due (the sender only sends rows whose subscription exists and is on).
 */
export async function deleteSubscription(ctx: TxCtx, input: { subscriptionId: string }): Promise<{ deliveriesDeleted: number }> {
  const policy = await policyFor(ctx);
  const before = await lockSubscription(ctx, input.subscriptionId);
  policy.authorize('corp.settings');
  const deleted = await ctx.tx
    .delete(webhookOutbox)
    .where(and(eq(webhookOutbox.corpId, ctx.corpId), eq(webhookOutbox.subscriptionId, before.subscriptionId)))
    .returning({ deliveryId: webhookOutbox.deliveryId });
  for (let i = 0; i < deleted.length; i += 5000) {
    const ids = deleted.slice(i, i + 5000).map((d) => d.deliveryId);
    await ctx.tx.delete(webhookAttempts).where(and(eq(webhookAttempts.corpId, ctx.corpId), inArray(webhookAttempts.deliveryId, ids)));
  }
  await ctx.tx
    .delete(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.corpId, ctx.corpId), eq(webhookSubscriptions.subscriptionId, before.subscriptionId)));
  await recordEvent(ctx, {
    type: 'webhook_subscription.deleted',
    subjectType: 'webhook_subscription',
    subjectId: before.subscriptionId,
    before: subscriptionSnapshot(before),
    payload: { deliveriesDeleted: deleted.length },
  });
  return { deliveriesDeleted: deleted.length };
}
