import type { Db } from '../../../db/client.js';
import { Checkpoints, checkpoint, type PageKey, passSnapshot, readPage, type TailCursor, takeSnapshot } from '../../../events/snapshot-cursor.js';
import { applyEvents, type IndexEvent } from './apply-events.js';
import type { CorpIndex } from './corp-index.js';

// The snapshot-following read (why it never skips an event, what order it gives) is explained in
// src/events/snapshot-cursor.ts, shared with the durable consumers of src/events/consumer.ts. The
// index keeps its cursor in memory, and in its snapshot (src/modules/audiences/snapshot): a restart
// tails from the snapshot's cursor, or rebuilds the index from a fresh `startCursor` without one.
// Handlers re-read current state, so (txid, seq) order, which is not commit order, is fine.

export { startCursor, type TailCursor } from '../../../events/snapshot-cursor.js';

/**
 * Keeps one corp's index current by polling the events table. `poll()` applies whatever
 * committed since the last poll; the cursor lives in the index (and in its snapshot).
 * The audience engine calls `poll()` when NOTIFY or its timer wakes it.
 */
export class EventTail {
  private readonly checkpoints = new Checkpoints();
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

  /**
   * Events applied so far that changed many customers at once (a batch, import, undo or redo, a
   * bulk mark, a smart tag's sync): the engine snapshots the index after one, and resets this.
   */
  largeChanges = 0;

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
      this.checkpoints.add(await checkpoint(db, index.corpId));
      this.appliedSinceCheckpoint = 0;
      this.lastCheckpointAt = Date.now();
    }
    // One snapshot for the whole poll: the set of rows it sees cannot change while pages are read.
    const snap = await takeSnapshot(db);
    let applied = 0;
    let after: PageKey | null = null;
    for (;;) {
      const rows = await readPage(db, index.corpId, cursor, snap, after, this.batchSize);
      const events: IndexEvent[] = rows.map((r) => ({
        seq: r.seq,
        type: r.type,
        subjectId: r.subjectId,
        payload: r.payload,
        before: r.before,
        after: r.after,
        operationId: r.operationId,
      }));
      // Applied before the cursor moves: a failure leaves the events to be read again.
      await applyEvents(db, index, events);
      applied += events.length;
      this.largeChanges += events.filter(isLargeChange).length;
      if (rows.length < this.batchSize) break;
      const last = rows[rows.length - 1]!;
      after = { txid: last.txid, seq: last.seq };
    }
    Object.assign(cursor, passSnapshot(cursor, snap));
    this.appliedSinceCheckpoint += applied;
    cursor.floor = this.checkpoints.raise(cursor);
    return applied;
  }
}

// One event standing for many changed customers: a snapshot after it saves its reloads at the next start.
function isLargeChange(event: IndexEvent): boolean {
  if (event.type === 'operation.applied' || event.type === 'smart_tag.synced') return true;
  return event.type === 'follow.tags_changed' && (event.payload as { bulk?: unknown } | null)?.bulk === true;
}
