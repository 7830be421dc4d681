import { asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../app.js';
import type { Database, Db } from '../db/client.js';
import { accessTokens, events, follows, marks, tagGroups, tags } from '../db/schema/index.js';
import { clearAuthCache } from '../modules/auth/tokens.js';
import { buildCorp } from '../test/factories.js';

/** A parsed WeCom reply. Tests read fields freely, so the body is loosely typed. */
export type WecomReply = { status: number; raw: string; body: any };

/**
 * Builds the app on the suite's database before its tests and closes it after; call it inside a
 * `describeDb` callback, after which the getter returns the app.
 */
export function useWecomApp(db: () => Database): () => FastifyInstance {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    app = await buildApp({ db: db().db });
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('The app is not built yet: use it inside a test or hook.');
    return app;
  };
}

/**
 * Calls a `/cgi-bin` endpoint the way a WeCom SDK does: the token in the query string, a JSON body
 * for POST. `body` may be a string to send raw text (bad JSON tests).
 */
export async function callWecom(
  app: FastifyInstance,
  path: string,
  opts: { token?: string; body?: unknown; query?: Record<string, string>; method?: 'GET' | 'POST'; headers?: Record<string, string> } = {},
): Promise<WecomReply> {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const query: Record<string, string> = { ...opts.query };
  if (opts.token !== undefined) query.access_token = opts.token;
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const res = await app.inject({
    method,
    url: `/cgi-bin/${path}`,
    query,
    payload,
    headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
  });
  return { status: res.statusCode, raw: res.body, body: res.body ? JSON.parse(res.body) : undefined };
}

/** Fetches a token through gettoken and fails the test unless it worked. */
export async function fetchToken(app: FastifyInstance, corpId: string, secret: string): Promise<string> {
  const res = await callWecom(app, 'gettoken', { query: { corpid: corpId, corpsecret: secret } });
  expect(res.body).toMatchObject({ errcode: 0, errmsg: 'ok' });
  return res.body.access_token as string;
}

/** A corp (with its customer-contact app) and a valid access token for it. */
export async function buildWecomCorp(app: FastifyInstance, db: Db) {
  const corp = await buildCorp(db);
  return { ...corp, token: await fetchToken(app, corp.corpId, corp.secret) };
}

/** Makes a token expired in the database and drops the in-process cache so the server sees it. */
export async function expireToken(db: Db, corpId: string): Promise<void> {
  await db
    .update(accessTokens)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(accessTokens.corpId, corpId));
  clearAuthCache();
}

/**
 * Everything a WeCom call could change in one corp: groups, tags, marks, follow relations and the
 * number of events. Equal snapshots before and after a refused call prove it changed nothing.
 */
export async function snapshotCorp(db: Db, corpId: string) {
  return {
    groups: await db.select().from(tagGroups).where(eq(tagGroups.corpId, corpId)).orderBy(asc(tagGroups.groupId)),
    tags: await db.select().from(tags).where(eq(tags.corpId, corpId)).orderBy(asc(tags.tagId)),
    marks: await db.select().from(marks).where(eq(marks.corpId, corpId)).orderBy(asc(marks.externalUserid), asc(marks.userid), asc(marks.tagId)),
    follows: await db.select().from(follows).where(eq(follows.corpId, corpId)).orderBy(asc(follows.userid), asc(follows.externalUserid)),
    events: (await db.select({ n: sql<number>`count(*)::int` }).from(events).where(eq(events.corpId, corpId)))[0]?.n,
  };
}
