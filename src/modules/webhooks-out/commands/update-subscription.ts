import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { webhookSubscriptions } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { filterProblems, normalizeFilter } from '../event-filter.js';
import { assertUrlAllowed, lockSubscription, subscriptionSnapshot, type WebhookSubscriptionRow } from '../subscriptions.repo.js';

/** What to change on a subscription; the secret changes only by rotation. */
export type UpdateSubscriptionInput = {
  subscriptionId: string;
  name?: string;
  url?: string;
  eventTypes?: string[];
  enabled?: boolean;
  allowPrivate: boolean;
};

/**
 * Renames a subscription, moves its URL (checked as at creation), replaces its filter or pauses /
 * resumes it. A paused subscription gets no new deliveries and its pending ones wait (they are sent
 * once it is resumed, unless they die of old age first: they are not attempted meanwhile).
 */
export async function updateSubscription(ctx: TxCtx, input: UpdateSubscriptionInput): Promise<WebhookSubscriptionRow> {
  const policy = await policyFor(ctx);
  const before = await lockSubscription(ctx, input.subscriptionId);
  policy.authorize('corp.settings');
  if (input.eventTypes) {
    const problems = filterProblems(input.eventTypes);
    if (problems.length > 0) throw new AppError('validation_failed', { message: 'The event filter selects nothing for some entries.', details: problems });
  }
  if (input.url !== undefined) await assertUrlAllowed(input.url, input.allowPrivate);
  const [after] = await ctx.tx
    .update(webhookSubscriptions)
    .set({
      name: input.name?.trim() ?? before.name,
      url: input.url ?? before.url,
      eventTypes: input.eventTypes ? normalizeFilter(input.eventTypes) : before.eventTypes,
      enabled: input.enabled ?? before.enabled,
      updatedAt: new Date(),
    })
    .where(and(eq(webhookSubscriptions.corpId, ctx.corpId), eq(webhookSubscriptions.subscriptionId, before.subscriptionId)))
    .returning();
  await recordEvent(ctx, {
    type: 'webhook_subscription.updated',
    subjectType: 'webhook_subscription',
    subjectId: before.subscriptionId,
    before: subscriptionSnapshot(before),
    after: subscriptionSnapshot(after!),
  });
  return after!;
}
