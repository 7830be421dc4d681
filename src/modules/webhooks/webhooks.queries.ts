import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { type WebhookOutcome, webhookDeliveries, webhookSources } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import type { WebhookSourceRow } from './webhooks.repo.js';

/** A logged delivery row. */
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** The corp's webhook sources, oldest first. Needs `rule.manage` (sources feed tagging rules). */
export async function listWebhookSources(ctx: Ctx): Promise<WebhookSourceRow[]> {
  (await policyFor(ctx)).authorize('rule.manage');
  return reader(ctx)
    .select()
    .from(webhookSources)
    .where(eq(webhookSources.corpId, ctx.corpId))
    .orderBy(asc(webhookSources.createdAt), asc(webhookSources.sourceId));
}

/** One source of the corp, or `not_found`; another corp's id reads as unknown. */
export async function getWebhookSource(ctx: Ctx, sourceId: string): Promise<WebhookSourceRow> {
  (await policyFor(ctx)).authorize('rule.manage');
  const [row] = await reader(ctx)
    .select()
    .from(webhookSources)
    .where(and(eq(webhookSources.corpId, ctx.corpId), eq(webhookSources.sourceId, sourceId)));
  if (!row) throw new AppError('not_found', { message: `No webhook source "${sourceId}".`, details: [{ path: 'params.sourceId', message: 'unknown' }] });
  return row;
}

/** A source's deliveries, newest first, optionally one outcome only; `before` pages on by id. */
export async function listWebhookDeliveries(
  ctx: Ctx,
  input: { sourceId: string; outcome?: WebhookOutcome; before?: number; limit: number },
): Promise<{ rows: WebhookDeliveryRow[]; nextBefore: number | null }> {
  const source = await getWebhookSource(ctx, input.sourceId);
  const where: SQL[] = [eq(webhookDeliveries.corpId, ctx.corpId), eq(webhookDeliveries.sourceId, source.sourceId)];
  if (input.outcome) where.push(eq(webhookDeliveries.outcome, input.outcome));
  if (input.before !== undefined) where.push(lt(webhookDeliveries.id, input.before));
  const rows = await reader(ctx)
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { rows: page, nextBefore: rows.length > input.limit ? page[page.length - 1]!.id : null };
}

/**
 * The source a delivery is addressed to, in whichever corp: the hook URL names no corp, and source
 * ids are unique across corps. Only the inbound route uses it; everything else is corp-scoped.
 */
export async function findSourceForDelivery(db: Ctx['db'], sourceId: string): Promise<WebhookSourceRow | undefined> {
  const [row] = await db.select().from(webhookSources).where(eq(webhookSources.sourceId, sourceId));
  return row;
}
