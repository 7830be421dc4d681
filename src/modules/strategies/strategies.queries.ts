import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { strategies, strategyRanges, tagGroups, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { listTagGroups } from '../tags/tags.queries.js';
import type { TagGroupRow, TagRow } from '../tags/tags.repo.js';
import { normalizePrivilege, type Privilege } from './privileges.js';
import { nodeOfRow, type RangeNode } from './range.js';
import { ancestorsOf, requireStrategy, type StrategyRow } from './strategies.repo.js';

export { requireStrategy } from './strategies.repo.js';

/** One page of a cursor listing; `nextCursor` is absent on the last page, as WeCom leaves it out. */
export type Page<T> = { items: T[]; nextCursor?: string };

const encode = (value: string) => Buffer.from(value, 'utf8').toString('base64url');

function decode(cursor: string, pattern: RegExp): RegExpMatchArray {
  const match = Buffer.from(cursor, 'base64url').toString('utf8').match(pattern);
  if (!match) throw new AppError('invalid_cursor', { details: [{ path: 'cursor', message: 'not a cursor this endpoint issued' }] });
  return match;
}

/** The corp's rule-group ids in ascending order, a page at a time (customer_strategy/list). */
export async function listStrategyIds(ctx: Ctx, opts: { cursor?: string; limit: number }): Promise<Page<number>> {
  const conds = [eq(strategies.corpId, ctx.corpId)];
  if (opts.cursor) conds.push(gt(strategies.strategyId, Number(decode(opts.cursor, /^s:(\d{1,9})$/)[1])));
  const rows = await ctx.db
    .select({ id: strategies.strategyId })
    .from(strategies)
    .where(and(...conds))
    .orderBy(asc(strategies.strategyId))
    .limit(opts.limit + 1);
  const items = rows.slice(0, opts.limit).map((r) => r.id);
  return rows.length > opts.limit ? { items, nextCursor: encode(`s:${items[items.length - 1]}`) } : { items };
}

/**
 * One rule group with the privilege in force: a child group's is its top-level group's, since
 * WeCom makes children inherit their parent's privileges.
 */
export async function getStrategy(ctx: Ctx, strategyId: number): Promise<{ strategy: StrategyRow; privilege: Privilege }> {
  const strategy = await requireStrategy(ctx, strategyId);
  const top = (await ancestorsOf(ctx, strategy)).at(-1) ?? strategy;
  return { strategy, privilege: normalizePrivilege(top.privilege) };
}

/** A rule group's range, members then departments, a page at a time (customer_strategy/get_range). */
export async function pageStrategyRange(ctx: Ctx, strategyId: number, opts: { cursor?: string; limit: number }): Promise<Page<RangeNode>> {
  await requireStrategy(ctx, strategyId);
  const conds = [eq(strategyRanges.corpId, ctx.corpId), eq(strategyRanges.strategyId, strategyId)];
  if (opts.cursor) {
    // Keyset on (type, node): a page stays correct while nodes are added or removed between calls.
    const [, type, node] = decode(opts.cursor, /^r:([12]):(.+)$/s);
    conds.push(or(gt(strategyRanges.type, Number(type)), and(eq(strategyRanges.type, Number(type)), gt(strategyRanges.node, node!)))!);
  }
  const rows = await ctx.db
    .select({ type: strategyRanges.type, node: strategyRanges.node })
    .from(strategyRanges)
    .where(and(...conds))
    .orderBy(asc(strategyRanges.type), asc(strategyRanges.node))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return rows.length > opts.limit && last ? { items: page.map(nodeOfRow), nextCursor: encode(`r:${last.type}:${last.node}`) } : { items: page.map(nodeOfRow) };
}

/**
 * Strategy tag groups with get_strategy_tag_list's filters (the same as get_corp_tag_list's),
 * optionally within one rule group. WeCom sends no `deleted` flags here, so deleted groups and
 * tags are left out even when asked for by id. An unknown `strategyId` is 40068.
 */
export async function listStrategyTagGroups(
  ctx: Ctx,
  opts: { strategyId?: number; tagIds?: string[]; groupIds?: string[] },
): Promise<{ group: TagGroupRow; tags: TagRow[] }[]> {
  if (opts.strategyId !== undefined) await requireStrategy(ctx, opts.strategyId);
  const listing = await listTagGroups(ctx, { kind: 'strategy', strategyId: opts.strategyId, tagIds: opts.tagIds, groupIds: opts.groupIds });
  return listing.groups
    .filter(({ group }) => group.deletedAt === null)
    .map(({ group, tags: all }) => ({ group, tags: all.filter((t) => t.deletedAt === null) }))
    .filter(({ tags: live }) => live.length > 0);
}

/**
 * Which live strategy tag or strategy tag group an id names (edit_strategy_tag takes either).
 * Corp and smart tags are not strategy tags: null, as unknown ids.
 */
export async function findStrategyTagOrGroup(ctx: Ctx, id: string): Promise<'tag' | 'group' | null> {
  const [tag] = await ctx.db
    .select({ id: tags.tagId })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, id), isNull(tags.deletedAt), eq(tagGroups.kind, 'strategy')));
  if (tag) return 'tag';
  const [group] = await ctx.db
    .select({ id: tagGroups.groupId })
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, id), isNull(tagGroups.deletedAt), eq(tagGroups.kind, 'strategy')));
  return group ? 'group' : null;
}
