import { and, asc, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { departments, employees, strategies } from '../../../db/schema/index.js';
import { createStrategy } from '../../strategies/commands/create-strategy.js';
import { type RangeNode, rangeLimits } from '../../strategies/range.js';
import { idMaps, linkIds, unlinkLocal } from '../id-map.js';
import { attempt } from './attempt.js';
import { applyLibrary, type ScopedRemoteGroup } from './tag-library.js';
import { addCounts, emptyCounts, type RemoteStrategy, type RemoteTagGroup, type SyncCounts } from './types.js';

/**
 * The name a rule group pulled from WeCom gets here. get_strategy_tag_list names only the rule
 * group's id, so the name is derived from it; a local rule group of that name is reused.
 */
export const pulledStrategyName = (remoteStrategyId: number) => `企业微信规则组 ${remoteStrategyId}`;

/**
 * Brings the rule-group (strategy) tag library in line with WeCom's get_strategy_tag_list: each
 * WeCom rule group is mapped to a local one (mapped before, else one with the pulled name, else a
 * new top-level one over the whole corp), then its groups and tags are synced as enterprise ones
 * are (same linking, conflict rule and, with `complete`, deletion of mapped ones WeCom dropped).
 */
export async function applyRemoteStrategyLibrary(
  ctx: TxCtx,
  groups: RemoteTagGroup[],
  opts: { complete: boolean; details?: ReadonlyMap<number, RemoteStrategy> },
): Promise<SyncCounts> {
  const counts = emptyCounts();
  const scoped: ScopedRemoteGroup[] = [];
  const resolved = new Map<number, number | null>();
  for (const group of groups) {
    const remoteId = group.strategy_id;
    if (group.deleted) continue;
    if (typeof remoteId !== 'number' || !Number.isSafeInteger(remoteId) || remoteId <= 0) {
      resolved.set(-1, null); // an answer we cannot place: not complete, so nothing is deleted for it
      counts.skipped += 1;
      if (counts.problems.length < 100) counts.problems.push(`tag group ${String(group.group_id).slice(0, 64)}: no usable strategy_id`);
      continue;
    }
    if (!resolved.has(remoteId)) resolved.set(remoteId, await localStrategy(ctx, counts, remoteId, opts.details?.get(remoteId)));
    const strategyId = resolved.get(remoteId);
    if (strategyId != null) scoped.push({ group, strategyId });
  }
  // A rule group that could not be mapped leaves its groups unseen: a complete sync must not delete them.
  const unmapped = [...resolved.values()].some((id) => id === null);
  addCounts(counts, await applyLibrary(ctx, scoped, 'strategy', { complete: opts.complete && !unmapped }));
  return counts;
}

/**
 * The local rule group of a WeCom rule group id, mapping or creating it (null, with a problem, when
 * it cannot). A new one takes WeCom's name, admins and range when `details` were read (those that
 * exist here), else a placeholder name over the whole corp; it is created at the top level.
 */
async function localStrategy(ctx: TxCtx, counts: SyncCounts, remoteId: number, details?: RemoteStrategy): Promise<number | null> {
  const map = await idMaps(ctx.tx, ctx.corpId, 'strategy');
  const mapped = map.toLocal.get(String(remoteId));
  const rows = await ctx.tx.select().from(strategies).where(eq(strategies.corpId, ctx.corpId));
  if (mapped !== undefined) {
    if (rows.some((r) => String(r.strategyId) === mapped)) return Number(mapped);
    await unlinkLocal(ctx.tx, ctx.corpId, 'strategy', mapped); // deleted here: WeCom's comes back as new
  }
  const remoteName = details?.strategy_name?.trim();
  const name = remoteName ? remoteName.slice(0, 30) : pulledStrategyName(remoteId);
  const same = rows.find((r) => r.parentId === 0 && r.name === name && !map.toRemote.has(String(r.strategyId)));
  let localId = same?.strategyId;
  if (localId === undefined) {
    const known = await knownOrg(ctx);
    const admins = [...new Set((details?.admin_list ?? []).filter((u) => known.userids.has(u)))].slice(0, 20);
    const admin = admins[0] ?? (await defaultAdmin(ctx));
    if (!admin) {
      counts.skipped += 1;
      counts.problems.push(`rule group ${remoteId}: no member here to be its admin`);
      return null;
    }
    const remoteRange = (details?.range ?? []).flatMap((n): RangeNode[] =>
      n.type === 1 && typeof n.userid === 'string' && known.userids.has(n.userid)
        ? [{ type: 1 as const, userid: n.userid }]
        : n.type === 2 && typeof n.partyid === 'number' && known.deptIds.has(n.partyid)
          ? [{ type: 2 as const, deptId: n.partyid }]
          : [],
    );
    // One create takes 100 nodes; a larger WeCom range is cut there (and said), not refused.
    if (remoteRange.length > rangeLimits.perCall)
      counts.problems.push(`rule group ${remoteId}: only the first ${rangeLimits.perCall} of its ${remoteRange.length} range nodes were copied`);
    const range = remoteRange.length > 0 ? remoteRange.slice(0, rangeLimits.perCall) : known.roots.map((deptId) => ({ type: 2 as const, deptId }));
    const made = await attempt(ctx, counts, `rule group ${remoteId}`, (c) =>
      createStrategy(c, { parentId: 0, name, adminList: admins.length > 0 ? admins : [admin], range }),
    );
    if (!made) return null;
    counts.created += 1;
    localId = made.strategyId;
  }
  await linkIds(ctx.tx, ctx.corpId, 'strategy', String(localId), String(remoteId));
  return localId;
}

/** The active members and the departments here, and the top-level departments (a rule group's default range). */
async function knownOrg(ctx: TxCtx): Promise<{ userids: Set<string>; deptIds: Set<number>; roots: number[] }> {
  const members = await ctx.tx
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.status, 'active')));
  const depts = await ctx.tx.select({ deptId: departments.deptId, parentId: departments.parentId }).from(departments).where(eq(departments.corpId, ctx.corpId));
  return {
    userids: new Set(members.map((m) => m.userid)),
    deptIds: new Set(depts.map((d) => d.deptId)),
    roots: depts.filter((d) => d.parentId === 0).map((d) => d.deptId),
  };
}

/** Who administers a rule group created by the pull: the first active member, admins before staff. */
async function defaultAdmin(ctx: TxCtx): Promise<string | undefined> {
  const rows = await ctx.tx
    .select({ userid: employees.userid, role: employees.role })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.status, 'active')))
    .orderBy(asc(employees.userid));
  return (rows.find((r) => r.role !== 'staff') ?? rows[0])?.userid;
}
