import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import type { TagGroupScope } from '../../../db/schema/index.js';
import { loadOrgSnapshot, type Permission, type Policy, strategyCovers } from '../../../policies/index.js';

// What a reversal may touch, read from the journal copied into `reversal_journal` (reverse-journal.ts).

/** A live tag of the journal, with what the policy needs to know about it. */
export type LiveTag = {
  tag_id: string;
  owner: string | null;
  kind: 'corp' | 'strategy' | 'smart' | null;
  scope: TagGroupScope | null;
  strategy_id: number | null;
};

/**
 * The journal's tags that are live (a corp tag and its group not deleted, or a personal tag),
 * share-locked so none is deleted under the reversal. (The tag ids are collected once as an array:
 * as an `in (subquery)` the planner re-scanned the journal for every tag of the corp.)
 */
export async function lockLiveTags(ctx: TxCtx): Promise<LiveTag[]> {
  const ids = sql`array(select distinct tag_id from reversal_journal)`;
  const corpTags = await queryRows<LiveTag>(
    ctx.tx,
    sql`
    select t.tag_id, null as owner, g.kind, g.scope, g.strategy_id from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    where t.corp_id = ${ctx.corpId} and t.tag_id = any(${ids}) and t.deleted_at is null and g.deleted_at is null
    order by t.tag_id
    for share of t`,
  );
  const personalTags = await queryRows<LiveTag>(
    ctx.tx,
    sql`
    select tag_id, owner_userid as owner, null as kind, null as scope, null as strategy_id from personal_tags
    where corp_id = ${ctx.corpId} and tag_id = any(${ids}) for share`,
  );
  return [...corpTags, ...personalTags];
}

/**
 * The (rule-group tag, employee) pairs among the journal's removals whose employee is outside the
 * tag's rule group's range now: those marks may not go back (WeCom keeps rule-group tags on its
 * range members' relations).
 */
export async function outOfRangePairs(ctx: TxCtx, live: LiveTag[]): Promise<{ tag_id: string; userid: string }[]> {
  const strategyOf = new Map(live.filter((t) => t.kind === 'strategy' && t.strategy_id !== null).map((t) => [t.tag_id, t.strategy_id!]));
  if (strategyOf.size === 0) return [];
  const pairs = await queryRows<{ tag_id: string; userid: string }>(
    ctx.tx,
    sql`
    select distinct tag_id, userid from reversal_journal where change = -1 and tag_id = any(${sql.param([...strategyOf.keys()])}::text[])`,
  );
  if (pairs.length === 0) return [];
  const snapshot = await loadOrgSnapshot(ctx);
  return pairs.filter((p) => !strategyCovers(snapshot, strategyOf.get(p.tag_id)!, p.userid));
}

/**
 * Every change the reversal made must be the actor's to make: group scopes, data scope, personal
 * tags their owner's. Checked once per (tag, employee, direction) of the new journal (both forms,
 * the compact one unnesting only the two arrays it needs); returns the tags changed.
 */
export async function authorizeReversal(ctx: TxCtx, policy: Policy, operationId: string, live: LiveTag[]): Promise<string[]> {
  const made = await queryRows<{ tag_id: string; userid: string; change: number }>(
    ctx.tx,
    sql`
    select distinct tag_id, userid, change::int as change from (
      select tag_id, userid, change from operation_changes where corp_id = ${ctx.corpId} and operation_id = ${operationId}
      union all
      select e.tag_id, e.userid, s.change from operation_change_sets s cross join lateral unnest(s.tag_ids, s.userids) as e(tag_id, userid)
      where s.corp_id = ${ctx.corpId} and s.operation_id = ${operationId}
    ) j where change <> 0`,
  );
  const tagOf = new Map(live.map((t) => [t.tag_id, t]));
  for (const c of made) {
    const tag = tagOf.get(c.tag_id)!;
    if (tag.owner) {
      policy.authorize('personalTag.manage', { type: 'personalTag', ownerUserid: tag.owner });
      continue;
    }
    const permission: Permission = c.change > 0 ? 'tag.apply' : 'tag.remove';
    policy.authorize(permission, { type: 'tagGroup', group: { kind: tag.kind!, scope: tag.scope ?? {}, strategyId: tag.strategy_id } });
    policy.authorize(permission, { type: 'follow', userid: c.userid });
  }
  return [...new Set(made.map((c) => c.tag_id))];
}
