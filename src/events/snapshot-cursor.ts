import { sql } from 'drizzle-orm';
import { type Db, queryRows, type Tx } from '../db/client.js';

// Reading the outbox safely. A seq cursor alone skips rows: transaction A may take seq 20 and
// commit after transaction B took seq 21 and committed, and a reader that saw 21 never looks at 20
// again. So a reader follows transaction ids through snapshots: a poll takes a snapshot S and reads
// the events of transactions S sees that the reader has not settled yet, i.e. txid in
// [cursor.xmax, S.xmax) or one of `pending` (those an earlier snapshot saw in progress). Whatever
// S still sees in progress there becomes the new `pending`; everything else below S.xmax is settled
// (committed and read, or aborted). A transaction's rows become visible all at once at commit, so
// nothing is skipped. Unlike reading below the oldest running transaction, a long transaction (in
// this database or another one on the server) delays only its own events.
//
// Order: within one snapshot, events come in (txid, seq) order: one transaction's events together
// and in the order it wrote them. Across snapshots, a transaction is read after every transaction
// that committed before the previous poll's snapshot. (txid, seq) is NOT commit order between
// transactions that overlapped: readers must re-read current state rather than replay payloads
// blindly, or tolerate that.
//
// The scan is bounded by a seq floor (the events key, corp_id then seq). A checkpoint reads the corp's highest
// seq L, then takes a fresh xid X of its own. Xids are handed out in order, so a transaction with an
// xid above X got it after L was read, and it writes its event after getting an xid (commands write
// before they record), so that event's seq is > L. Once every txid ≤ X is settled, no unread event
// has a seq ≤ L: L is the new floor. A checkpoint burns one xid, so readers take one at most every
// so often, and only after events were read.

/**
 * Where a reader stands: every transaction below `xmax` is settled except those in `pending` (seen
 * in progress by the last snapshot); every unread event has seq > `floor`.
 */
export type TailCursor = { xmax: bigint; pending: bigint[]; floor: number };

/** A corp's highest seq read before an xid was taken: the floor once every txid ≤ `xid` is settled. */
export type Checkpoint = { lastSeq: number; xid: bigint };

/** A snapshot as text (to filter rows with) plus its xmax and in-progress list. */
export type Snapshot = { text: string; xmax: bigint; xip: bigint[] };

/** One events row as consumers see it, in (txid, seq) order within a snapshot. */
export type OutboxEvent = {
  seq: number;
  txid: bigint;
  type: string;
  subjectType: string;
  subjectId: string;
  payload: unknown;
  before: unknown;
  after: unknown;
  operationId: string | null;
  actor: string;
  at: Date;
};

/** Where a page read stopped inside one snapshot (keyset on (txid, seq)). */
export type PageKey = { txid: bigint; seq: number };

const maxCheckpoints = 256;

async function lastSeqOf(db: Db | Tx, corpId: string): Promise<number> {
  const [row] = await queryRows<{ seq: number | string | null }>(db, sql`select max(seq) as seq from events where corp_id = ${corpId}`);
  return Number(row?.seq ?? 0);
}

/** Reads the corp's highest seq, then takes an xid: see the checkpoint argument above. */
export async function checkpoint(db: Db, corpId: string): Promise<Checkpoint> {
  const lastSeq = await lastSeqOf(db, corpId);
  const [row] = await queryRows<{ xid: string }>(db, sql`select pg_current_xact_id()::text as xid`);
  return { lastSeq, xid: BigInt(row!.xid) };
}

/** The current snapshot (in a transaction block under READ COMMITTED: this statement's). */
export async function takeSnapshot(db: Db | Tx): Promise<Snapshot> {
  const [row] = await queryRows<{ snap: string; xmax: string; xip: string[] | null }>(
    db,
    sql`
    select s::text as snap, pg_snapshot_xmax(s)::text as xmax, (select array_agg(x::text) from pg_snapshot_xip(s) x) as xip
    from (select pg_current_snapshot() as s) q`,
  );
  return { text: row!.snap, xmax: BigInt(row!.xmax), xip: (row!.xip ?? []).map(BigInt) };
}

