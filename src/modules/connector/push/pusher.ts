import type { Db, Tx } from '../../../db/client.js';
import { Poller } from '../../../jobs/poller.js';
import { type BackoffPolicy, backoffDelayMs, defaultBackoff, exhausted } from '../backoff.js';
import { connectionClient } from '../connection.js';
import type { SecretBox } from '../secret-box.js';
import type { WecomClient } from '../wecom-client.js';
import { libraryOrderKey } from './plan.js';
import { type ClaimedItem, claimDue, corpsWithDueRows, markDead, markDelivered, markRetry, releaseClaim } from './queue.js';
import { applyIdChanges, type PreparedMark, prepareMarks, type SendOutcome, sendItem, sendPreparedMark } from './send-item.js';
import { TokenBucket } from './token-bucket.js';

/** Options: the clock (tests move it), polling, lease and batch sizes, WeCom's mark_tag limit, and test hooks. */
export type WecomPusherOptions = {
  now?: () => Date;
  everyMs?: number;
  /** Rows claimed per corp per round (each of a different order key, so they may go out together). */
  batchSize?: number;
  /** How long a claim keeps a row from other pushers while its call is in flight. */
  leaseMs?: number;
  /** WeCom's limit on mark_tag calls per corp per minute (1,000). */
  markCallsPerMinute?: number;
  /** Calls in flight at once per corp. */
  concurrency?: number;
  backoff?: BackoffPolicy;
  /** Set false to drive `tick()` / `drain()` by hand (tests). */
  run?: boolean;
  /** The fetch the WeCom client uses (tests point it at a fake). */
  fetch?: typeof fetch;
  log?: (error: unknown, message: string) => void;
};

/** What a round did: rows delivered, scheduled again, given up on, or handed back to wait. */
export type PushResult = { delivered: number; retried: number; dead: number; waiting: number };

const empty = (): PushResult => ({ delivered: 0, retried: 0, dead: 0, waiting: 0 });
const add = (a: PushResult, b: PushResult) => {
  a.delivered += b.delivered;
  a.retried += b.retried;
  a.dead += b.dead;
  a.waiting += b.waiting;
};

/**
 * The poller that sends queued WeCom calls (rows of `wecom_push_queue`). PGlite has one
 * connection, so no transaction is held across a call: rows are claimed with a lease in one short
 * transaction, sent, and their outcome written in another. Across processes the lease and the
 * "no earlier pending row of the same order key" rule keep each row sent once at a time and each
 * customer's marks in order. A per-corp token bucket paces mark_tag under WeCom's rate limit.
 */
