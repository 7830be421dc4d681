import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/**
 * The link from a Tagloom corp to a real WeCom corp: its corpid, the 客户联系 secret, the callback
 * token and EncodingAESKey, and the cached access token and JS-SDK ticket. Every secret column holds
 * a sealed box (src/modules/connector/secret-box.ts: AES-256-GCM under `TAGLOOM_SECRET_KEY`), never
 * the plain value; the key itself is never stored. `api_base` points at WeCom, or at a fake or
 * another Tagloom in tests.
 */
export const wecomConnections = pgTable('wecom_connections', {
  corpId: text('corp_id')
    .primaryKey()
    .references(() => corps.corpId, { onDelete: 'cascade' }),
  wecomCorpid: text('wecom_corpid').notNull(),
  agentId: integer('agent_id'),
  apiBase: text('api_base').notNull().default('https://qyapi.weixin.qq.com'),
  secretSealed: text('secret_sealed').notNull(),
  callbackTokenSealed: text('callback_token_sealed'),
  aesKeySealed: text('aes_key_sealed'),
  /** Local changes are pushed to WeCom only while this is on (a pull alone never pushes). */
  pushEnabled: boolean('push_enabled').notNull().default(false),
  accessTokenSealed: text('access_token_sealed'),
  tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
  jsapiTicketSealed: text('jsapi_ticket_sealed'),
  jsapiTicketExpiresAt: timestamp('jsapi_ticket_expires_at', { withTimezone: true }),
  /** When the last full pull finished, and the watermark an incremental pull starts from. */
  lastFullPullAt: timestamp('last_full_pull_at', { withTimezone: true }),
  lastPullAt: timestamp('last_pull_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** What a WeCom id maps to: tag groups and tags (enterprise and rule-group), rule groups (customers and employees keep WeCom's ids). */
export const wecomIdKinds = ['tag_group', 'tag', 'strategy'] as const;

/**
 * Local id ↔ WeCom id, both ways: a tag pulled from WeCom, or one created here and pushed up (WeCom
 * assigns its id on `add_corp_tag`). One row per pair; each side unique within the corp.
 */
export const wecomIdMap = pgTable(
  'wecom_id_map',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    kind: text('kind', { enum: wecomIdKinds }).notNull(),
    localId: text('local_id').notNull(),
    remoteId: text('remote_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.kind, t.localId] }), uniqueIndex('wecom_id_map_remote_uq').on(t.corpId, t.kind, t.remoteId)],
);

/** Where a queued outbound item stands: waiting (or backing off), done, or given up on (the dead-letter list). */
export const outboundStatuses = ['pending', 'delivered', 'dead'] as const;
export type OutboundStatus = (typeof outboundStatuses)[number];

/** A WeCom call the push makes for a local change. */
export const wecomPushOps = ['add_corp_tag', 'edit_corp_tag', 'del_corp_tag', 'mark_tag'] as const;
export type WecomPushOp = (typeof wecomPushOps)[number];

/**
 * The push to WeCom: one row per call to make, written by the `wecom-push` event consumer in the
 * page's transaction (so exactly once per event), sent by the push worker. Rows of one `order_key`
 * (a customer's external_userid for marks, `tags` for the library) are sent strictly in `seq`
 * order: a later row waits while an earlier one is pending. Dead rows are the dead-letter list.
 */
export const wecomPushQueue = pgTable(
  'wecom_push_queue',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    /** The event (`events.seq`) the call came from. */
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
    eventType: text('event_type').notNull(),
    op: text('op', { enum: wecomPushOps }).notNull(),
    orderKey: text('order_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: outboundStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastErrcode: integer('last_errcode'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.itemId] }),
    index('wecom_push_due_idx').on(t.corpId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('wecom_push_order_idx').on(t.corpId, t.orderKey, t.seq).where(sql`${t.status} = 'pending'`),
    index('wecom_push_dead_idx').on(t.corpId, t.seq).where(sql`${t.status} = 'dead'`),
  ],
);

/** What became of a callback from WeCom. */
export const callbackOutcomes = ['applied', 'duplicate', 'refused', 'failed'] as const;

/**
 * Every callback WeCom posted for the corp, with its outcome: the console's callback log, and what
 * applies a retried callback once (`dedup_key` of an applied one is unique). Refused ones (a bad
 * signature, a stale timestamp, XML that does not parse) keep the reason and nothing of the body.
 */
export const wecomCallbacks = pgTable(
  'wecom_callbacks',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    callbackId: text('callback_id').notNull(),
    dedupKey: text('dedup_key'),
    outcome: text('outcome', { enum: callbackOutcomes }).notNull(),
    event: text('event'),
    changeType: text('change_type'),
    reason: text('reason'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.callbackId] }),
    index('wecom_callbacks_recent_idx').on(t.corpId, t.receivedAt),
    uniqueIndex('wecom_callbacks_dedup_uq').on(t.corpId, t.dedupKey).where(sql`${t.outcome} = 'applied'`),
  ],
);

/**
 * An outbound webhook subscription: where to POST (http(s); private addresses refused unless
 * `TAGLOOM_WEBHOOK_ALLOW_PRIVATE`), which event types (patterns such as `tag.*`), and the signing
 * secret (kept as is, like inbound sources: HMAC needs it; answered only at creation and rotation).
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    subscriptionId: text('subscription_id').notNull(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.subscriptionId] })],
);

/**
 * One outbound webhook delivery (an event × a subscription), written by the `webhooks-out` consumer
 * in the page's transaction, sent by the webhook worker with retries. `idempotency_key` is sent as a
 * header and stays the same across retries and replays.
 */
export const webhookOutbox = pgTable(
  'webhook_outbox',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    deliveryId: text('delivery_id').notNull(),
    subscriptionId: text('subscription_id').notNull(),
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status', { enum: outboundStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    lastLatencyMs: integer('last_latency_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.deliveryId] }),
    uniqueIndex('webhook_outbox_key_uq').on(t.corpId, t.subscriptionId, t.idempotencyKey),
    index('webhook_outbox_due_idx').on(t.corpId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_outbox_sub_idx').on(t.corpId, t.subscriptionId, t.createdAt),
  ],
);

/** Each attempt at an outbound webhook delivery: the HTTP status (or the network error) and the latency. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    deliveryId: text('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    status: integer('status'),
    error: text('error'),
    latencyMs: integer('latency_ms').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.deliveryId, t.attempt] })],
);
