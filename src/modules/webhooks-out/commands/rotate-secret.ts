import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { webhookSubscriptions } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockSubscription, newSubscriptionSecret, type WebhookSubscriptionRow } from '../subscriptions.repo.js';

/**
 * Replaces a subscription's signing secret: every attempt from the commit on (retries of older
 * deliveries included) is signed with the new one, shown only in this answer. The event records
 * that it happened, never the secret.
 */
export async function rotateSubscriptionSecret(
  ctx: TxCtx,
  input: { subscriptionId: string },
): Promise<{ subscription: WebhookSubscriptionRow; secret: string }> {
  const policy = await policyFor(ctx);
  const before = await lockSubscription(ctx, input.subscriptionId);
  policy.authorize('corp.settings');
  const secret = newSubscriptionSecret();
  const [row] = await ctx.tx
    .update(webhookSubscriptions)
    .set({ secret, updatedAt: new Date() })
    .where(and(eq(webhookSubscriptions.corpId, ctx.corpId), eq(webhookSubscriptions.subscriptionId, before.subscriptionId)))
    .returning();
  await recordEvent(ctx, { type: 'webhook_subscription.secret_rotated', subjectType: 'webhook_subscription', subjectId: before.subscriptionId });
  return { subscription: row!, secret };
}
