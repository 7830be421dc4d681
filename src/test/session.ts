import { asc, count, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { systemContext, withTx } from '../context.js';
import type { Db } from '../db/client.js';
import { apps, corps, departments, employees, events, roles, sessions } from '../db/schema/index.js';
import { setEmployeePassword } from '../modules/org/commands/set-employee-password.js';
import type { ApiResponse } from './api.js';
import { unique } from './factories.js';

/** Gives an employee a console password (as the system, the way demo seeding does). */
export async function givePassword(db: Db, corpId: string, userid: string, password = `pw-${unique()}-long`): Promise<string> {
  await withTx(systemContext(db, corpId), (tx) => setEmployeePassword(tx, { userid, password }));
  return password;
}

let ipCounter = 0;
/** A fresh client IP per caller, so one test's failed logins never count against another's. */
export function testIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** Sends `POST /api/v1/auth/login` from `ip` and returns the response with its raw Set-Cookie. */
export async function login(app: () => FastifyInstance, body: Record<string, unknown>, opts: { ip?: string; headers?: Record<string, string> } = {}) {
  const res = await app().inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, remoteAddress: opts.ip ?? testIp(), headers: opts.headers });
  const setCookie = res.headers['set-cookie'];
  return { status: res.statusCode, body: res.json(), setCookie: Array.isArray(setCookie) ? setCookie[0] : setCookie };
}

/** Logs in and returns the `Cookie` header value for later requests; fails the test unless it worked. */
export async function loginCookie(app: () => FastifyInstance, corpId: string, username: string, password: string): Promise<string> {
  const res = await login(app, { corpId, username, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.setCookie!.split(';')[0]!;
}

/**
 * A client for `/api/v1` authenticated by a session cookie, as the console is. Bodies go as JSON;
 * `headers` adds or overrides (e.g. a form content type, to test the CSRF guard).
 */
export function sessionClient(app: () => FastifyInstance, cookie: string, ip = testIp()) {
  const send = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> => {
    const res = await app().inject({
      method,
      url: `/api/v1${url}`,
      remoteAddress: ip,
      headers: { cookie, ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : (body as object) }),
    });
    const json = String(res.headers['content-type'] ?? '').includes('json');
    return { status: res.statusCode, body: res.body === '' ? undefined : json ? res.json() : res.body, headers: res.headers };
  };
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => send('POST', url, body, headers),
    patch: (url: string, body?: unknown) => send('PATCH', url, body),
    put: (url: string, body?: unknown) => send('PUT', url, body),
    delete: (url: string) => send('DELETE', url),
  };
}

/**
 * Everything an org, app or role request could change in one corp, plus the event count and
 * `org_version`. Refusals compare it before and after to prove nothing changed.
 */
export async function orgState(db: Db, corpId: string) {
  const [eventCount] = await db.select({ n: count() }).from(events).where(eq(events.corpId, corpId));
  return {
    events: eventCount?.n ?? 0,
    corp: await db.select({ orgVersion: corps.orgVersion }).from(corps).where(eq(corps.corpId, corpId)),
    departments: await db.select().from(departments).where(eq(departments.corpId, corpId)).orderBy(asc(departments.deptId)),
    employees: await db.select().from(employees).where(eq(employees.corpId, corpId)).orderBy(asc(employees.userid)),
    roles: await db.select().from(roles).where(eq(roles.corpId, corpId)).orderBy(asc(roles.roleId)),
    apps: await db.select().from(apps).where(eq(apps.corpId, corpId)).orderBy(asc(apps.appId)),
    sessions: await db.select().from(sessions).where(eq(sessions.corpId, corpId)).orderBy(asc(sessions.tokenHash)),
  };
}

/** Sends a request that must be refused with `status` and `code`, and checks the org state stayed exactly as it was. */
export async function expectOrgRefused(db: Db, corpId: string, send: () => Promise<ApiResponse>, status: number, code: string): Promise<ApiResponse> {
  const before = await orgState(db, corpId);
  const res = await send();
  expect({ status: res.status, code: res.body?.error?.code }, JSON.stringify(res.body)).toEqual({ status, code });
  expect(await orgState(db, corpId)).toEqual(before);
  return res;
}