export class WecomPusher {
  private readonly poller: Poller<PushResult>;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox | null,
    private readonly opts: WecomPusherOptions = {},
  ) {
    this.poller = new Poller(() => this.round(), empty, { everyMs: opts.everyMs ?? 2000, run: opts.run, log: opts.log, failure: 'wecom push failed' });
  }

  /** Starts polling (unless `run: false`). */
  start(): void {
    this.poller.start();
  }

  /** One round over every corp with due rows (or the round in flight). */
  tick(): Promise<PushResult> {
    return this.poller.tick();
  }

  /** Sends the corp's due rows until none is due (tests: each row sent or scheduled for later). */
  async drain(corpId: string): Promise<PushResult> {
    const total = empty();
    for (;;) {
      const result = await this.pushCorp(corpId);
      if (result === null) return total;
      add(total, result);
    }
  }

  /** Stops polling and waits for a round in flight, so the database is not closed under it. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }

  private async round(): Promise<PushResult> {
    const total = empty();
    for (const corpId of await corpsWithDueRows(this.db, this.now())) {
      try {
        const result = await this.pushCorp(corpId);
        if (result) add(total, result);
      } catch (error) {
        this.opts.log?.(error, 'wecom push failed for a corp');
      }
    }
    return total;
  }

  /** Claims one batch of the corp's due rows and sends it; null when nothing was due. */
  private async pushCorp(corpId: string): Promise<PushResult | null> {
    const items = await claimDue(this.db, corpId, this.now(), this.opts.leaseMs ?? 60_000, this.opts.batchSize ?? 50);
    if (items.length === 0) return null;
    const result = empty();
    let client: WecomClient | null = null;
    try {
      client = await connectionClient(this.db, this.box, corpId, { fetch: this.opts.fetch });
    } catch {
      // No key or no connection any more: the rows wait (a removed connection deletes nothing queued).
      for (const item of items) await this.finish(item, { kind: 'failed', errcode: -1, errmsg: 'connector not configured', retryable: true }, result);
      return result;
    }
    // The library row first: a mark claimed with it may name a tag it creates.
    const library = items.filter((i) => i.orderKey === libraryOrderKey);
    for (const item of library) await this.finish(item, await this.attempt(client, item), result);
    // The marks: prepared together (after the library rows linked their new ids), sent a few at a
    // time, and their outcomes written in one transaction.
    const queue = items.filter((i) => i.orderKey !== libraryOrderKey);
    let prepared: Map<string, PreparedMark>;
    try {
      prepared = await prepareMarks(this.db, corpId, queue);
    } catch (error) {
      this.opts.log?.(error, 'wecom push item failed');
      prepared = new Map();
    }
    const outcomes: [ClaimedItem, SendOutcome][] = [];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) outcomes.push([item, await this.attempt(client!, item, prepared.get(item.itemId))]);
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 4, queue.length) }, worker));
    await this.finishAll(outcomes, result);
    return result;
  }

  private async attempt(client: WecomClient, item: ClaimedItem, prepared?: PreparedMark): Promise<SendOutcome> {
    if (item.op === 'mark_tag') {
      const bucket = this.bucket(item.corpId);
      const now = this.now().getTime();
      if (!bucket.take(now)) return { kind: 'wait', ms: bucket.msUntilToken(now), reason: 'rate limit' };
    }
    try {
      return prepared ? await sendPreparedMark(client, item, prepared) : await sendItem(this.db, client, item);
    } catch (error) {
      this.opts.log?.(error, 'wecom push item failed');
      return { kind: 'failed', errcode: -1, errmsg: 'internal error while sending', retryable: true };
    }
  }

  private bucket(corpId: string): TokenBucket {
    let bucket = this.buckets.get(corpId);
    if (!bucket) this.buckets.set(corpId, (bucket = new TokenBucket(this.opts.markCallsPerMinute ?? 1000, this.now().getTime())));
    return bucket;
  }

  /** Writes one outcome in one short transaction, fenced by the claim's attempt number. */
  private finish(item: ClaimedItem, outcome: SendOutcome, result: PushResult): Promise<void> {
    return this.finishAll([[item, outcome]], result);
  }

  /** Writes a batch's outcomes in one short transaction, each fenced by its claim's attempt number. */
  private async finishAll(outcomes: [ClaimedItem, SendOutcome][], result: PushResult): Promise<void> {
    if (outcomes.length === 0) return;
    const now = this.now();
    const policy = this.opts.backoff ?? defaultBackoff;
    const counted = empty();
    await this.db.transaction(async (tx) => {
      for (const [item, outcome] of outcomes) await this.write(tx, item, outcome, now, policy, counted);
    });
    add(result, counted);
  }

  private async write(tx: Tx, item: ClaimedItem, outcome: SendOutcome, now: Date, policy: BackoffPolicy, result: PushResult): Promise<void> {
    if (outcome.kind === 'delivered') {
      if (await markDelivered(tx, item, now)) await applyIdChanges(tx, item.corpId, outcome.ids);
      result.delivered += 1;
    } else if (outcome.kind === 'wait') {
      await releaseClaim(tx, item, new Date(now.getTime() + Math.max(outcome.ms, 1)));
      result.waiting += 1;
    } else if (outcome.kind === 'undeliverable') {
      await markDead(tx, item, now, null, outcome.reason);
      result.dead += 1;
    } else if (!outcome.retryable || exhausted(item.attempts, policy)) {
      await markDead(tx, item, now, outcome.errcode, outcome.errmsg);
      result.dead += 1;
    } else {
      await markRetry(tx, item, new Date(now.getTime() + backoffDelayMs(item.attempts, policy)), outcome.errcode, outcome.errmsg);
      result.retried += 1;
    }
  }
}
