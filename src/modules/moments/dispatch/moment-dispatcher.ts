import type { Db } from '../../../db/client.js';
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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DispatchResult> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly opts: MomentDispatcherOptions = {},
  ) {}

  /** Starts polling (unless `run: false`). */
  start(): void {
    if (this.opts.run === false) return;
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.opts.log?.(error, 'moments dispatch failed'));
    }, this.opts.everyMs ?? 5000);
    this.timer.unref();
  }

  /** One pass now (or the one in flight): resolves with what it sent. */
  tick(): Promise<DispatchResult> {
    if (this.stopped) return Promise.resolve({ sent: 0, byCorp: new Map() });
    this.running ??= dispatchDue(this.db, (this.opts.now ?? (() => new Date()))(), this.opts.batchSize).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops polling and waits for a pass in flight, so the database is not closed under it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
