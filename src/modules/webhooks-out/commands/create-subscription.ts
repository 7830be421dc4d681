import { count, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { corps, webhookSubscriptions } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { filterProblems, normalizeFilter } from '../event-filter.js';
import { assertUrlAllowed, newSubscriptionId, newSubscriptionSecret, subscriptionSnapshot, type WebhookSubscriptionRow } from '../subscriptions.repo.js';

/** How many outbound webhook subscriptions a corp may keep: each event is fanned out to all of them. */
export const maxSubscriptionsPerCorp = 20;

/** A subscription to create; `allowPrivate` is the server's `TAGLOOM_WEBHOOK_ALLOW_PRIVATE`. */
export type CreateSubscriptionInput = { name: string; url: string; eventTypes: string[]; enabled?: boolean; allowPrivate: boolean };

/**
 * Creates a subscription with a new signing secret, after checking its URL (http(s), no private
 * address) and its filter (every entry selects some event type). The secret is answered this once
 * and never recorded in the event.
 */
export async function createSubscription(ctx: TxCtx, input: CreateSubscriptionInput): Promise<{ subscription: WebhookSubscriptionRow; secret: string }> {
  const policy = await policyFor(ctx);
  policy.authorize('corp.settings');
  const problems = filterProblems(input.eventTypes);
  if (problems.length > 0) throw new AppError('validation_failed', { message: 'The event filter selects nothing for some entries.', details: problems });
  await assertUrlAllowed(input.url, input.allowPrivate);
  // Locking the corp row serializes creations, so two at once cannot both pass the limit.
  await ctx.tx.select({ corpId: corps.corpId }).from(corps).where(eq(corps.corpId, ctx.corpId)).for('update');
  const [existing] = await ctx.tx.select({ n: count() }).from(webhookSubscriptions).where(eq(webhookSubscriptions.corpId, ctx.corpId));
  if (existing!.n >= maxSubscriptionsPerCorp)
    throw new AppError('limit_exceeded', {
      message: `A corp keeps at most ${maxSubscriptionsPerCorp} webhook subscriptions.`,
      details: [{ path: 'body', message: 'too many subscriptions', limit: maxSubscriptionsPerCorp }],
    });
  const secret = newSubscriptionSecret();
  const [row] = await ctx.tx
    .insert(webhookSubscriptions)
    .values({
      corpId: ctx.corpId,
      subscriptionId: newSubscriptionId(),
      name: input.name.trim(),
      url: input.url,
      eventTypes: normalizeFilter(input.eventTypes),
      secret,
      enabled: input.enabled ?? true,
    })
    .returning();
  await recordEvent(ctx, {
    type: 'webhook_subscription.created',
    subjectType: 'webhook_subscription',
    subjectId: row!.subscriptionId,
    after: subscriptionSnapshot(row!),
  });
  return { subscription: row!, secret };
}
