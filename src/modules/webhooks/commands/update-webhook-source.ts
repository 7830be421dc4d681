import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { type WebhookMapping, webhookSources } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { mappingProblems } from '../mapping/mapping.js';
import { lockWebhookSource, type WebhookSourceRow, webhookSourceSnapshot } from '../webhooks.repo.js';

/** What to change on a source; the secret changes only by rotation. */
export type UpdateWebhookSourceInput = { sourceId: string; name?: string; mapping?: WebhookMapping; enabled?: boolean };

/**
 * Renames a source, replaces its mapping (checked as at creation) or pauses / resumes it. A paused
 * source refuses deliveries (logged), so a sender's retries show up in the delivery list.
 */
export async function updateWebhookSource(ctx: TxCtx, input: UpdateWebhookSourceInput): Promise<WebhookSourceRow> {
  const policy = await policyFor(ctx);
  const before = await lockWebhookSource(ctx, input.sourceId);
  policy.authorize('rule.manage');
  if (input.mapping) {
    const problems = mappingProblems(input.mapping, 'body.mapping');
    if (problems.length > 0) throw new AppError('validation_failed', { message: 'The mapping is not valid.', details: problems });
  }
  const [after] = await ctx.tx
    .update(webhookSources)
    .set({ name: input.name?.trim() ?? before.name, mapping: input.mapping ?? before.mapping, enabled: input.enabled ?? before.enabled, updatedAt: new Date() })
    .where(and(eq(webhookSources.corpId, ctx.corpId), eq(webhookSources.sourceId, before.sourceId)))
    .returning();
  await recordEvent(ctx, {
    type: 'webhook_source.updated',
    subjectType: 'webhook_source',
    subjectId: before.sourceId,
    before: webhookSourceSnapshot(before),
    after: webhookSourceSnapshot(after!),
  });
  return after!;
}
