/** How a poller runs: how often, whether at all (tests drive `tick()` by hand), and where failures go. */
export type PollerOptions = {
  everyMs: number;
  /** Set false to drive `tick()` by hand (tests). */
  run?: boolean;
  log?: (error: unknown, message: string) => void;
  /** What the log line says when a pass throws. */
  failure: string;
};

/**
 * A background pass repeated on a timer: passes never overlap in a process (a tick during a pass
 * joins it), and `stop()` waits for the pass in flight so the database is not closed under it. The
 * Moments dispatcher, the outbound webhook sender and the WeCom pusher are each one of these.
 */
export class Poller<R> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<R> | null = null;
  private stopped = false;

  /** `pass` does one round; `idle` is what a tick answers once stopped. */
  constructor(
    private readonly pass: () => Promise<R>,
    private readonly idle: () => R,
    private readonly opts: PollerOptions,
  ) {}

  /** Starts polling (unless `run: false`); the timer never keeps the process alive. */
  start(): void {
    if (this.opts.run === false || this.stopped) return;
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.opts.log?.(error, this.opts.failure));
    }, this.opts.everyMs);
    this.timer.unref();
  }

  /** One pass now (or the one in flight): resolves with what it did. */
  tick(): Promise<R> {
    if (this.stopped) return Promise.resolve(this.idle());
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops polling and waits for a pass in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
