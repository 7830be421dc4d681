import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.js';
import { wecomCallbacks } from '../../../db/schema/index.js';
import { randomToken } from '../../../ids.js';

/** What became of a callback, as the log keeps it. */
export type CallbackOutcome = (typeof wecomCallbacks.$inferSelect)['outcome'];

/** One row of the callback log to write; never anything of the body beyond the event's names. */
export type CallbackRecord = {
  corpId: string;
  outcome: CallbackOutcome;
  dedupKey?: string | null;
  event?: string | null;
  changeType?: string | null;
  reason?: string | null;
};

/** How many refused callbacks a corp keeps; anyone who knows the URL can send them, so older ones go. */
export const refusedCallbacksKept = 1000;

/** A new callback id: `cb` and 22 random letters and digits. */
export const newCallbackId = () => `cb${randomToken(22)}`;

/** Writes one callback log row through `db` (its own statement) or inside an open transaction. */
export async function insertCallbackRow(db: Db | Tx, record: CallbackRecord): Promise<string> {
  const callbackId = newCallbackId();
  await db.insert(wecomCallbacks).values({
    corpId: record.corpId,
    callbackId,
    outcome: record.outcome,
    dedupKey: record.dedupKey ?? null,
    event: record.event?.slice(0, 64) ?? null,
    changeType: record.changeType?.slice(0, 64) ?? null,
    reason: record.reason?.slice(0, 300) ?? null,
  });
  return callbackId;
}

/**
 * Logs a refused callback and drops the corp's refused rows beyond the newest 1,000, in one
 * transaction: a stranger posting junk cannot grow the table without bound. Writes no audit
 * event, since a refusal changes nothing.
 */
export async function logRefusedCallback(db: Db, record: Omit<CallbackRecord, 'outcome' | 'dedupKey'>): Promise<void> {
  await db.transaction(async (tx) => {
    await insertCallbackRow(tx, { ...record, outcome: 'refused' });
    await tx.execute(sql`
      delete from wecom_callbacks
      where corp_id = ${record.corpId} and outcome = 'refused'
        and received_at < (select received_at from wecom_callbacks where corp_id = ${record.corpId} and outcome = 'refused'
                           order by received_at desc offset ${refusedCallbacksKept - 1} limit 1)`);
  });
}
