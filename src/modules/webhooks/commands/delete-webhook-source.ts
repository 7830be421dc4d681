import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { webhookDeliveries, webhookSources } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockWebhookSource, webhookSourceSnapshot } from '../webhooks.repo.js';

/**
 * Deletes a source and its delivery log: its URL stops answering (404) at once. The behaviour facts
 * it recorded stay, since audiences and rules already count them.
 */
export async function deleteWebhookSource(ctx: TxCtx, input: { sourceId: string }): Promise<{ deliveriesDeleted: number }> {
  const policy = await policyFor(ctx);
  const before = await lockWebhookSource(ctx, input.sourceId);
  policy.authorize('rule.manage');
  const deleted = await ctx.tx
    .delete(webhookDeliveries)
    .where(and(eq(webhookDeliveries.corpId, ctx.corpId), eq(webhookDeliveries.sourceId, before.sourceId)))
    .returning({ id: webhookDeliveries.id });
  await ctx.tx.delete(webhookSources).where(and(eq(webhookSources.corpId, ctx.corpId), eq(webhookSources.sourceId, before.sourceId)));
  await recordEvent(ctx, {
    type: 'webhook_source.deleted',
    subjectType: 'webhook_source',
    subjectId: before.sourceId,
    before: webhookSourceSnapshot(before),
    payload: { deliveriesDeleted: deleted.length },
  });
  return { deliveriesDeleted: deleted.length };
}
