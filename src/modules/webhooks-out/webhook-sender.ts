import type { Db } from '../../db/client.js';
import { Poller } from '../../jobs/poller.js';
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
  private readonly poller: Poller<DeliverResult>;

  constructor(db: Db, allowPrivate: boolean, opts: WebhookSenderOptions = {}) {
    const options: DeliverOptions = { ...defaultDeliverOptions, now: () => new Date(), ...opts, allowPrivate };
    this.poller = new Poller(
      () => deliverDue(db, options),
      () => ({ attempted: 0, delivered: 0, failed: 0, dead: 0 }),
      { everyMs: opts.everyMs ?? 1000, run: opts.run, log: opts.log, failure: 'webhook delivery failed' },
    );
  }

  /** Starts polling (unless `run: false`). */
  start(): void {
    this.poller.start();
  }

  /** One pass now (or the one in flight): resolves with what it did. */
  tick(): Promise<DeliverResult> {
    return this.poller.tick();
  }

  /** Stops polling and waits for a pass in flight, so the database is not closed under it. */
  stop(): Promise<void> {
    return this.poller.stop();
  }
}
