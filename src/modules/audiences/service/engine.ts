import type { Database, Db } from '../../../db/client.js';
import type { EventConsumer } from '../../../events/consumers.js';
import { type BuildOptions, buildCorpIndex, type CorpIndex } from '../index/corp-index.js';
import { EventTail } from '../index/tail.js';
import { captureIndex, snapshotFormat } from '../snapshot/codec.js';
import { snapshotStoreFor } from '../snapshot/file-store.js';
import { type RestoreOptions, restoreCorpIndex } from '../snapshot/restore.js';

/**
 * A consumer of the index rather than of the events: it runs after a corp's index took in new
 * events, reading the index (the smart-group maintainer). It needs no cursor of its own: it
 * reconciles state (every rule against the whole index), so it only needs to run after each change.
 */
export type IndexFollower = {
  name: string;
  handle: (corpId: string, index: CorpIndex) => Promise<void>;
  /** Also run at least this often without new events: relative windows (`added:within(30d)`) move with the clock. */
  everyMs?: number;
};

/** Options: how to hear about commits (when started on its own), how often to poll anyway, and what to build. */
export type EngineOptions = {
  listen?: Database['listen'];
  /** Fallback poll period when started on its own (`start`); in a server the `EventConsumers` timer drives it. */
  pollMs?: number;
  build?: BuildOptions;
  onError?: (error: unknown) => void;
  /**
   * Build a corp's index when a notification names it, not only on first use, so its smart groups
   * are kept current although nobody asked for a count since the server started.
   */
  buildOnNotify?: boolean;
  /**
   * Persist each corp's index (table `index_snapshots`) and start from it: a server does, so a
   * restart loads and tails instead of rebuilding. Off by default (tests build their own indexes).
   */
  snapshots?: SnapshotPolicy;
  /** Where the engine says how each index started (snapshot or full build, and why): no personal data. */
  log?: (fields: Record<string, unknown>, message: string) => void;
};

/**
 * When snapshots are written, besides after a full build and at `stop`: once this many events
 * were applied since the last one, after an event that changed many customers at once (a batch,
 * an import, a bulk mark), or once `everyMs` passed with any change. Never more often than `minIntervalMs`.
 */
export type SnapshotPolicy = RestoreOptions & {
  everyEvents?: number;
  everyMs?: number;
  minIntervalMs?: number;
  /**
   * A larger snapshot is not written (the index is built in full at the next start instead). PGlite
   * moves a bytea through hex text in JavaScript at well under 10 MB/s, on its one connection that
   * requests wait for, so a server on PGlite in memory caps it (on a data folder it writes files: `dir`).
   */
  maxBytes?: number;
};

// `requested` / `done` number refresh requests: a request is satisfied by a refresh that STARTED
// after it was made, so a caller who just committed a change never gets a refresh that began
// reading before the commit.
type Entry = {
  index: CorpIndex;
  tail: EventTail;
  lastFollowed: Map<string, number>;
  requested: number;
  done: number;
  running: boolean;
  waiters: { ticket: number; resolve: () => void; reject: (e: unknown) => void }[];
  /** Events applied since the last snapshot (Infinity: none taken since a full build). */
  unsaved: number;
  savedAt: number;
  saving: Promise<void> | null;
};

/**
 * The audience indexes of this process, one per corp, built on first use and kept current by
 * tailing the events table: woken by NOTIFY (a trigger on `events`, on PostgreSQL and PGlite
 * alike) and by a slow timer. Several processes on one database each keep their own index and
 * agree, because each reads the same committed events. It is the `audience-index` event consumer
 * (registered in app.ts); its followers run after each refresh that took in events.
 */