/**
 * A cursor from which only events committed after the call are read: a snapshot taken now. The
 * floor comes from a checkpoint taken just before, valid unless a transaction it covers was still in
 * progress at the snapshot (then 0: still correct, the first polls just scan the corp's history).
 */
export async function startCursor(db: Db, corpId: string): Promise<TailCursor> {
  const start = await checkpoint(db, corpId);
  const snap = await takeSnapshot(db);
  return { xmax: snap.xmax, pending: snap.xip, floor: snap.xip.some((x) => x <= start.xid) ? 0 : start.lastSeq };
}

/** A cursor from which a reader reads the corp's whole history. */
export function beginningCursor(): TailCursor {
  return { xmax: 0n, pending: [], floor: 0 };
}

// `txid_text`, not `txid`: an output column named `txid` would make `order by txid` sort the text
// ('1000' before '999') while the keyset compares xid8s, and a page crossing a digit boundary
// skipped events.
type EventRow = {
  seq: number | string;
  txid_text: string;
  type: string;
  subject_type: string;
  subject_id: string;
  payload: unknown;
  before: unknown;
  after: unknown;
  operation_id: string | null;
  actor: string;
  at: Date | string;
};

/**
 * One page of the events `snap` makes readable from `cursor`, after `after` in (txid, seq) order.
 * A page shorter than `limit` is the snapshot's last.
 */
export async function readPage(db: Db | Tx, corpId: string, cursor: TailCursor, snap: Snapshot, after: PageKey | null, limit: number): Promise<OutboxEvent[]> {
  const pending = cursor.pending.map(String);
  const key = after ?? { txid: 0n, seq: 0 };
  const rows = await queryRows<EventRow>(
    db,
    sql`
    select seq, txid::text as txid_text, type, subject_type, subject_id, payload, before, after, operation_id, actor, at from events
    where corp_id = ${corpId} and seq > ${cursor.floor}
      and (txid >= ${cursor.xmax.toString()}::xid8 or txid = any(${sql.param(pending)}::xid8[]))
      and txid < ${snap.xmax.toString()}::xid8 and pg_visible_in_snapshot(txid, ${snap.text}::pg_snapshot)
      and (txid, seq) > (${key.txid.toString()}::xid8, ${key.seq}::bigint)
    order by events.txid, events.seq limit ${limit}`,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    txid: BigInt(r.txid_text),
    type: r.type,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    payload: r.payload,
    before: r.before,
    after: r.after,
    operationId: r.operation_id,
    actor: r.actor,
    at: new Date(r.at),
  }));
}

/**
 * The cursor once every event `snap` made readable has been read: everything below the snapshot's
 * xmax is settled except what it saw in progress (among the transactions not settled before; older
 * ones it lists are long settled). `alsoPending` keeps more xids unsettled (a reader's own
 * transaction, whose events it cannot have read yet).
 */
export function passSnapshot(cursor: TailCursor, snap: Snapshot, alsoPending: bigint[] = []): TailCursor {
  const unsettled = (x: bigint) => x >= cursor.xmax || cursor.pending.includes(x);
  const pending = snap.xip.filter(unsettled);
  for (const x of alsoPending) if (x < snap.xmax && !pending.includes(x)) pending.push(x);
  return { xmax: snap.xmax, pending, floor: cursor.floor };
}

/**
 * The checkpoints a reader has taken and not yet passed. `raise` moves a cursor's floor to the
 * newest one it has passed; while a long transaction stays pending they pile up, and thinning them
 * only makes the floor rise in coarser steps later.
 */
export class Checkpoints {
  private readonly list: Checkpoint[] = [];

  /** Remembers a checkpoint taken by `checkpoint()`. */
  add(c: Checkpoint): void {
    this.list.push(c);
    if (this.list.length > maxCheckpoints) this.list.splice(0, this.list.length, ...this.list.filter((_, i) => i % 2 === 0));
  }

  /** The floor the cursor may have now (never lower than its own), forgetting passed checkpoints. */
  raise(cursor: TailCursor): number {
    const settled = (xid: bigint) => xid < cursor.xmax && cursor.pending.every((p) => p > xid);
    let floor = cursor.floor;
    while (this.list.length > 0 && settled(this.list[0]!.xid)) floor = Math.max(floor, this.list.shift()!.lastSeq);
    return floor;
  }
}
