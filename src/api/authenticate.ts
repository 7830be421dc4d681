import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import { employees } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { verifySession } from '../modules/auth/sessions.js';
import { verifyApiKey } from '../modules/auth/tokens.js';
import { forbidden, policyFor } from '../policies/index.js';
import { readSessionCookie } from './session-cookie.js';

/** The header that makes an app act on behalf of one of its corp's employees. */
export const actingUserHeader = 'tagloom-acting-user';

/** Who a native request acts as; `sessionTokenHash` is set when it came with a console session cookie. */
export type Authenticated = { ctx: Ctx; sessionTokenHash?: string };

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The header the console sends with a file upload (a CSV import): a cookie-authenticated write with
 * a non-JSON body is accepted only with it. A page of another site cannot add a custom header to a
 * cross-origin request without a CORS preflight, which this server never grants.
 */
export const uploadHeader = 'tagloom-upload';

/**
 * Cross-site request forgery guard for cookie-authenticated writes. SameSite=Strict already keeps
 * other sites' pages from sending the cookie; on top of that a write must carry JSON (an HTML form
 * can only send form or text bodies, and a cross-origin script cannot send JSON without a CORS
 * preflight we never grant), and a browser's own `Sec-Fetch-Site` must not say the request came
 * from elsewhere (this also covers body-less writes from sibling subdomains). A file upload (a
 * `text/csv` import, which a form or a simple cross-site fetch could send) must in addition carry
 * the `Tagloom-Upload` header. Bearer keys are not sent by browsers on their own, so they need no
 * such guard.
 */
function refuseCrossSite(request: FastifyRequest): void {
  if (!unsafeMethods.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw forbidden('Cross-site writes are refused.');
  const type = request.headers['content-type'];
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if ((hasBody || type !== undefined) && !/^application\/json\s*(;|$)/i.test(type ?? '') && request.headers[uploadHeader] === undefined) {
    throw forbidden(`Writes with a session cookie must send content-type: application/json (a file upload: the ${uploadHeader} header).`);
  }
}

/**
 * Authenticates a native request: `Authorization: Bearer <app secret>` (optionally acting as an
 * employee through `Tagloom-Acting-User`, within what both the app and the employee may do), else
 * the console's session cookie, which acts as its employee with their role from the database. A
 * Bearer header wins over a cookie.
 */
export async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<Authenticated> {
  const header = request.headers.authorization;
  const cookieToken = header === undefined ? readSessionCookie(request.headers.cookie) : undefined;
  const base = { requestId: request.id, db: app.db };
  if (cookieToken) {
    const session = await verifySession(app.db, cookieToken);
    refuseCrossSite(request);
    // A console user is always themselves: the acting-user header is for app keys only and is ignored here.
    const ctx: Ctx = { ...base, corpId: session.corpId, actor: { kind: 'employee', userid: session.userid, role: session.role }, source: 'console' };
    return { ctx, sessionTokenHash: session.tokenHash };
  }
  if (header === undefined) throw new AppError('unauthorized', { message: 'Send an API key as "Authorization: Bearer <key>", or log in to the console.' });
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const identity = await verifyApiKey(app.db, key);
  const acting = request.headers[actingUserHeader];
  const ctx: Ctx = {
    ...base,
    corpId: identity.corpId,
    actor: { kind: 'app', appId: identity.appId, appKind: identity.appKind, range: identity.range },
    source: 'api',
  };
  if (typeof acting !== 'string' || acting === '') return { ctx };
  const [employee] = await app.db
    .select()
    .from(employees)
    .where(and(eq(employees.corpId, identity.corpId), eq(employees.userid, acting)));
  // A ranged app may act only as someone inside its range. Even then it borrows no more than both
  // may do: the policy grants an acting employee the app's rights ∩ the role's, never the
  // management ones, over the app's range ∩ the employee's data scope.
  const inRange = employee !== undefined && (await policyFor(ctx)).reaches(employee.userid);
  if (employee?.status !== 'active' || !inRange) throw new AppError('unauthorized', { message: `No active employee "${acting}" to act as.` });
  return { ctx: { ...ctx, actor: { kind: 'employee', userid: employee.userid, role: employee.role, viaApp: identity.appId } } };
}
