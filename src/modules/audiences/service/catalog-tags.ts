import { and, eq, isNull } from 'drizzle-orm';
import { type Ctx, reader } from '../../../context.js';
import type { Db, Tx } from '../../../db/client.js';
import { corps, type TagGroupScope, tagGroups, tags } from '../../../db/schema/index.js';

/** A live corp, strategy or smart tag with its group, as every actor's catalog starts from it. */
export type CatalogTagRow = {
  tagId: string;
  name: string;
  key: string;
  groupId: string;
  groupName: string;
  groupKey: string;
  kind: 'corp' | 'strategy' | 'smart';
  scope: TagGroupScope;
  strategyId: number | null;
};

// Corps whose rows are held per database; the oldest is dropped past this (a corp's rows are a
// few thousand). Per database, as a process (a test run) may reach two with the same corp ids.
const maxCorps = 200;
const byDatabase = new WeakMap<Db, Map<string, { version: number; rows: readonly CatalogTagRow[] }>>();

/**
 * The corp's live tags and their groups, read from the database once per `tag_version`: every
 * command that changes a tag or group bumps it (in whichever process it runs), so an audience
 * count pays one version read instead of joining the whole tag library. The version is read
 * first, so rows are never filed under a version newer than they are. The rows are shared: read only.
 */
export async function catalogTagRows(ctx: Ctx): Promise<readonly CatalogTagRow[]> {
  // Inside a transaction the rows may be its own uncommitted writes: read, never file them.
  if ('tx' in ctx) return readRows(reader(ctx), ctx.corpId);
  const [corp] = await ctx.db.select({ version: corps.tagVersion }).from(corps).where(eq(corps.corpId, ctx.corpId));
  const version = corp?.version ?? -1;
  let entries = byDatabase.get(ctx.db);
  if (!entries) byDatabase.set(ctx.db, (entries = new Map()));
  const hit = entries.get(ctx.corpId);
  if (hit && hit.version === version) return hit.rows;
  const rows = await readRows(ctx.db, ctx.corpId);
  // A read that raced a newer one (another request saw a later version) must not replace it.
  const held = entries.get(ctx.corpId);
  if (!held || held.version <= version) {
    entries.delete(ctx.corpId);
    if (entries.size >= maxCorps) entries.delete(entries.keys().next().value!);
    entries.set(ctx.corpId, { version, rows });
  }
  return rows;
}

// The live tags joined to their live groups, as the database (or the transaction) has them now.
function readRows(db: Db | Tx, corpId: string): Promise<CatalogTagRow[]> {
  return db
    .select({
      tagId: tags.tagId,
      name: tags.name,
      key: tags.nameKey,
      groupId: tagGroups.groupId,
      groupName: tagGroups.name,
      groupKey: tagGroups.nameKey,
      kind: tagGroups.kind,
      scope: tagGroups.scope,
      strategyId: tagGroups.strategyId,
    })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, corpId), isNull(tags.deletedAt), isNull(tagGroups.deletedAt)));
}
