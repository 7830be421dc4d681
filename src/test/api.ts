import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { type AppOptions, buildApp } from '../app.js';
import type { Database, Db } from '../db/client.js';
import {
  archivedMarks,
  audiences,
  contactWays,
  corps,
  customerEvents,
  events,
  follows,
  marks,
  messageReceipts,
  momentDeliveries,
  moments,
  operationJournal,
  operations,
  personalTags,
  rules,
  ruleVersions,
  tagGroups,
  tags,
} from '../db/schema/index.js';
import { SecretBox } from '../modules/connector/secret-box.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from './factories.js';
import { type Reading, readTables } from './write-watch.js';

/** A response as tests read it: the status and the parsed JSON body (`any`: tests assert it field by field). */
export type ApiResponse = { status: number; body: any; headers: Record<string, unknown> };

/**
 * Builds the app on the suite's database before its tests and closes it after. Call it inside a
 * `describeDb` callback, after which the database is open when this hook runs. `opts` go to
 * `buildApp` (e.g. `runJobs: false` to drive the batch worker by hand).
 */
export function useTestApp(db: () => Database, opts: Omit<AppOptions, 'db'> = {}): () => FastifyInstance {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    // Moments deliveries go out only when a test ticks the dispatcher: a background send would move
    // the state that refusal tests compare before and after.
    // A random sealing key: the connector works in tests without TAGLOOM_SECRET_KEY (pass `secretBox: null` to test its absence).
    // Outbound webhooks and the WeCom push likewise go out only when a test ticks `app.webhookSender` / `app.wecomPusher`.
    app = await buildApp({
      dbKind: db().kind,
      moments: { run: false },
      webhooks: { run: false },
      push: { run: false },
      secretBox: SecretBox.random(),
      ...opts,
      db: db().db,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('The test app is not built yet: use it inside a test.');
    return app;
  };
}

/**
 * A small client for `/api/v1`: `key` goes in `Authorization: Bearer` (null sends none) and
 * `actingAs` in `Tagloom-Acting-User`.
 * @example const res = await apiClient(app, secret, 'u1').post('/personal-tags', { name: '老朋友' })
 */
export function apiClient(app: () => FastifyInstance, key: string | null, actingAs?: string) {
  const send = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (actingAs) headers['tagloom-acting-user'] = actingAs;
    const res = await app().inject({ method, url: `/api/v1${url}`, headers, ...(body === undefined ? {} : { payload: body as object }) });
    const json = String(res.headers['content-type'] ?? '').includes('json');
    return { status: res.statusCode, body: res.body === '' ? undefined : json ? res.json() : res.body, headers: res.headers };
  };
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, body?: unknown) => send('POST', url, body),
    patch: (url: string, body?: unknown) => send('PATCH', url, body),
    put: (url: string, body?: unknown) => send('PUT', url, body),
    delete: (url: string) => send('DELETE', url),
  };
}

/**
 * Everything a corp owns that a request could change, plus its event count. Error cases compare
 * it before and after to prove a refused request changed nothing (not even the audit log).
 */
export async function corpState(db: Db, corpId: string) {
  const [eventCount] = await db.select({ n: count() }).from(events).where(eq(events.corpId, corpId));
  return {
    events: eventCount?.n ?? 0,
    corp: await db
      .select({ settings: corps.settings, tagVersion: corps.tagVersion, momentVersion: corps.momentVersion })
      .from(corps)
      .where(eq(corps.corpId, corpId)),
    groups: await db.select().from(tagGroups).where(eq(tagGroups.corpId, corpId)).orderBy(asc(tagGroups.groupId)),
    tags: await db.select().from(tags).where(eq(tags.corpId, corpId)).orderBy(asc(tags.tagId)),
    personalTags: await db.select().from(personalTags).where(eq(personalTags.corpId, corpId)).orderBy(asc(personalTags.tagId)),
    marks: await db.select().from(marks).where(eq(marks.corpId, corpId)).orderBy(asc(marks.externalUserid), asc(marks.userid), asc(marks.tagId)),
    archived: await db
      .select()
      .from(archivedMarks)
      .where(and(eq(archivedMarks.corpId, corpId)))
      .orderBy(asc(archivedMarks.tagId), asc(archivedMarks.externalUserid)),
    follows: await db.select().from(follows).where(eq(follows.corpId, corpId)).orderBy(asc(follows.externalUserid), asc(follows.userid)),
    audiences: await db.select().from(audiences).where(eq(audiences.corpId, corpId)).orderBy(asc(audiences.audienceId)),
    customerEvents: await db.select().from(customerEvents).where(eq(customerEvents.corpId, corpId)).orderBy(asc(customerEvents.id)),
    operations: await db.select().from(operations).where(eq(operations.corpId, corpId)).orderBy(asc(operations.operationId)),
    operationJournal: await db
      .select()
      .from(operationJournal)
      .where(eq(operationJournal.corpId, corpId))
      .orderBy(asc(operationJournal.seq), asc(operationJournal.item)),
    contactWays: await db.select().from(contactWays).where(eq(contactWays.corpId, corpId)).orderBy(asc(contactWays.configId)),
    rules: await db.select().from(rules).where(eq(rules.corpId, corpId)).orderBy(asc(rules.ruleId)),
    ruleVersions: await db.select().from(ruleVersions).where(eq(ruleVersions.corpId, corpId)).orderBy(asc(ruleVersions.ruleId), asc(ruleVersions.version)),
    messageReceipts: await db.select().from(messageReceipts).where(eq(messageReceipts.corpId, corpId)).orderBy(asc(messageReceipts.idempotencyKey)),
    moments: await db.select().from(moments).where(eq(moments.corpId, corpId)).orderBy(asc(moments.momentId)),
    momentDeliveries: await db
      .select()
      .from(momentDeliveries)
      .where(eq(momentDeliveries.corpId, corpId))
      .orderBy(asc(momentDeliveries.momentId), asc(momentDeliveries.externalUserid)),
  };
}

