import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../db/client.js';

// Reading the outbox safely. A seq cursor alone skips rows: transaction A may take seq 20 and
// commit after transaction B took seq 21 and committed, and a reader that saw 21 never looks at 20
// again. So the tail follows transaction ids through snapshots: a poll takes a snapshot S and reads
// the events of transactions S sees that the tail has not settled yet, i.e. txid in
// [cursor.xmax, S.xmax) or one of `pending` (those an earlier snapshot saw in progress). Whatever
// S still sees in progress there becomes the new `pending`; everything else below S.xmax is settled
// (committed and read, or aborted). A transaction's rows become visible all at once at commit, so
// nothing is skipped. Unlike reading below the oldest running transaction, a long transaction (in
// this database or another one on the server) delays only its own events. Handlers re-read
// current state, so (txid, seq) order, which is not commit order, is fine.
//
// The scan is bounded by a seq floor (events_corp_seq_idx). A checkpoint reads the corp's highest
// seq L, then takes a fresh xid X of its own. Xids are handed out in order, so a transaction with an
// xid above X got it after L was read, and it writes its event after getting an xid (commands write
// before they record), so that event's seq is > L. Once every txid ≤ X is settled, no unread event
// has a seq ≤ L: L is the new floor. A checkpoint burns one xid, so it is taken at most once per
// `checkpointEveryMs`, and only after events were applied.

/**
 * Where the tail stands: every transaction below `xmax` is settled except those in `pending` (seen
 * in progress by the last snapshot); every unread event has seq > `floor`.
 */
export type TailCursor = { xmax: bigint; pending: bigint[]; floor: number };

/** The corp's highest seq when a fresh xid was taken: see the checkpoint argument above. */
export type Checkpoint = { lastSeq: number; xid: bigint };

async function lastSeqOf(db: Db, corpId: string): Promise<number> {
  const [row] = await queryRows<{ seq: number | string | null }>(db, sql`select max(seq) as seq from events where corp_id = ${corpId}`);
  return Number(row?.seq ?? 0);
}

/** Reads the corp's highest seq, then takes an xid: see the checkpoint argument above. */
export async function checkpoint(db: Db, corpId: string): Promise<Checkpoint> {
  const lastSeq = await lastSeqOf(db, corpId);
  const [row] = await queryRows<{ xid: string }>(db, sql`select pg_current_xact_id()::text as xid`);
  return { lastSeq, xid: BigInt(row!.xid) };
}

/** A PostgreSQL snapshot: its text, xmax and the xids it saw in progress. */
export type Snapshot = { text: string; xmax: bigint; xip: bigint[] };

/** Takes a snapshot of the transactions running now. */
export async function takeSnapshot(db: Db): Promise<Snapshot> {
  const [row] = await queryRows<{ snap: string; xmax: string; xip: string[] | null }>(db, sql`
    select s::text as snap, pg_snapshot_xmax(s)::text as xmax, (select array_agg(x::text) from pg_snapshot_xip(s) x) as xip
    from (select pg_current_snapshot() as s) q`);
  return { text: row!.snap, xmax: BigInt(row!.xmax), xip: (row!.xip ?? []).map(BigInt) };
}

/**
 * The cursor for an index about to be built: a snapshot taken before the build reads anything, so
 * what it sees is in the build's (later) reads and everything else is left to the tail. The floor
 * comes from a checkpoint taken just before, valid unless a transaction it covers was still in
 * progress at the snapshot (then 0: still correct, the first polls just scan the corp's history).
 */
export async function startCursor(db: Db, corpId: string): Promise<TailCursor> {
  const start = await checkpoint(db, corpId);
  const snap = await takeSnapshot(db);
  return { xmax: snap.xmax, pending: snap.xip, floor: snap.xip.some((x) => x <= start.xid) ? 0 : start.lastSeq };
}
