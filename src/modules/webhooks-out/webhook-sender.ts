import type { Db } from '../../db/client.js';
import { type DeliverOptions, type DeliverResult, defaultDeliverOptions, deliverDue } from './deliver-due.js';

/** Options: the clock (tests move it), how often to look, the tuning of `deliverDue`, where failures go. */
export type WebhookSenderOptions = Partial<Omit<DeliverOptions, 'allowPrivate'>> & {
  everyMs?: number;
  /** Set false to drive `tick()` by hand (tests). */
  run?: boolean;
  log?: (error: unknown, message: string) => void;
};

/**
 * The poller that sends due outbound webhook deliveries: every second or so one `deliverDue` pass.
 * Passes never overlap in a process; across processes `FOR UPDATE SKIP LOCKED` and the lease keep
 * each attempt to one sender. Started by `buildApp` and stopped on close.
 */
export class WebhookSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DeliverResult> | null = null;
  private stopped = false;
  private readonly options: DeliverOptions;

  constructor(
    private readonly db: Db,
    allowPrivate: boolean,
    private readonly opts: WebhookSenderOptions = {},
  ) {
    this.options = { ...defaultDeliverOptions, now: () => new Date(), ...opts, allowPrivate };
  }

  /** Starts polling (unless `run: false`). */
  start(): void {
    if (this.opts.run === false) return;
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.opts.log?.(error, 'webhook delivery failed'));
    }, this.opts.everyMs ?? 1000);
    this.timer.unref();
  }

  /** One pass now (or the one in flight): resolves with what it did. */
  tick(): Promise<DeliverResult> {
    if (this.stopped) return Promise.resolve({ attempted: 0, delivered: 0, failed: 0, dead: 0 });
    this.running ??= deliverDue(this.db, this.options).finally(() => {
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