// Every table that holds corp data; login_failures is left out because a failed login against a
// corp is recorded whoever sends it (that is the rate limiter working, not a tenant leak).
const corpTables = [
  'corps',
  'apps',
  'access_tokens',
  'departments',
  'employees',
  'roles',
  'sessions',
  'customers',
  'follows',
  'tag_groups',
  'tags',
  'personal_tags',
  'marks',
  'archived_marks',
  'strategies',
  'strategy_ranges',
  'events',
  'customer_events',
  'audiences',
  'operations',
  'operation_changes',
  'operation_change_sets',
  'webhook_sources',
  'webhook_deliveries',
  'webhook_subscriptions',
  'webhook_outbox',
  'webhook_attempts',
  'contact_ways',
  'rules',
  'rule_versions',
  'group_chats',
  'group_chat_members',
  'group_chat_join_ways',
  'message_receipts',
  'moment_suppressions',
  'moment_streaks',
  'moments',
  'moment_deliveries',
  'wecom_push_queue',
];

/**
 * A fingerprint of everything a corp owns, in one query: an md5 per table over its rows. Two equal
 * fingerprints prove nothing of the corp changed (cheaper than `corpState` when that is all a test needs).
 */
export async function fingerprint(db: Db, corpId: string): Promise<Record<string, string>> {
  return (await readCorp(db, corpId)).tables;
}

/** The corp's fingerprint with the snapshot it was read under, for a `writeWatch`. */
export function readCorp(db: Db, corpId: string): Promise<Reading> {
  return readTables(db, corpTables, sql`x.corp_id = ${corpId}`);
}

/**
 * Sends a request that must be refused with `status` and `code`, and checks that the corp's state
 * (audit log included) is exactly as before. Returns the response for further checks.
 */
export async function expectRefused(db: Db, corpId: string, send: () => Promise<ApiResponse>, status: number, code: string): Promise<ApiResponse> {
  const before = await corpState(db, corpId);
  const res = await send();
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(await corpState(db, corpId)).toEqual(before);
  return res;
}

/** The `path` of each detail of an error response, in order. */
export function detailPaths(res: ApiResponse): string[] {
  return (res.body.error.details ?? []).map((d: { path?: string }) => d.path ?? '');
}

/**
 * A corp ready for route tests: its API key, an admin, two staff (A and B), a read-only intern,
 * a customer followed by A and B, and a tag group with two tags.
 */
export async function buildApiScene(db: Db) {
  const corp = await buildCorp(db);
  const [admin] = await buildEmployees(corp.ctx, 1, 'admin');
  const [staffA, staffB] = await buildEmployees(corp.ctx, 2, 'staff');
  const [intern] = await buildEmployees(corp.ctx, 1, 'readonly');
  const customer = await buildCustomer(corp.ctx, [staffA!, staffB!]);
  const library = await buildTagGroup(corp.ctx, ['高意向', '低意向']);
  return { ...corp, key: corp.secret, admin: admin!, staffA: staffA!, staffB: staffB!, intern: intern!, customer, group: library.group, tags: library.tags };
}
