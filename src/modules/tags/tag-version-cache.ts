import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { corps } from '../../db/schema/index.js';

const maxEntries = 2000;

/**
 * A rendered listing as UTF-8 bytes, with its gzip form, both made once per version (SDKs such as
 * axios accept gzip): a string body would be encoded again on every send, 200 KB for a whole library.
 */
export type CachedBody = { body: Buffer; gzipped: Buffer };

const entries = new Map<string, { version: number; value: CachedBody }>();

/**
 * Serves a rendered tag listing from memory while the corp's `tag_version` is unchanged; every
 * tag-library command bumps it, in whichever process it runs. The version is read before
 * rendering, so a body is never filed under a version newer than its data.
 */
export async function cachedByTagVersion(ctx: Ctx, key: string, render: () => Promise<string>): Promise<CachedBody> {
  const [row] = await reader(ctx).select({ version: corps.tagVersion }).from(corps).where(eq(corps.corpId, ctx.corpId));
  const version = row?.version ?? -1;
  const cacheKey = `${ctx.corpId}\u0000${key}`;
  const hit = entries.get(cacheKey);
  if (hit && hit.version === version) return hit.value;
  const body = Buffer.from(await render(), 'utf8');
  const value = { body, gzipped: gzipSync(body) };
  entries.delete(cacheKey);
  if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
  entries.set(cacheKey, { version, value });
  return value;
}
