import { and, asc, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { personalTags, tagGroups, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor, requireEmployeeActor } from '../../policies/index.js';
import type { TagGroupRow, TagRow } from './tags.repo.js';

/** A group with the tags a listing shows. `filtered` says whether deleted items may be present. */
export type GroupListing = { groups: { group: TagGroupRow; tags: TagRow[] }[]; filtered: boolean };

/**
 * Lists tag groups with WeCom's get_corp_tag_list filter rules: nothing given → every live group
 * with its live tags; `groupIds` → those groups (deleted ones too, flagged) with all their tags;
 * only `tagIds` → those tags under their groups. `groupIds` wins when both are given.
 */
export async function listTagGroups(
  ctx: Ctx,
  opts: { tagIds?: string[]; groupIds?: string[]; kind?: TagGroupRow['kind']; strategyId?: number } = {},
): Promise<GroupListing> {
  const kind = opts.kind ?? 'corp';
  const groupIds = opts.groupIds?.filter(Boolean) ?? [];
  const tagIds = groupIds.length > 0 ? [] : (opts.tagIds?.filter(Boolean) ?? []);
  const filtered = groupIds.length > 0 || tagIds.length > 0;

  const groupConds: SQL[] = [eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.kind, kind)];
  if (opts.strategyId !== undefined) groupConds.push(eq(tagGroups.strategyId, opts.strategyId));
  const tagConds: SQL[] = [eq(tags.corpId, ctx.corpId)];
  if (groupIds.length > 0) {
    groupConds.push(inArray(tagGroups.groupId, groupIds));
    tagConds.push(inArray(tags.groupId, groupIds));
  } else if (tagIds.length > 0) {
    tagConds.push(inArray(tags.tagId, tagIds));
  } else {
    groupConds.push(isNull(tagGroups.deletedAt));
    tagConds.push(isNull(tags.deletedAt));
  }

  const tagRows = await ctx.db
    .select()
    .from(tags)
    .where(and(...tagConds))
    .orderBy(desc(tags.order), asc(tags.createdAt), asc(tags.tagId));
  if (tagIds.length > 0) groupConds.push(inArray(tagGroups.groupId, [...new Set(tagRows.map((t) => t.groupId)), '']));
  const groupRows = await ctx.db
    .select()
    .from(tagGroups)
    .where(and(...groupConds))
    .orderBy(desc(tagGroups.order), asc(tagGroups.createdAt), asc(tagGroups.groupId));

  const byGroup = new Map<string, TagRow[]>();
  for (const tag of tagRows) {
    const list = byGroup.get(tag.groupId);
    if (list) list.push(tag);
    else byGroup.set(tag.groupId, [tag]);
  }
  // Groups outside the caller's view scope (or rule-group range) are simply not there for them.
  const policy = await policyFor(ctx);
  const visible = groupRows.filter((group) => policy.canSeeGroup(group));
  return { groups: visible.map((group) => ({ group, tags: byGroup.get(group.groupId) ?? [] })), filtered };
}

/** The acting employee's own personal tags; nobody else's are ever listed. */
export async function listOwnPersonalTags(ctx: Ctx, ownerUserid: string) {
  return ctx.db
    .select()
    .from(personalTags)
    .where(and(eq(personalTags.corpId, ctx.corpId), eq(personalTags.ownerUserid, ownerUserid)))
    .orderBy(asc(personalTags.createdAt), asc(personalTags.tagId));
}

/**
 * Looks up one live corp tag or corp group id to tell which kind of thing it is (WeCom's
 * edit_corp_tag takes either). Tags of strategy and smart groups are not corp tags: null.
 */
export async function findTagOrGroup(ctx: Ctx, id: string): Promise<'tag' | 'group' | null> {
  const [tag] = await ctx.db
    .select({ id: tags.tagId })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, id), isNull(tags.deletedAt), eq(tagGroups.kind, 'corp')));
  if (tag) return 'tag';
  const [group] = await ctx.db
    .select({ id: tagGroups.groupId })
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, id), isNull(tagGroups.deletedAt), eq(tagGroups.kind, 'corp')));
  return group ? 'group' : null;
}

/**
 * One enterprise group with all its tags, by id; deleted groups and tags are included (and
 * flagged by their `deletedAt`) as in any listing filtered by id. Unknown ids are `tag_not_found`.
 */
export async function getTagGroup(ctx: Ctx, groupId: string): Promise<{ group: TagGroupRow; tags: TagRow[] }> {
  const [found] = (await listTagGroups(ctx, { groupIds: [groupId] })).groups;
  if (!found)
    throw new AppError('tag_not_found', { message: `Tag group ${groupId} does not exist.`, details: [{ path: 'groupId', message: 'unknown', id: groupId }] });
  return found;
}

/**
 * The acting employee's personal tags. Only an employee has them: an app acting alone is refused,
 * as is a role without `personalTag.manage`.
 */
export async function listMyPersonalTags(ctx: Ctx) {
  requireEmployeeActor(ctx.actor, 'Personal tags belong to an employee; act as one (Tagloom-Acting-User).');
  (await policyFor(ctx)).authorize('personalTag.manage', { type: 'personalTag', ownerUserid: ctx.actor.userid });
  return listOwnPersonalTags(ctx, ctx.actor.userid);
}
