import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../../db/client.js';
import { applyEvents, type IndexEvent } from './apply-events.js';
import type { CorpIndex } from './corp-index.js';
import { checkpoint, takeSnapshot, type Checkpoint, type TailCursor } from './tail-cursor.js';

// How the tail reads the outbox without skipping rows is argued in tail-cursor.ts.

const maxCheckpoints = 256;

// `txid_text`, not `txid`: an output column named `txid` would make `order by txid` sort the text
// ('1000' before '999') while the keyset compares xid8s, and a page crossing a digit boundary
// skipped events.
type EventRow = { seq: number | string; txid_text: string; type: string; subject_id: string; payload: unknown; before: unknown; after: unknown; operation_id: string | null };

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
    // One snapshot for the whole poll: the set of rows it sees cannot change while pages are read.
    const snap = await takeSnapshot(db);
    const pending = cursor.pending.map(String);
    let applied = 0;
    let after: { txid: string; seq: number } = { txid: '0', seq: 0 };
    for (;;) {
      const rows = await queryRows<EventRow>(db, sql`
        select seq, txid::text as txid_text, type, subject_id, payload, before, after, operation_id from events
        where corp_id = ${index.corpId} and seq > ${cursor.floor}
          and (txid >= ${cursor.xmax.toString()}::xid8 or txid = any(${sql.param(pending)}::xid8[]))
          and txid < ${snap.xmax.toString()}::xid8 and pg_visible_in_snapshot(txid, ${snap.text}::pg_snapshot)
          and (txid, seq) > (${after.txid}::xid8, ${after.seq}::bigint)
        order by events.txid, events.seq limit ${this.batchSize}`);
      const events: IndexEvent[] = rows.map((r) => ({ seq: Number(r.seq), type: r.type, subjectId: r.subject_id, payload: r.payload, before: r.before, after: r.after, operationId: r.operation_id }));
      // Applied before the cursor moves: a failure leaves the events to be read again.
      await applyEvents(db, index, events);
      applied += events.length;
      if (events.length < this.batchSize) break;
      const last = rows[rows.length - 1]!;
      after = { txid: last.txid_text, seq: Number(last.seq) };
    }
    // Settled now: everything below the snapshot's xmax except what it saw in progress (among the
    // transactions not settled before; older ones it lists are long settled).
    const unsettled = (x: bigint) => x >= cursor.xmax || cursor.pending.includes(x);
    Object.assign(cursor, { xmax: snap.xmax, pending: snap.xip.filter(unsettled) });
    this.appliedSinceCheckpoint += applied;
    this.raiseFloor();
    return applied;
  }

  /** Moves the floor to the newest checkpoint the cursor has passed, and forgets older ones. */
  private raiseFloor(): void {
    const cursor = this.index.cursor;
    const settled = (xid: bigint) => xid < cursor.xmax && cursor.pending.every((p) => p > xid);
    while (this.checkpoints.length > 0 && settled(this.checkpoints[0]!.xid)) {
      cursor.floor = Math.max(cursor.floor, this.checkpoints.shift()!.lastSeq);
    }
    // While a long transaction stays pending, checkpoints pile up; thinning them only makes
    // the floor rise in coarser steps later.
    if (this.checkpoints.length > maxCheckpoints) this.checkpoints.splice(0, this.checkpoints.length, ...this.checkpoints.filter((_, i) => i % 2 === 0));
  }
}