export class AudienceEngine implements EventConsumer {
  readonly name = 'audience-index';
  private readonly corps = new Map<string, Promise<Entry>>();
  private readonly followers: IndexFollower[] = [];
  private readonly wake = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private wakeScheduled = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly opts: EngineOptions = {},
  ) {}

  /** Starts listening and the fallback timer; without `start` the engine still answers, polling on each use. */
  async start(): Promise<void> {
    if (this.opts.listen) this.unlisten = await this.opts.listen('tagloom_events', (corpId) => this.nudge(corpId));
    const every = this.opts.pollMs ?? 1000;
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  /** Adds a follower, run after each refresh of a corp that took in events (in the order added). */
  follow(follower: IndexFollower): void {
    this.followers.push(follower);
  }

  /** Refreshes every corp built so far (the fallback timer). */
  tick(): void {
    for (const corpId of this.corps.keys()) this.nudge(corpId);
  }

  /** Refreshes the corp's index (and runs its followers) if it has been built in this process. */
  async settle(corpId: string): Promise<void> {
    if (this.corps.has(corpId)) await this.current(corpId);
  }

  /** Stops listening and polling; indexes already built stay readable. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    // Let a refresh in flight finish, so closing the database under it does not log errors.
    await Promise.allSettled([...this.corps.entries()].map(async ([id, e]) => this.refresh(id, await e)));
    // A graceful stop saves what changed, so the next start tails only what commits from now on.
    if (this.opts.snapshots)
      await Promise.allSettled(
        [...this.corps.values()].map(async (pending) => {
          const e = await pending;
          await e.saving;
          if (e.unsaved > 0) await this.save(e);
        }),
      );
  }

  /**
   * The corp's index, current with every event committed before the call (read-your-writes for the
   * caller who just changed something). Evaluate synchronously right after awaiting it: refreshes
   * run one at a time and only between such turns.
   */
  async current(corpId: string): Promise<CorpIndex> {
    const entry = await this.entry(corpId);
    await this.refresh(corpId, entry);
    return entry.index;
  }

  /**
   * Builds the indexes of the given corps one after another in the background (a server warms every
   * corp at start, so smart groups resume without waiting for a request). Failures go to `onError`.
   */
  warm(corpIds: string[]): Promise<void> {
    this.warming = corpIds.length;
    return corpIds.reduce<Promise<void>>(
      // A stopped engine builds nothing more: the database is about to close under it.
      (prev, id) =>
        prev
          .then(() =>
            this.stopped
              ? undefined
              : this.current(id).then(
                  () => undefined,
                  (error: unknown) => this.opts.onError?.(error),
                ),
          )
          .finally(() => void (this.warming -= 1)),
      Promise.resolve(),
    );
  }

  /** How many corps `warm` has still to build (a failed build counts as done: it is retried on use). */
  warming = 0;

  /** Whether the corp's index has been built in this process (for diagnostics and tests). */
  has(corpId: string): boolean {
    return this.corps.has(corpId);
  }

  /** Asks for a refresh of a corp soon; calls within the same tick are merged. */
  nudge(corpId: string): void {
    if (this.stopped || (!this.corps.has(corpId) && !this.opts.buildOnNotify)) return;
    this.wake.add(corpId);
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      const corps = [...this.wake];
      this.wake.clear();
      for (const id of corps)
        void this.entry(id)
          .then((e) => this.refresh(id, e))
          .catch((error: unknown) => this.opts.onError?.(error));
    });
  }

  private entry(corpId: string): Promise<Entry> {
    let entry = this.corps.get(corpId);
    if (!entry) {
      entry = this.open(corpId).then(
        ({ index, unsaved }): Entry => ({
          index,
          tail: new EventTail(this.db, index),
          lastFollowed: new Map(),
          requested: 0,
          done: 0,
          running: false,
          waiters: [],
          unsaved,
          savedAt: Date.now(),
          saving: null,
        }),
      );
      // A failed build is forgotten, so the next use tries again instead of failing forever.
      entry.catch(() => this.corps.delete(corpId));
      this.corps.set(corpId, entry);
    }
    return entry;
  }

  // From the corp's snapshot when snapshots are on and it is usable, else a full build.
  private async open(corpId: string): Promise<{ index: CorpIndex; unsaved: number }> {
    const policy = this.opts.snapshots;
    if (!policy) return { index: await buildCorpIndex(this.db, corpId, this.opts.build), unsaved: 0 };
    const restored = await restoreCorpIndex(this.db, corpId, { build: this.opts.build, ...policy });
    const { index, path } = restored;
    this.opts.log?.(
      { corpId, path, ms: Math.round(restored.ms), snapshotBytes: restored.snapshotBytes, customers: index.stats.customers },
      path === 'snapshot' ? 'audience index loaded from its snapshot' : 'audience index built in full',
    );
    // After a full build the first refresh saves it: the next start need not build again.
    return { index, unsaved: path === 'snapshot' ? 0 : Number.POSITIVE_INFINITY };
  }

  // Captures the index now (synchronously: consistent with its cursor) and writes it in the
  // background; the next capture waits for this write.
  private save(entry: Entry): Promise<void> {
    const captured = captureIndex(entry.index);
    entry.unsaved = 0;
    entry.savedAt = Date.now();
    const maxBytes = this.opts.snapshots?.maxBytes;
    if (maxBytes !== undefined && captured.bytes > maxBytes) {
      this.opts.log?.({ corpId: entry.index.corpId, bytes: captured.bytes, maxBytes }, 'audience index snapshot too large for this database: not written');
      return Promise.resolve();
    }
    const saving = snapshotStoreFor(this.db, this.opts.snapshots?.dir)
      .write(captured, snapshotFormat)
      .then(
        () => undefined,
        (error: unknown) => {
          entry.unsaved = Math.max(entry.unsaved, 1);
          this.opts.onError?.(error);
        },
      );
    entry.saving = saving.finally(() => {
      if (entry.saving === saving) entry.saving = null;
    });
    return saving;
  }

  // Whether the index changed enough since its last snapshot to take another (see SnapshotPolicy).
  private dueForSnapshot(entry: Entry): boolean {
    const policy = this.opts.snapshots;
    if (!policy || entry.saving || this.stopped || entry.unsaved === 0) return false;
    const since = Date.now() - entry.savedAt;
    if (entry.unsaved === Number.POSITIVE_INFINITY) return true;
    if (since < (policy.minIntervalMs ?? 10_000)) return false;
    return entry.tail.largeChanges > 0 || entry.unsaved >= (policy.everyEvents ?? 10_000) || since >= (policy.everyMs ?? 600_000);
  }

  private refresh(corpId: string, entry: Entry): Promise<void> {
    const ticket = ++entry.requested;
    const settled = new Promise<void>((resolve, reject) => entry.waiters.push({ ticket, resolve, reject }));
    if (!entry.running) void this.run(corpId, entry);
    return settled;
  }

  // One loop per corp: each round serves every request made before it started, then the followers
  // (smart groups) catch up with what it applied (their writes come back as events in a later round).
  private async run(corpId: string, entry: Entry): Promise<void> {
    entry.running = true;
    try {
      while (entry.done < entry.requested) {
        const target = entry.requested;
        let failure: unknown = null;
        try {
          const applied = await entry.tail.poll();
          entry.unsaved += applied;
          if (this.dueForSnapshot(entry)) {
            entry.tail.largeChanges = 0;
            void this.save(entry);
          }
          for (const follower of this.followers) {
            const due = Date.now() - (entry.lastFollowed.get(follower.name) ?? 0) >= (follower.everyMs ?? 60_000);
            if ((applied > 0 || due) && !this.stopped) {
              entry.lastFollowed.set(follower.name, Date.now());
              await follower.handle(corpId, entry.index);
            }
          }
        } catch (error) {
          failure = error ?? new Error('refresh failed');
        }
        entry.done = target;
        const ready = entry.waiters.filter((w) => w.ticket <= target);
        entry.waiters = entry.waiters.filter((w) => w.ticket > target);
        for (const w of ready) {
          if (failure) w.reject(failure);
          else w.resolve();
        }
      }
    } finally {
      entry.running = false;
    }
  }
}
