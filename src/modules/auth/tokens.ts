import { createHmac } from 'node:crypto';
import { and, desc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessTokens, apps, corps } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { sha256 } from '../../ids.js';

/** Lifetime of an access token, as WeCom's `expires_in`. */
export const tokenTtlSeconds = 7200;

/** An ordinary app's visible range: departments (with their subtrees) and members. */
export type AppRange = { departments: number[]; userids: string[] };

/** The app a token or key authenticates; an ordinary app (`appKind: 'app'`) carries its visible range. */
export type AppIdentity = { corpId: string; appId: string; appKind: 'customer_contact' | 'app'; range?: AppRange };

type Cached = AppIdentity & { expiresAt: number };
// Token and key checks sit on every request; a small in-process cache keeps them off the database.
// Entries live at most a minute: a rotated secret or deleted token is seen at once by the process
// that made the change (it clears the cache after commit) and by every other process within a
// minute. (Ranges are not taken from here: policies read them from the versioned org snapshot.)
const cache = new Map<string, Cached & { checkedAt: number }>();
const cacheTtlMs = 60_000;
// Bumped by every clear. A lookup remembers what it read only if no clear came in between: a read
// made before a rotation committed must not be cached after the clear that followed the commit.
let generation = 0;

function remember(key: string, value: Cached, readIn: number) {
  if (readIn !== generation) return;
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { ...value, checkedAt: Date.now() });
}

function recall(key: string): Cached | undefined {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.checkedAt < cacheTtlMs) return hit;
  cache.delete(key);
  return undefined;
}

/** The identity to hand out: the range only for ordinary apps (the customer-contact app has none). */
function identity(hit: Cached): AppIdentity {
  const { corpId, appId, appKind, range } = hit;
  return appKind === 'app' ? { corpId, appId, appKind, range: range ?? { departments: [], userids: [] } } : { corpId, appId, appKind };
}

function rangeOf(app: { kind: 'customer_contact' | 'app'; rangeDepartments: number[]; rangeUserids: string[] }): AppRange | undefined {
  return app.kind === 'app' ? { departments: app.rangeDepartments, userids: app.rangeUserids } : undefined;
}

function deriveToken(secret: string, corpId: string, appId: string, issuedAt: Date): string {
  return createHmac('sha256', secret).update(`${corpId}|${appId}|${issuedAt.getTime()}`).digest('base64url');
}

/**
 * WeCom `gettoken`: checks corpid (40013) and secret (40001), then returns the app's still-valid
 * token, or a new one valid for two hours. Tokens are stored only as hashes.
 */
export async function issueAccessToken(db: Db, corpId: string, secret: string): Promise<{ token: string; expiresIn: number }> {
  const [corp] = await db.select({ id: corps.corpId }).from(corps).where(eq(corps.corpId, corpId));
  if (!corp) throw new AppError('invalid_corpid');
  const [app] = await db
    .select()
    .from(apps)
    .where(and(eq(apps.corpId, corpId), eq(apps.secretHash, sha256(secret))));
  if (!app) throw new AppError('invalid_secret');
  const now = new Date();
  const [current] = await db
    .select()
    .from(accessTokens)
    .where(and(eq(accessTokens.corpId, corpId), eq(accessTokens.appId, app.appId), gt(accessTokens.expiresAt, new Date(now.getTime() + 60_000))))
    .orderBy(desc(accessTokens.expiresAt))
    .limit(1);
  if (current) {
    const token = deriveToken(secret, corpId, app.appId, current.issuedAt);
    if (sha256(token) === current.tokenHash) return { token, expiresIn: Math.floor((current.expiresAt.getTime() - now.getTime()) / 1000) };
  }
  const expiresAt = new Date(now.getTime() + tokenTtlSeconds * 1000);
  const token = deriveToken(secret, corpId, app.appId, now);
  await db
    .insert(accessTokens)
    .values({ tokenHash: sha256(token), corpId, appId: app.appId, issuedAt: now, expiresAt })
    .onConflictDoNothing();
  // Expired tokens are kept a day so callers get 42001 (expired) rather than 40014 (invalid).
  await db.delete(accessTokens).where(and(eq(accessTokens.corpId, corpId), lt(accessTokens.expiresAt, new Date(now.getTime() - 86_400_000))));
  return { token, expiresIn: tokenTtlSeconds };
}

/** Resolves an access token to its app, or throws 41001 / 40014 / 42001. */
export async function verifyAccessToken(db: Db, token: string | undefined): Promise<AppIdentity> {
  if (!token) throw new AppError('unauthorized', { message: 'access_token missing' });
  const key = `t:${sha256(token)}`;
  let found = recall(key);
  if (!found) {
    const readIn = generation;
    const [row] = await db
      .select({
        corpId: accessTokens.corpId,
        appId: accessTokens.appId,
        expiresAt: accessTokens.expiresAt,
        kind: apps.kind,
        rangeDepartments: apps.rangeDepartments,
        rangeUserids: apps.rangeUserids,
      })
      .from(accessTokens)
      .innerJoin(apps, and(eq(apps.corpId, accessTokens.corpId), eq(apps.appId, accessTokens.appId)))
      .where(eq(accessTokens.tokenHash, sha256(token)));
    if (!row) throw new AppError('invalid_token', { message: 'invalid access_token' });
    found = { corpId: row.corpId, appId: row.appId, appKind: row.kind, range: rangeOf(row), expiresAt: row.expiresAt.getTime() };
    remember(key, found, readIn);
  }
  if (found.expiresAt <= Date.now()) throw new AppError('token_expired', { message: 'access_token expired' });
  return identity(found);
}

/** Resolves a native-API key (an app's secret, sent as `Authorization: Bearer`) to its app and, for an ordinary app, its range. */
export async function verifyApiKey(db: Db, key: string | undefined): Promise<AppIdentity> {
  if (!key) throw new AppError('unauthorized', { message: 'Send an API key as "Authorization: Bearer <key>".' });
  const cacheKey = `k:${sha256(key)}`;
  const hit = recall(cacheKey);
  if (hit) return identity(hit);
  const readIn = generation;
  const [app] = await db
    .select()
    .from(apps)
    .where(eq(apps.secretHash, sha256(key)));
  if (!app) throw new AppError('unauthorized', { message: 'The API key is not valid.' });
  const found: Cached = { corpId: app.corpId, appId: app.appId, appKind: app.kind, range: rangeOf(app), expiresAt: Number.MAX_SAFE_INTEGER };
  remember(cacheKey, found, readIn);
  return identity(found);
}

/**
 * Forgets this process's cached tokens and keys; secret rotation and range changes call it once
 * their transaction has committed (`afterCommit`). Other processes keep their entries for up to a
 * minute (the cache's lifetime).
 */
export function clearAuthCache(): void {
  generation += 1;
  cache.clear();
}
