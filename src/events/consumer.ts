import { sql } from 'drizzle-orm';
import { type Source, systemContext, type TxCtx, withTx } from '../context.js';
import { type Db, queryRows, type Tx } from '../db/client.js';
import {
  beginningCursor,
  Checkpoints,
  checkpoint,
  type OutboxEvent,
  type PageKey,
  passSnapshot,
  readPage,
  type Snapshot,
  startCursor,
  type TailCursor,
  takeSnapshot,
} from './snapshot-cursor.js';

// A durable consumer reads one corp's events a page at a time. Each page is one transaction that
// (1) claims the (consumer, corp) pair with a transaction-scoped advisory lock, skipping it when
// another process holds it, (2) reads the stored cursor, (3) reads the page, (4) runs the handler
// with that transaction, (5) stores the moved cursor. So the handler's database writes and the
// cursor commit together: a crash or a throw leaves neither, and the page is delivered again.
// Database effects written through `ctx.tx` happen exactly once; anything outside the database
// (an HTTP call) happens at least once and must be idempotent on the event's seq.
//
// An advisory lock rather than `select … for update` on the cursor row: row locks assign a
// transaction id, and an idle consumer polling every corp every second would burn xids for nothing.
// The lock is released at commit, after the new cursor is visible, so the next holder reads it.
// On PGlite there is one connection and transactions run one at a time, which serializes the same.
//
// A handler's own writes come back to it as events in a later page (its transaction cannot read
// them before it commits), like everyone else's: a consumer that reacts to events must ignore the
// ones it caused (`ctx.actor`, the event's actor, is `system:<name>`).

/** What a handler gets besides the events: a system context of the corp, in the page's transaction. */
export type ConsumerCtx = TxCtx & { consumer: string };

/** A durable consumer: a name (its cursor's key) and what to do with a page of events. */
export type ConsumerDefinition = {
  /** Unique and stable: renaming it starts a new cursor. */
  name: string;
  /**
   * Handles a page of one corp's events, in (txid, seq) order (see snapshot-cursor.ts). Writes go
   * through `ctx.tx`, which also stores the cursor; read through it too (on PGlite, `ctx.db` waits
   * for this very transaction to end). Called with no events when `everyMs` is due. A throw rolls
   * the page back and it is delivered again on the next poll (a poison event blocks the corp's
   * consumer until fixed: it is reported to `onError` each time).
   */
  handle: (ctx: ConsumerCtx, events: OutboxEvent[]) => Promise<void>;
  /** Only these event types are handed over (the cursor still passes the others). */
  types?: readonly string[];
  /** Also call `handle` (with no events) when this long passed since it last ran for a corp (schedules, moving windows). */
  everyMs?: number;
  /** Events per page (per transaction). */
  batchSize?: number;
  /** Where a corp's cursor starts when it has none: events committed from now on (default), or the corp's whole history. */
  startAt?: 'now' | 'beginning';
  /** The `source` of the events the handler records. */
  source?: Source;
  /** How often the scan floor may move up (each move burns one xid). */
  checkpointEveryMs?: number;
};

type Stored = TailCursor & { snapshot: Snapshot | null; after: PageKey | null };
type CursorRow = {
  xmax: string;
  pending: string[] | null;
  floor: number | string;
  snapshot: string | null;
  after_txid: string | null;
  after_seq: number | string | null;
};
type Waiter = { ticket: number; resolve: () => void; reject: (e: unknown) => void };
type CorpState = {
  requested: number;
  done: number;
  running: Promise<void> | null;
  waiters: Waiter[];
  checkpoints: Checkpoints;
  readSinceCheckpoint: number;
  lastCheckpointAt: number;
  lastHandled: number;
  hasRow: boolean;
};

