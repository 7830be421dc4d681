import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type Ctx, reader } from '../../../context.js';
import { wecomCallbacks } from '../../../db/schema/index.js';
import { policyFor } from '../../../policies/index.js';
import type { CallbackOutcome } from './callbacks.repo.js';

/** A callback log row. */
export type CallbackRow = typeof wecomCallbacks.$inferSelect;

/**
 * The corp's callback log, newest first, optionally one outcome only; `before` (a callbackId)
 * pages on after that row. Needs `corp.settings`, like everything about the connector. An unknown
 * `before` reads as the start of the log.
 */
export async function listCallbacks(
  ctx: Ctx,
  input: { outcome?: CallbackOutcome; before?: string; limit: number },
): Promise<{ rows: CallbackRow[]; nextBefore: string | null }> {
  (await policyFor(ctx)).authorize('corp.settings');
  const db = reader(ctx);
  const where: SQL[] = [eq(wecomCallbacks.corpId, ctx.corpId)];
  if (input.outcome) where.push(eq(wecomCallbacks.outcome, input.outcome));
  if (input.before) {
    const [cursor] = await db
      .select({ at: wecomCallbacks.receivedAt })
      .from(wecomCallbacks)
      .where(and(eq(wecomCallbacks.corpId, ctx.corpId), eq(wecomCallbacks.callbackId, input.before)));
    if (cursor) where.push(sql`(${wecomCallbacks.receivedAt}, ${wecomCallbacks.callbackId}) < (${cursor.at.toISOString()}::timestamptz, ${input.before})`);
  }
  const rows = await db
    .select()
    .from(wecomCallbacks)
    .where(and(...where))
    .orderBy(desc(wecomCallbacks.receivedAt), desc(wecomCallbacks.callbackId))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { rows: page, nextBefore: rows.length > input.limit ? page[page.length - 1]!.callbackId : null };
}
