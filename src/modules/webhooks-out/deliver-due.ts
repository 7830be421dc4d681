import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { type BackoffPolicy, backoffDelayMs, defaultBackoff, exhausted } from '../connector/backoff.js';
import { signDelivery } from '../webhooks/signature.js';
import { type PostOutcome, postJson } from './http-post.js';
import { checkTarget, type Resolver } from './url-safety.js';

/** How the sender behaves: clock, lease, timeout, retries, and the address rule. */
export type DeliverOptions = {
  now: () => Date;
  allowPrivate: boolean;
  /** How long a claimed delivery is hidden from other senders while its attempt runs. */
  leaseMs: number;
  timeoutMs: number;
  batchSize: number;
  backoff: BackoffPolicy;
  resolve?: Resolver;
};

/** The sender's defaults: a 10 s timeout, a 60 s lease, 50 deliveries per claim. */
export const defaultDeliverOptions = { leaseMs: 60_000, timeoutMs: 10_000, batchSize: 50, backoff: defaultBackoff } as const;

type Claimed = {
  corp_id: string;
  delivery_id: string;
  event_type: string;
  payload: unknown;
  idempotency_key: string;
  attempts: number;
  url: string;
  secret: string;
};

/** What one pass did. */
export type DeliverResult = { attempted: number; delivered: number; failed: number; dead: number };

/**
 * Claims up to `batchSize` due deliveries of enabled subscriptions in one short transaction: rows
 * locked `FOR UPDATE SKIP LOCKED` (another process claims others), their attempt counted and their
 * next attempt pushed a lease ahead, so a process that dies mid-send leaves them to be retried.
 * No transaction is held while sending (PGlite has one connection).
 */
async function claimDue(db: Db, now: Date, opts: DeliverOptions): Promise<Claimed[]> {
  const at = now.toISOString();
  return db.transaction((tx) =>
    queryRows<Claimed>(
      tx,
      sql`
      with due as (
        select o.corp_id, o.delivery_id from webhook_outbox o
        join webhook_subscriptions s on s.corp_id = o.corp_id and s.subscription_id = o.subscription_id and s.enabled
        where o.status = 'pending' and o.next_attempt_at <= ${at}::timestamptz
        order by o.next_attempt_at limit ${opts.batchSize}
        for update of o skip locked
      )
      update webhook_outbox o set attempts = o.attempts + 1, next_attempt_at = ${at}::timestamptz + make_interval(secs => ${opts.leaseMs / 1000})
      from due, webhook_subscriptions s
      where o.corp_id = due.corp_id and o.delivery_id = due.delivery_id and s.corp_id = o.corp_id and s.subscription_id = o.subscription_id
      returning o.corp_id, o.delivery_id, o.event_type, o.payload, o.idempotency_key, o.attempts, s.url, s.secret`,
    ),
  );
}

/**
 * One attempt: the URL is checked again now (the rule, and the host's current addresses), then the
 * signed POST goes to the checked address. The body is the stored payload, byte for byte the same
 * on every retry; the timestamp and signature are fresh.
 */
async function attempt(row: Claimed, opts: DeliverOptions): Promise<PostOutcome> {
  const target = await checkTarget(row.url, opts.allowPrivate, opts.resolve);
  if ('reason' in target) return { status: null, error: `webhook_url_forbidden: ${target.reason}` };
  const body = Buffer.from(JSON.stringify(row.payload));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Tagloom-Webhooks/1',
    'x-tagloom-event': row.event_type,
    'x-tagloom-delivery': row.idempotency_key,
    'idempotency-key': row.idempotency_key,
    'x-tagloom-timestamp': timestamp,
    'x-tagloom-signature': signDelivery(row.secret, timestamp, body),
  };
  return postJson(target, headers, body, opts.timeoutMs);
}

/**
 * Records an attempt and its outcome in one short transaction: 2xx → delivered; anything else
 * (3xx included: redirects are not followed) → pending again after the backoff, or dead once the
 * attempts are spent. Nothing is written if the delivery was deleted or replayed meanwhile.
 */
async function record(
  db: Db,
  row: Claimed,
  outcome: PostOutcome,
  latencyMs: number,
  now: Date,
  opts: DeliverOptions,
): Promise<'delivered' | 'failed' | 'dead' | 'gone'> {
  const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const error =
    outcome.error?.slice(0, 500) ??
    (ok
      ? null
      : outcome.status !== null && outcome.status >= 300 && outcome.status < 400
        ? `redirect ${outcome.status} (not followed)`
        : `HTTP ${outcome.status}`);
  const status = ok ? 'delivered' : exhausted(row.attempts, opts.backoff) ? 'dead' : 'pending';
  const next = new Date(now.getTime() + (status === 'pending' ? backoffDelayMs(row.attempts, opts.backoff) : 0));
  return db.transaction(async (tx) => {
    const updated = await queryRows<{ n: number }>(
      tx,
      sql`update webhook_outbox set status = ${status}, next_attempt_at = ${next.toISOString()}::timestamptz, last_status = ${outcome.status},
        last_error = ${error}, last_latency_ms = ${latencyMs}, delivered_at = ${ok ? now.toISOString() : null}::timestamptz
      where corp_id = ${row.corp_id} and delivery_id = ${row.delivery_id} and status = 'pending' and attempts = ${row.attempts} returning 1 as n`,
    );
    if (updated.length === 0) return 'gone';
    await tx.execute(sql`insert into webhook_attempts (corp_id, delivery_id, attempt, status, error, latency_ms, at)
      values (${row.corp_id}, ${row.delivery_id}, ${row.attempts}, ${outcome.status}, ${error}, ${latencyMs}, ${now.toISOString()}::timestamptz)
      on conflict do nothing`);
    return ok ? 'delivered' : status === 'dead' ? 'dead' : 'failed';
  });
}

/**
 * One sending pass over every corp: claim a batch, send it (in parallel, outside any transaction),
 * record the outcomes, and again until nothing is due. At least once: a crash between the POST and
 * the record sends again after the lease, with the same idempotency key.
 */
export async function deliverDue(db: Db, opts: DeliverOptions): Promise<DeliverResult> {
  const result: DeliverResult = { attempted: 0, delivered: 0, failed: 0, dead: 0 };
  for (let round = 0; round < 20; round++) {
    const claimed = await claimDue(db, opts.now(), opts);
    if (claimed.length === 0) break;
    await Promise.all(
      claimed.map(async (row) => {
        const started = performance.now();
        const outcome = await attempt(row, opts);
        const latencyMs = Math.round(performance.now() - started);
        const recorded = await record(db, row, outcome, latencyMs, opts.now(), opts);
        result.attempted += 1;
        if (recorded === 'delivered') result.delivered += 1;
        else if (recorded === 'dead') result.dead += 1;
        else if (recorded === 'failed') result.failed += 1;
      }),
    );
  }
  return result;
}
