import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { webhookSubscriptions } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { randomToken } from '../../ids.js';
import { checkTarget } from './url-safety.js';

/** A subscription as stored, its secret included: never hand it to a presenter as is. */
export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;

/** New ids and secrets: random, unique across corps. */
export const newSubscriptionId = () => `ws${randomToken(22)}`;
export const newDeliveryId = () => `wd${randomToken(22)}`;
export const newSubscriptionSecret = () => `whsec_${randomToken(40)}`;

/** Loads and locks one subscription of the corp, or throws `not_found` (another corp's id reads as unknown). */
export async function lockSubscription(ctx: TxCtx, subscriptionId: string): Promise<WebhookSubscriptionRow> {
  const [row] = await ctx.tx
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.corpId, ctx.corpId), eq(webhookSubscriptions.subscriptionId, subscriptionId)))
    .for('update');
  if (!row)
    throw new AppError('not_found', {
      message: `No webhook subscription "${subscriptionId}".`,
      details: [{ path: 'params.subscriptionId', message: 'unknown' }],
    });
  return row;
}

/** A subscription as the audit log and the deliveries' events record it: never the secret. */
export function subscriptionSnapshot(row: WebhookSubscriptionRow) {
  return { name: row.name, url: row.url, eventTypes: row.eventTypes, enabled: row.enabled };
}

/**
 * Refuses a URL the sender would refuse (scheme, user:password, a private or loopback address of
 * the host, unless the server allows them) with `webhook_url_forbidden` naming the field.
 */
export async function assertUrlAllowed(url: string, allowPrivate: boolean, path = 'body.url'): Promise<void> {
  const checked = await checkTarget(url, allowPrivate);
  if ('reason' in checked) throw new AppError('webhook_url_forbidden', { details: [{ path, message: checked.reason }] });
}
