import { and, count, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { tagGroups, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Permission } from '../../policies/index.js';

/** A tag group row as stored. */
export type TagGroupRow = typeof tagGroups.$inferSelect;
/** A tag row as stored. */
export type TagRow = typeof tags.$inferSelect;

/** The kinds of group the tag-library commands write: enterprise, rule-group (strategy) and smart (rule-configured) groups. */
export type LibraryKind = 'corp' | 'strategy' | 'smart';

/**
 * The permission a library change needs: rule-group tags are managed under `strategy.manage`
 * (wecom-api.md §3.1), smart groups under `rule.manage` (their tags are applied by rules, so
 * keeping them is keeping rules), enterprise tags under their own `tag.*` / `tagGroup.*` permission.
 */
export function libraryPermission(kind: LibraryKind, corpPermission: Permission): Permission {
  return kind === 'strategy' ? 'strategy.manage' : kind === 'smart' ? 'rule.manage' : corpPermission;
}

/** Loads and locks one live group of the corp, or throws `tag_not_found`. */
export async function lockLiveGroup(ctx: TxCtx, groupId: string, kind: TagGroupRow['kind'] = 'corp'): Promise<TagGroupRow> {
  const [group] = await ctx.tx
    .select()
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, groupId), eq(tagGroups.kind, kind), isNull(tagGroups.deletedAt)))
    .for('update');
  if (!group)
    throw new AppError('tag_not_found', { message: `Tag group ${groupId} does not exist.`, details: [{ path: 'group_id', message: 'unknown', id: groupId }] });
  return group;
}

/**
 * Loads and locks live tags by id; any unknown id refuses the whole request. Marking takes a share
 * lock (many writers may tag with one tag at once, but not while it is being deleted). Tags are
 * always locked in tag_id order, by every command, so two commands never deadlock over them.
 */
export async function lockLiveTags(ctx: TxCtx, tagIds: readonly string[], path = 'tag_id', strength: 'update' | 'share' = 'update'): Promise<TagRow[]> {
  if (tagIds.length === 0) return [];
  const rows = await ctx.tx
    .select()
    .from(tags)
    .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, [...tagIds]), isNull(tags.deletedAt)))
    .orderBy(tags.tagId)
    .for(strength);
  const found = new Set(rows.map((r) => r.tagId));
  const missing = tagIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError('tag_not_found', {
      message: `Unknown tag id: ${missing.join(', ')}.`,
      details: missing.map((id) => ({ path, message: 'unknown tag id', id })),
    });
  }
  return rows;
}

/** Live tags of one group, in display order (larger `order` first). */
export async function liveTagsOfGroup(ctx: TxCtx, groupId: string): Promise<TagRow[]> {
  return ctx.tx
    .select()
    .from(tags)
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.groupId, groupId), isNull(tags.deletedAt)));
}

/** How many live tags the corp has in groups other than smart ones; the corp quota counts these. */
export async function countLiveCorpTags(ctx: TxCtx): Promise<number> {
  const [row] = await ctx.tx
    .select({ n: count() })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, ctx.corpId), isNull(tags.deletedAt), ne(tagGroups.kind, 'smart')));
  return row?.n ?? 0;
}

/** The tag as the audit log and presenters describe it. */
export function tagSnapshot(tag: TagRow) {
  return { tagId: tag.tagId, groupId: tag.groupId, name: tag.name, order: tag.order, color: tag.color, description: tag.description };
}

/** The group as the audit log and presenters describe it. */
export function groupSnapshot(group: TagGroupRow) {
  return { groupId: group.groupId, name: group.name, order: group.order, kind: group.kind, strategyId: group.strategyId, scope: group.scope };
}
