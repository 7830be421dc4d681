import type { Db } from '../../../db/client.js';
import { Poller } from '../../../jobs/poller.js';
import { type DispatchResult, dispatchDue } from './dispatch-due.js';

/** Options: the clock (tests move it), how often to look, how many deliveries per claim, where failures go. */
export type MomentDispatcherOptions = {
  now?: () => Date;
  everyMs?: number;
  batchSize?: number;
  /** Set false to drive `tick()` by hand (tests). */
  run?: boolean;
  log?: (error: unknown, message: string) => void;
};

/**
 * The poller that sends due Moments deliveries: every few seconds one `dispatchDue` pass over the
 * corps. Passes never overlap in a process; across processes `FOR UPDATE SKIP LOCKED` keeps each
 * delivery sent once. Started by `buildApp` and stopped on close.
 */
export class MomentDispatcher {
  private readonly poller: Poller<DispatchResult>;

  constructor(db: Db, opts: MomentDispatcherOptions = {}) {
    const now = opts.now ?? (() => new Date());
    this.poller = new Poller(
      () => dispatchDue(db, now(), opts.batchSize),
      () => ({ sent: 0, byCorp: new Map() }),
      { everyMs: opts.everyMs ?? 5000, run: opts.run, log: opts.log, failure: 'moments dispatch failed' },
    );
  }

  /** Starts polling (unless `run: false`). */
  start(): void {
    this.poller.start();
  }

  /** One pass now (or the one in flight): resolves with what it sent. */
  tick(): Promise<DispatchResult> {
    return this.poller.tick();
  }

  /** Stops polling and waits for a pass in flight, so the database is not closed under it. */
  stop(): Promise<void> {
    return this.poller.stop();
  }
}