async function snapshotFromText(tx: Tx, text: string): Promise<Snapshot> {
  const [row] = await queryRows<{ xmax: string; xip: string[] | null }>(
    tx,
    sql`
    select pg_snapshot_xmax(s)::text as xmax, (select array_agg(x::text) from pg_snapshot_xip(s) x) as xip from (select ${text}::pg_snapshot as s) q`,
  );
  return { text, xmax: BigInt(row!.xmax), xip: (row!.xip ?? []).map(BigInt) };
}

/**
 * One registered durable consumer: `poll(corpId)` hands it every event of the corp committed before
 * the call (unless another process holds the corp at that moment: then that one does). Concurrent
 * polls of one corp share runs; different corps run independently.
 */
export class DurableConsumer {
  readonly name: string;
  /** How many page claims found the (consumer, corp) pair held by another process (diagnostics, tests). */
  claimsMissed = 0;
  private readonly corps = new Map<string, CorpState>();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly def: ConsumerDefinition,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.name = def.name;
  }

  /** Handles every event of the corp committed before the call; resolves when done (rejects if the handler failed). */
  poll(corpId: string): Promise<void> {
    const state = this.state(corpId);
    const ticket = ++state.requested;
    const settled = new Promise<void>((resolve, reject) => state.waiters.push({ ticket, resolve, reject }));
    state.running ??= this.run(corpId, state);
    return settled;
  }

  /** Asks for a poll soon without waiting for it; failures go to the error callback. */
  nudge(corpId: string): void {
    if (!this.stopped) this.poll(corpId).catch(this.onError);
  }

  /** Corps this consumer has polled in this process (the registry's timer polls them again). */
  knownCorps(): string[] {
    return [...this.corps.keys()];
  }

  /** Stops taking nudges and waits for runs in flight (so the database is not closed under them). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.corps.values()].map((s) => s.running));
  }

  private state(corpId: string): CorpState {
    let state = this.corps.get(corpId);
    if (!state) {
      state = {
        requested: 0,
        done: 0,
        running: null,
        waiters: [],
        checkpoints: new Checkpoints(),
        readSinceCheckpoint: 0,
        lastCheckpointAt: 0,
        lastHandled: Date.now(),
        hasRow: false,
      };
      this.corps.set(corpId, state);
    }
    return state;
  }

  // A request is satisfied by a run that STARTED after it was made, so a caller who just committed
  // an event never gets a run whose snapshot was taken before the commit.
  private async run(corpId: string, state: CorpState): Promise<void> {
    // `running` is cleared in the same turn as the last check of `requested`: a poll made after that
    // check (a waiter resumed by this run) must start a new run, not wait on this finished one.
    await Promise.resolve();
    while (state.done < state.requested) {
      const target = state.requested;
      let failure: unknown = null;
      try {
        while (await this.page(corpId, state));
      } catch (error) {
        failure = error ?? new Error(`event consumer ${this.name} failed`);
      }
      state.done = target;
      const ready = state.waiters.filter((w) => w.ticket <= target);
      state.waiters = state.waiters.filter((w) => w.ticket > target);
      for (const w of ready) {
        if (failure) w.reject(failure);
        else w.resolve();
      }
    }
    state.running = null;
  }

  /** Reads and handles one page in one transaction; true when the poll must read another page. */
  private async page(corpId: string, state: CorpState): Promise<boolean> {
    const { db, def } = this;
    const batchSize = def.batchSize ?? 500;
    if (!state.hasRow) {
      // Computed outside the page's transaction: startCursor reads through `db`.
      const start = def.startAt === 'beginning' ? beginningCursor() : await startCursor(db, corpId);
      await db.execute(sql`insert into event_consumers (name, corp_id, settled_below, pending, floor)
        values (${def.name}, ${corpId}, ${start.xmax.toString()}::xid8, ${sql.param(start.pending.map(String))}::xid8[], ${start.floor})
        on conflict do nothing`);
      state.hasRow = true;
    }
    if (state.readSinceCheckpoint > 0 && Date.now() - state.lastCheckpointAt >= (def.checkpointEveryMs ?? 1000)) {
      state.checkpoints.add(await checkpoint(db, corpId));
      state.readSinceCheckpoint = 0;
      state.lastCheckpointAt = Date.now();
    }
    const ctx = systemContext(db, corpId, def.name, def.source ?? 'system');
    return withTx(ctx, async (txCtx) => {
      const { tx } = txCtx;
      const [lock] = await queryRows<{ ok: boolean }>(
        tx,
        sql`select pg_try_advisory_xact_lock(hashtext('event-consumer'), hashtext(${`${def.name}|${corpId}`})) as ok`,
      );
      if (!lock?.ok) {
        // Another process is on this corp now; it reads what this one would have.
        this.claimsMissed += 1;
        return false;
      }
      const stored = await this.load(tx, corpId);
      const snap = stored.snapshot ?? (await takeSnapshot(tx));
      const rows = await readPage(tx, corpId, stored, snap, stored.after, batchSize);
      const events = def.types ? rows.filter((e) => def.types!.includes(e.type)) : rows;
      const due = def.everyMs !== undefined && Date.now() - state.lastHandled >= def.everyMs;
      if (events.length > 0 || due) {
        await def.handle({ ...txCtx, consumer: def.name }, events);
        state.lastHandled = Date.now();
      }
      state.readSinceCheckpoint += rows.length;
      const more = rows.length === batchSize;
      if (more) {
        const last = rows[rows.length - 1]!;
        await this.save(tx, corpId, { ...stored, snapshot: snap, after: { txid: last.txid, seq: last.seq } });
        return true;
      }
      // The handler's own transaction, if it wrote, stays unsettled: its events are read next time.
      const [own] = await queryRows<{ xid: string | null }>(tx, sql`select pg_current_xact_id_if_assigned()::text as xid`);
      const passed = passSnapshot(stored, snap, own?.xid ? [BigInt(own.xid)] : []);
      const floor = state.checkpoints.raise(passed);
      // An idle poll stores nothing (no xid burnt): the old cursor is still correct, just behind.
      if (rows.length > 0 || stored.snapshot || floor > stored.floor) await this.save(tx, corpId, { ...passed, floor, snapshot: null, after: null });
      // A snapshot stored by an earlier page (maybe by an earlier process) predates this poll: go on
      // with a fresh one, so a poll still sees everything committed before it was asked for.
      return stored.snapshot !== null;
    });
  }

  private async load(tx: Tx, corpId: string): Promise<Stored> {
    const [row] = await queryRows<CursorRow>(
      tx,
      sql`
      select settled_below::text as xmax, array(select x::text from unnest(pending) x) as pending, floor, snapshot, after_txid::text as after_txid, after_seq
      from event_consumers where name = ${this.def.name} and corp_id = ${corpId}`,
    );
    if (!row) throw new Error(`event consumer ${this.def.name} has no cursor row for corp ${corpId}: was it deleted while running?`);
    return {
      xmax: BigInt(row.xmax),
      pending: (row.pending ?? []).map(BigInt),
      floor: Number(row.floor),
      snapshot: row.snapshot ? await snapshotFromText(tx, row.snapshot) : null,
      after: row.after_txid ? { txid: BigInt(row.after_txid), seq: Number(row.after_seq) } : null,
    };
  }

  private async save(tx: Tx, corpId: string, cursor: Stored): Promise<void> {
    await tx.execute(sql`update event_consumers set settled_below = ${cursor.xmax.toString()}::xid8, pending = ${sql.param(cursor.pending.map(String))}::xid8[], floor = ${cursor.floor},
      snapshot = ${cursor.snapshot?.text ?? null}, after_txid = ${cursor.after ? cursor.after.txid.toString() : null}::xid8, after_seq = ${cursor.after?.seq ?? null}, updated_at = now()
      where name = ${this.def.name} and corp_id = ${corpId}`);
  }
}
