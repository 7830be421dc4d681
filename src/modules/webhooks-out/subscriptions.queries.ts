import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { type OutboundStatus, webhookAttempts, webhookOutbox, webhookSubscriptions } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import type { OutboxRow } from './commands/replay-delivery.js';
import type { WebhookSubscriptionRow } from './subscriptions.repo.js';

/** An attempt row as stored. */
export type AttemptRow = typeof webhookAttempts.$inferSelect;

/** The corp's subscriptions, oldest first. Needs `corp.settings`: they send the corp's data out. */
export async function listSubscriptions(ctx: Ctx): Promise<WebhookSubscriptionRow[]> {
  (await policyFor(ctx)).authorize('corp.settings');
  return reader(ctx)
    .select()
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.corpId, ctx.corpId))
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.subscriptionId));
}

/** One subscription of the corp, or `not_found`; another corp's id reads as unknown. */
export async function getSubscription(ctx: Ctx, subscriptionId: string): Promise<WebhookSubscriptionRow> {
  (await policyFor(ctx)).authorize('corp.settings');
  const [row] = await reader(ctx)
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.corpId, ctx.corpId), eq(webhookSubscriptions.subscriptionId, subscriptionId)));
  if (!row)
    throw new AppError('not_found', {
      message: `No webhook subscription "${subscriptionId}".`,
      details: [{ path: 'params.subscriptionId', message: 'unknown' }],
    });
  return row;
}

/** A subscription's deliveries, newest event first, optionally one status only; `before` pages on by event seq. */
export async function listDeliveries(
  ctx: Ctx,
  input: { subscriptionId: string; status?: OutboundStatus; before?: number; limit: number },
): Promise<{ rows: OutboxRow[]; nextBefore: number | null }> {
  const sub = await getSubscription(ctx, input.subscriptionId);
  const where: SQL[] = [eq(webhookOutbox.corpId, ctx.corpId), eq(webhookOutbox.subscriptionId, sub.subscriptionId)];
  if (input.status) where.push(eq(webhookOutbox.status, input.status));
  if (input.before !== undefined) where.push(lt(webhookOutbox.eventSeq, input.before));
  const rows = await reader(ctx)
    .select()
    .from(webhookOutbox)
    .where(and(...where))
    .orderBy(desc(webhookOutbox.eventSeq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { rows: page, nextBefore: rows.length > input.limit ? page[page.length - 1]!.eventSeq : null };
}

/** One delivery of the corp with every attempt, oldest first, or `not_found`. */
export async function getDelivery(ctx: Ctx, deliveryId: string): Promise<{ row: OutboxRow; attempts: AttemptRow[] }> {
  (await policyFor(ctx)).authorize('corp.settings');
  const [row] = await reader(ctx)
    .select()
    .from(webhookOutbox)
    .where(and(eq(webhookOutbox.corpId, ctx.corpId), eq(webhookOutbox.deliveryId, deliveryId)));
  if (!row) throw new AppError('not_found', { message: `No webhook delivery "${deliveryId}".`, details: [{ path: 'params.deliveryId', message: 'unknown' }] });
  const attempts = await reader(ctx)
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.corpId, ctx.corpId), eq(webhookAttempts.deliveryId, deliveryId)))
    .orderBy(asc(webhookAttempts.at), asc(webhookAttempts.attempt));
  return { row, attempts };
}
