import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { webhookSources } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockWebhookSource, newWebhookSecret, type WebhookSourceRow } from '../webhooks.repo.js';

/**
 * Replaces a source's secret: deliveries signed with the old one are refused (401) from the commit
 * on, so the sender must be given the new one, shown only in this answer. The event records that
 * it happened, never the secret.
 */
export async function rotateWebhookSecret(ctx: TxCtx, input: { sourceId: string }): Promise<{ source: WebhookSourceRow; secret: string }> {
  const policy = await policyFor(ctx);
  const before = await lockWebhookSource(ctx, input.sourceId);
  policy.authorize('rule.manage');
  const secret = newWebhookSecret();
  const now = new Date();
  const [row] = await ctx.tx
    .update(webhookSources)
    .set({ secret, rotatedAt: now, updatedAt: now })
    .where(and(eq(webhookSources.corpId, ctx.corpId), eq(webhookSources.sourceId, before.sourceId)))
    .returning();
  await recordEvent(ctx, { type: 'webhook_source.secret_rotated', subjectType: 'webhook_source', subjectId: before.sourceId });
  return { source: row!, secret };
}
