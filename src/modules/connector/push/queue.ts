import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../../../db/client.js';
import { libraryOrderKey } from './plan.js';

/** A claimed queue row: what to send, and the attempt number that fences its outcome. */
export type ClaimedItem = {
  corpId: string;
  itemId: string;
  seq: number;
  op: 'add_corp_tag' | 'edit_corp_tag' | 'del_corp_tag' | 'mark_tag';
  orderKey: string;
  payload: Record<string, unknown>;
  attempts: number;
};

/**
 * Claims up to `limit` of the corp's due rows for `leaseMs`, in one short transaction: a row is due
 * when pending, its `next_attempt_at` has come, and no earlier row of its `order_key` is pending (so
 * one customer's marks, and the tag library, go strictly in order even across processes). Claiming
 * moves `next_attempt_at` past the lease and counts the attempt; the WeCom call happens after the
 * commit, and a process that dies mid-call leaves the row to come due again when the lease ends.
 */
export async function claimDue(db: Db, corpId: string, now: Date, leaseMs: number, limit: number): Promise<ClaimedItem[]> {
  const rows = await db.transaction((tx) =>
    queryRows<{ item_id: string; seq: number | string; op: ClaimedItem['op']; order_key: string; payload: Record<string, unknown>; attempts: number }>(
      tx,
      sql`
      with due as (
        select q.item_id from wecom_push_queue q
        where q.corp_id = ${corpId} and q.status = 'pending' and q.next_attempt_at <= ${now.toISOString()}::timestamptz
          and not exists (select 1 from wecom_push_queue e where e.corp_id = q.corp_id and e.order_key = q.order_key and e.status = 'pending' and e.seq < q.seq)
        order by q.seq limit ${limit}
        for update skip locked
      )
      update wecom_push_queue q set next_attempt_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz, attempts = q.attempts + 1
      from due where q.corp_id = ${corpId} and q.item_id = due.item_id
      returning q.item_id, q.seq, q.op, q.order_key, q.payload, q.attempts`,
    ),
  );
  return rows
    .map((r) => ({ corpId, itemId: r.item_id, seq: Number(r.seq), op: r.op, orderKey: r.order_key, payload: r.payload, attempts: r.attempts }))
    .sort((a, b) => a.seq - b.seq);
}

/** The corps with a due pending row (the pusher visits each). */
export async function corpsWithDueRows(db: Db, now: Date): Promise<string[]> {
  const rows = await queryRows<{ corp_id: string }>(
    db,
    sql`select distinct corp_id from wecom_push_queue where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz`,
  );
  return rows.map((r) => r.corp_id);
}

/** True while a tag-library row earlier than `seq` is pending (a mark naming a tag being created waits for it). */
export async function libraryPendingBefore(tx: Tx, corpId: string, seq: number): Promise<boolean> {
  const rows = await queryRows<{ v: number }>(
    tx,
    sql`select 1 as v from wecom_push_queue where corp_id = ${corpId} and order_key = ${libraryOrderKey} and status = 'pending' and seq < ${seq} limit 1`,
  );
  return rows.length > 0;
}

// An outcome is written only while the row is still this claim's: a lease that ran out and was
// claimed again (attempts moved on) or a replay leaves the newer claim's outcome standing.
const mine = (item: ClaimedItem) => sql`corp_id = ${item.corpId} and item_id = ${item.itemId} and status = 'pending' and attempts = ${item.attempts}`;

/** Marks the row delivered. */
export async function markDelivered(tx: Tx, item: ClaimedItem, now: Date): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`update wecom_push_queue set status = 'delivered', done_at = ${now.toISOString()}::timestamptz, last_errcode = null, last_error = null where ${mine(item)} returning 1`,
  );
  return rows.length > 0;
}

/** Schedules another attempt at `at`, keeping the error seen. */
export async function markRetry(tx: Tx, item: ClaimedItem, at: Date, errcode: number | null, error: string | null): Promise<void> {
  await tx.execute(
    sql`update wecom_push_queue set next_attempt_at = ${at.toISOString()}::timestamptz, last_errcode = ${errcode}, last_error = ${error} where ${mine(item)}`,
  );
}

/** Hands the claim back without counting the attempt (the row waits for a tag's creation or for the rate limit). */
export async function releaseClaim(tx: Tx, item: ClaimedItem, at: Date): Promise<void> {
  await tx.execute(sql`update wecom_push_queue set next_attempt_at = ${at.toISOString()}::timestamptz, attempts = attempts - 1 where ${mine(item)}`);
}

/** Puts the row on the dead-letter list with WeCom's errcode and message. */
export async function markDead(tx: Tx, item: ClaimedItem, now: Date, errcode: number | null, error: string): Promise<void> {
  await tx.execute(
    sql`update wecom_push_queue set status = 'dead', done_at = ${now.toISOString()}::timestamptz, last_errcode = ${errcode}, last_error = ${error} where ${mine(item)}`,
  );
}
