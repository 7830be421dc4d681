import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { strategies, strategyRanges, tagGroups, tags } from '../../db/schema/index.js';
import type { TagGroupRow, TagRow } from '../tags/tags.repo.js';
import { normalizePrivilege, type Privilege } from './privileges.js';

/** A rule group as the native API lists it: range split into departments and members, privilege in force. */
export type ListedStrategy = {
  strategyId: number;
  parentId: number;
  name: string;
  adminList: string[];
  privilege: Privilege;
  range: { departments: number[]; userids: string[] };
  createdAt: string;
};

/**
 * Every rule group of the corp in two queries (groups, then all range nodes), parents before
 * children. A child's privilege is its top-level group's, as WeCom makes children inherit it.
 */
export async function listStrategiesWithRanges(ctx: Ctx): Promise<ListedStrategy[]> {
  const db = reader(ctx);
  const rows = await db.select().from(strategies).where(eq(strategies.corpId, ctx.corpId)).orderBy(asc(strategies.strategyId));
  const nodes = await db
    .select({ strategyId: strategyRanges.strategyId, type: strategyRanges.type, node: strategyRanges.node })
    .from(strategyRanges)
    .where(and(eq(strategyRanges.corpId, ctx.corpId)))
    .orderBy(asc(strategyRanges.type), asc(strategyRanges.node));
  const byId = new Map(rows.map((r) => [r.strategyId, r]));
  const nodesOf = new Map<number, typeof nodes>();
  for (const n of nodes) {
    const list = nodesOf.get(n.strategyId);
    if (list) list.push(n);
    else nodesOf.set(n.strategyId, [n]);
  }
  const topOf = (id: number) => {
    let current = byId.get(id);
    for (let i = 0; current && current.parentId !== 0 && i < 16; i += 1) current = byId.get(current.parentId) ?? current;
    return current;
  };
  const depth = (id: number) => {
    let n = 0;
    for (let current = byId.get(id); current && current.parentId !== 0 && n < 16; current = byId.get(current.parentId)) n += 1;
    return n;
  };
  return [...rows]
    .sort((a, b) => depth(a.strategyId) - depth(b.strategyId) || a.strategyId - b.strategyId)
    .map((row) => {
      const own = nodesOf.get(row.strategyId) ?? [];
      return {
        strategyId: row.strategyId,
        parentId: row.parentId,
        name: row.name,
        adminList: row.adminList,
        privilege: normalizePrivilege(topOf(row.strategyId)?.privilege),
        range: { departments: own.filter((n) => n.type === 2).map((n) => Number(n.node)), userids: own.filter((n) => n.type === 1).map((n) => n.node) },
        createdAt: row.createdAt.toISOString(),
      };
    });
}

/**
 * A rule group's live tag groups with their live tags, for whoever manages rule groups: unlike the
 * tag library's listing, not narrowed to the groups whose range includes the caller, since a
 * manager configures rule groups they are not themselves in. The caller checks `strategy.manage`.
 */
export async function listRuleGroupTagGroups(ctx: Ctx, strategyId: number, groupIds?: string[]): Promise<{ group: TagGroupRow; tags: TagRow[] }[]> {
  const db = reader(ctx);
  const conds = [eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.kind, 'strategy'), eq(tagGroups.strategyId, strategyId), isNull(tagGroups.deletedAt)];
  if (groupIds) conds.push(inArray(tagGroups.groupId, [...groupIds, '']));
  const groups = await db
    .select()
    .from(tagGroups)
    .where(and(...conds))
    .orderBy(desc(tagGroups.order), asc(tagGroups.createdAt), asc(tagGroups.groupId));
  if (groups.length === 0) return [];
  const rows = await db
    .select()
    .from(tags)
    .where(
      and(
        eq(tags.corpId, ctx.corpId),
        inArray(
          tags.groupId,
          groups.map((g) => g.groupId),
        ),
        isNull(tags.deletedAt),
      ),
    )
    .orderBy(desc(tags.order), asc(tags.createdAt), asc(tags.tagId));
  return groups.map((group) => ({ group, tags: rows.filter((t) => t.groupId === group.groupId) })).filter((g) => g.tags.length > 0);
}
