import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { webhookSources } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { randomToken } from '../../ids.js';

/** A webhook source as stored, its secret included: never hand it to a presenter as is. */
export type WebhookSourceRow = typeof webhookSources.$inferSelect;

/** A new source id (random, unique across corps: the hook URL names no corp) and a new secret. */
export const newSourceId = () => `wh${randomToken(22)}`;
export const newWebhookSecret = () => `whsec_${randomToken(40)}`;

/** Loads and locks one source of the corp, or throws `not_found` (another corp's id reads as unknown). */
export async function lockWebhookSource(ctx: TxCtx, sourceId: string): Promise<WebhookSourceRow> {
  const [row] = await ctx.tx
    .select()
    .from(webhookSources)
    .where(and(eq(webhookSources.corpId, ctx.corpId), eq(webhookSources.sourceId, sourceId)))
    .for('update');
  if (!row) throw new AppError('not_found', { message: `No webhook source "${sourceId}".`, details: [{ path: 'params.sourceId', message: 'unknown' }] });
  return row;
}

/** A source as the audit log records it: never the secret. */
export function webhookSourceSnapshot(row: WebhookSourceRow) {
  return { name: row.name, mapping: row.mapping, enabled: row.enabled };
}
