import { and, eq } from 'drizzle-orm';
import { withTx } from '../../../context.js';
import type { Db } from '../../../db/client.js';
import { wecomCallbacks } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { sha256 } from '../../../ids.js';
import { type ConnectionRow, connectionClient } from '../connection.js';
import type { SecretBox } from '../secret-box.js';
import { wecomSyncContext } from '../sync/index.js';
import { WecomError } from '../wecom-client.js';
import { planCallback } from './apply/plan-callback.js';
import { insertCallbackRow } from './callbacks.repo.js';

/** What became of an applied callback and what WeCom is answered: 200 (done, do not retry) or 500 (retry). */
export type CallbackResult = { outcome: 'applied' | 'duplicate' | 'failed'; status: 200 | 500; callbackId: string; reason?: string };

/** True when the applied-key index refused a twin, however the driver wraps it (node-postgres, PGlite, drizzle). */
function isDedupViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === '23505' && (e.constraint === 'wecom_callbacks_dedup_uq' || String(e.message).includes('wecom_callbacks_dedup_uq'))) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** A failure's words for the log row: WeCom's errcode, our error code, never a body or secret. */
function failureReason(error: unknown): string {
  if (error instanceof WecomError) return `wecom errcode ${error.errcode}`;
  if (error instanceof AppError) return error.code;
  return 'read failed';
}

/**
 * Applies a verified, decrypted callback once. The key is the sha256 of the decrypted message (a
 * WeCom retry sends the same one): one already applied answers success as `duplicate` and changes
 * nothing. Otherwise WeCom is read first (a failed read: `failed`, 500, nothing applied, WeCom
 * retries), then the change and the `applied` row commit in one transaction; the unique index on
 * applied keys makes a concurrent twin roll back as a duplicate.
 */
export async function applyCallback(
  deps: { db: Db; box: SecretBox | null; connection: ConnectionRow },
  message: string,
  fields: Record<string, string>,
): Promise<CallbackResult> {
  const { db, connection } = deps;
  const corpId = connection.corpId;
  const dedupKey = sha256(message);
  const names = { corpId, event: fields.Event ?? null, changeType: fields.ChangeType ?? null };
  const duplicate = async (): Promise<CallbackResult> => ({
    outcome: 'duplicate',
    status: 200,
    callbackId: await insertCallbackRow(db, { ...names, outcome: 'duplicate', reason: 'already applied' }),
  });
  const [seen] = await db
    .select({ id: wecomCallbacks.callbackId })
    .from(wecomCallbacks)
    .where(and(eq(wecomCallbacks.corpId, corpId), eq(wecomCallbacks.dedupKey, dedupKey), eq(wecomCallbacks.outcome, 'applied')))
    .limit(1);
  if (seen) return duplicate();

  const plan = planCallback(fields);
  let read: unknown;
  if (plan.read) {
    try {
      read = await plan.read(await connectionClient(db, deps.box, corpId, { row: connection }));
    } catch (error) {
      const reason = failureReason(error);
      // WeCom refusing the read for good (a chat gone: 40050) would refuse every retry too.
      const status = error instanceof WecomError && !error.retryable && error.errcode > 0 ? 200 : 500;
      return { outcome: 'failed', status, reason, callbackId: await insertCallbackRow(db, { ...names, outcome: 'failed', reason }) };
    }
  }
  const ctx = wecomSyncContext(db, corpId);
  try {
    const callbackId = await withTx(ctx, async (tx) => {
      // The row goes first: a concurrent twin waits on the unique index here, before applying anything.
      const id = await insertCallbackRow(tx.tx, { ...names, outcome: 'applied', dedupKey, reason: plan.reason ?? null });
      if (plan.apply) await plan.apply(tx, read);
      return id;
    });
    return { outcome: 'applied', status: 200, callbackId, reason: plan.reason };
  } catch (error) {
    if (isDedupViolation(error)) return duplicate();
    const reason = failureReason(error);
    // A change this corp's data refuses (an unknown employee…) fails the same way on every retry:
    // record it and let WeCom stop. Anything else (the database) is worth WeCom's retry.
    const status = error instanceof AppError ? 200 : 500;
    return { outcome: 'failed', status, reason, callbackId: await insertCallbackRow(db, { ...names, outcome: 'failed', reason }) };
  }
}
