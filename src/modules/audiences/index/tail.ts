import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../db/client.js';
import { applyEvents, type IndexEvent } from './apply-events.js';
import type { CorpIndex } from './corp-index.js';

// Reading the outbox safely. A seq cursor alone skips rows: transaction A may take seq 20 and
// commit after transaction B took seq 21 and committed, and a reader that saw 21 never looks
// at 20 again. Filtering `txid < xmin` (the oldest transaction still in flight) is not enough on
// its own either: B's txid can be below A's, so B passes the filter while A's lower seq is still
// invisible. So events are read in (txid, seq) order below xmin: every transaction below xmin
// has finished, so that set of rows can no longer grow, and a (txid, seq) cursor over it never
// skips. Handlers re-read current state from the database, so (txid, seq) order, which is not
// commit order, is fine, and replaying an event is harmless.
//
// There is no index on txid, so the scan is bounded by a seq floor (events_corp_seq_idx). A
// checkpoint reads the corp's highest seq L, then takes a fresh xid X of its own. Xids are handed
// out in order, so a transaction with an xid above X got it after L was read, and it writes its
// event after getting an xid (commands write before they record), so that event's seq is > L.
// Once every txid ≤ X is applied, no unread event has a seq ≤ L: L is the new floor. (A
// snapshot's xmax cannot stand in for X: it is the latest *completed* xid + 1, and transactions
// still running above it are not listed.) A checkpoint burns one xid, so it is taken at most
// once per `checkpointEveryMs`, and only after events were applied.

/** Where the tail stands: events at or below (txid, seq) are applied; every unread one has seq > floor. */
export type TailCursor = { txid: bigint; seq: number; floor: number };

type Checkpoint = { lastSeq: number; xid: bigint };

const maxCheckpoints = 256;

async function lastSeqOf(db: Db, corpId: string): Promise<number> {
  const [row] = await queryRows<{ seq: number | string | null }>(db, sql`select max(seq) as seq from events where corp_id = ${corpId}`);
  return Number(row?.seq ?? 0);
}

async function xmin(db: Db): Promise<bigint> {
  const [row] = await queryRows<{ xmin: string }>(db, sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
  return BigInt(row!.xmin);
}

/** Reads the corp's highest seq, then takes an xid: see the checkpoint argument above. */
async function checkpoint(db: Db, corpId: string): Promise<Checkpoint> {
  const lastSeq = await lastSeqOf(db, corpId);
  const [row] = await queryRows<{ xid: string }>(db, sql`select pg_current_xact_id()::text as xid`);
  return { lastSeq, xid: BigInt(row!.xid) };
}

/**
 * The cursor for an index about to be built: takes a checkpoint and waits (up to `waitMs`) until
 * every transaction older than it has finished, so that everything below the cursor is in the
 * data the build reads and everything above it has a seq above the floor. If they do not finish
 * in time the floor is 0: still correct, the first polls just scan the corp's whole history.
 */
export async function startCursor(db: Db, corpId: string, waitMs = 5_000): Promise<TailCursor> {
  const start = await checkpoint(db, corpId);
  let now = await xmin(db);
  const deadline = Date.now() + waitMs;
  while (now <= start.xid && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    now = await xmin(db);
  }
  return { txid: now, seq: 0, floor: now > start.xid ? start.lastSeq : 0 };
}

type EventRow = { xmin: string; seq: number | string | null; txid: string | null; type: string; subject_id: string; payload: unknown; before: unknown; after: unknown; operation_id: string | null };

/**
 * Keeps one corp's index current by polling the events table. `poll()` applies whatever
 * committed since the last poll; the cursor lives in memory (a restart rebuilds the index).
 * LISTEN/NOTIFY (PostgreSQL) or an in-process signal (PGlite) can call `poll()` early later.
 */
export class EventTail {
  private readonly checkpoints: Checkpoint[] = [];
  private running: Promise<number> | null = null;
  private appliedSinceCheckpoint = 0;
  private lastCheckpointAt = 0;
  private readonly batchSize: number;
  private readonly checkpointEveryMs: number;

  constructor(
    private readonly db: Db,
    readonly index: CorpIndex,
    opts: { batchSize?: number; checkpointEveryMs?: number } = {},
  ) {
    this.batchSize = opts.batchSize ?? 1000;
    this.checkpointEveryMs = opts.checkpointEveryMs ?? 1000;
  }

  /** Where the tail stands now (for diagnostics and tests). */
  get cursor(): Readonly<TailCursor> {
    return this.index.cursor;
  }

  /** Applies every event that committed since the last poll; returns how many. Concurrent calls share one run. */
  poll(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    const { db, index } = this;
    const cursor = index.cursor;
    if (this.appliedSinceCheckpoint > 0 && Date.now() - this.lastCheckpointAt >= this.checkpointEveryMs) {
      this.checkpoints.push(await checkpoint(db, index.corpId));
      this.appliedSinceCheckpoint = 0;
      this.lastCheckpointAt = Date.now();
    }
    let applied = 0;
    for (;;) {
      const rows = await queryRows<EventRow>(db, sql`
        select s.xmin::text as xmin, e.seq, e.txid::text as txid, e.type, e.subject_id, e.payload, e.before, e.after, e.operation_id
        from (select pg_snapshot_xmin(pg_current_snapshot()) as xmin) s
        left join lateral (
          select * from events
          where corp_id = ${index.corpId} and seq > ${cursor.floor} and (txid, seq) > (${cursor.txid.toString()}::xid8, ${cursor.seq}::bigint) and txid < s.xmin
          order by txid, seq limit ${this.batchSize}
        ) e on true
        order by e.txid, e.seq`);
      const head = rows[0]!;
      const events: IndexEvent[] = rows.filter((r) => r.seq !== null).map((r) => ({ seq: Number(r.seq), type: r.type, subjectId: r.subject_id, payload: r.payload, before: r.before, after: r.after, operationId: r.operation_id }));
      // Applied before the cursor moves: a failure leaves the events to be read again.
      await applyEvents(db, index, events);
      applied += events.length;
      if (events.length === this.batchSize) {
        const tail = rows[rows.length - 1]!;
        Object.assign(cursor, { txid: BigInt(tail.txid!), seq: Number(tail.seq) });
        continue;
      }
      // Everything below this snapshot's xmin has now been applied.
      const xmin = BigInt(head.xmin);
      if (xmin > cursor.txid) Object.assign(cursor, { txid: xmin, seq: 0 });
      break;
    }
    this.appliedSinceCheckpoint += applied;
    this.raiseFloor();
    return applied;
  }

  /** Moves the floor to the newest checkpoint the cursor has passed, and forgets older ones. */
  private raiseFloor(): void {
    const cursor = this.index.cursor;
    while (this.checkpoints.length > 0 && this.checkpoints[0]!.xid < cursor.txid) {
      cursor.floor = Math.max(cursor.floor, this.checkpoints.shift()!.lastSeq);
    }
    // While a long transaction holds xmin back, checkpoints pile up; thinning them only makes
    // the floor rise in coarser steps later.
    if (this.checkpoints.length > maxCheckpoints) this.checkpoints.splice(0, this.checkpoints.length, ...this.checkpoints.filter((_, i) => i % 2 === 0));
  }
}
