import { sql } from 'drizzle-orm';
import type { UndoConflict } from '../../../../contracts/undo.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import type { TagGroupScope } from '../../../db/schema/index.js';
import type { Permission, Policy } from '../../../policies/index.js';
import { applyMarkChanges, type MarkChange } from '../apply-changes.js';

/** At most this many conflicts are listed in a result; `conflictCount` counts them all. */
export const conflictListCap = 1000;

/** What reversing a journal did: counts, the tags touched, and the changes left alone. */
export type Reversal = { added: number; removed: number; tagIds: string[]; conflicts: UndoConflict[]; conflictCount: number };

/** Which journal to reverse, under which new operation id. */
export type ReverseInput = {
  /** The operation whose journal is reversed. */
  journalOf: string;
  /** The new (undo or redo) operation the reversal is journaled under. */
  operationId: string;
  /**
   * When `journalOf` is itself an undo, the marks it put back carry the provenance journaled by
   * the operation it undid (this id): a mark is unchanged since only if it still carries exactly that.
   */
  restoredFrom?: string;
};

type JournalRow = {
  external_userid: string;
  userid: string;
  tag_id: string;
  change: number;
  has_mark: boolean;
  unchanged: boolean;
  has_relation: boolean;
  tag_live: boolean;
  owner: string | null;
  kind: 'corp' | 'strategy' | 'smart' | null;
  scope: TagGroupScope | null;
  strategy_id: number | null;
};

/**
 * Reverses an operation's journal, journaling the reversal itself through `applyMarkChanges` so it
 * can be reversed in turn. Marks the operation put on (+1) come off if they still carry its
 * provenance; marks it took off (-1) go back, with the provenance they had, where the tag is live,
 * the relation exists and no one has put them on since. Everything else is a conflict, left alone.
 * The actor must still be allowed every change made (403 otherwise, nothing written).
 */
export async function reverseJournal(ctx: TxCtx, policy: Policy, input: ReverseInput): Promise<Reversal> {
  const { journalOf, operationId, restoredFrom } = input;
  const journal = sql`from operation_changes oc where oc.corp_id = ${ctx.corpId} and oc.operation_id = ${journalOf}`;
  const sameMark = (alias: string) => sql.raw(`${alias}.corp_id = oc.corp_id and ${alias}.external_userid = oc.external_userid and ${alias}.userid = oc.userid and ${alias}.tag_id = oc.tag_id`);
  // (The tag ids are collected once as an array: as an `in (subquery)` the planner re-scanned the
  // journal for every tag of the corp, 25 s for a 120k-mark undo.)
  // Lock what the reversal reads, so the classification below still holds when it writes: the
  // marks (no one changes them meanwhile), the tags and relations marks go back on (no one deletes them).
  await queryRows(ctx.tx, sql`select 1 from marks m join operation_changes oc on ${sameMark('m')} where oc.corp_id = ${ctx.corpId} and oc.operation_id = ${journalOf} for update of m`);
  await queryRows(ctx.tx, sql`select 1 from tags t where t.corp_id = ${ctx.corpId} and t.deleted_at is null and t.tag_id = any(array(select distinct oc.tag_id ${journal} and oc.change = -1)) for share of t`);
  await queryRows(ctx.tx, sql`select 1 from follows f join operation_changes oc on oc.corp_id = f.corp_id and oc.userid = f.userid and oc.external_userid = f.external_userid where oc.corp_id = ${ctx.corpId} and oc.operation_id = ${journalOf} and oc.change = -1 for key share of f`);

  const unchanged = restoredFrom
    ? sql`m.operation_id is not distinct from p.prior_operation_id and m.created_at = p.prior_created_at and m.source = p.prior_source and m.created_by = p.prior_created_by`
    : sql`m.operation_id = ${journalOf}`;
  const rows = await queryRows<JournalRow>(ctx.tx, sql`
    select oc.external_userid, oc.userid, oc.tag_id, oc.change::int as change,
      m.tag_id is not null as has_mark,
      coalesce(${unchanged}, false) as unchanged,
      exists (select 1 from follows f where f.corp_id = oc.corp_id and f.userid = oc.userid and f.external_userid = oc.external_userid) as has_relation,
      (pt.tag_id is not null or (t.deleted_at is null and g.deleted_at is null and t.tag_id is not null)) as tag_live,
      pt.owner_userid as owner, g.kind, g.scope, g.strategy_id
    from operation_changes oc
    left join marks m on ${sameMark('m')}
    left join tags t on t.corp_id = oc.corp_id and t.tag_id = oc.tag_id
    left join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    left join personal_tags pt on pt.corp_id = oc.corp_id and pt.tag_id = oc.tag_id
    ${restoredFrom ? sql`left join operation_changes p on ${sameMark('p')} and p.operation_id = ${restoredFrom}` : sql``}
    where oc.corp_id = ${ctx.corpId} and oc.operation_id = ${journalOf}
    order by oc.seq`);

  const changes: MarkChange[] = [];
  const restamp: JournalRow[] = [];
  const conflicts: UndoConflict[] = [];
  const conflict = (r: JournalRow, reason: UndoConflict['reason']) => conflicts.push({ tagId: r.tag_id, externalUserid: r.external_userid, userid: r.userid, reason });
  for (const r of rows) {
    if (!r.tag_live) conflict(r, 'tag_deleted');
    else if (r.change >= 0 && !r.has_mark) conflict(r, 'removed_since');
    else if (r.change >= 0 && !r.unchanged) conflict(r, 'changed_since');
    else if (r.change === 0) restamp.push(r);
    else if (r.change < 0 && !r.has_relation) conflict(r, 'relation_gone');
    else if (r.change < 0 && r.has_mark) conflict(r, 'readded_since');
    else changes.push({ externalUserid: r.external_userid, userid: r.userid, tagId: r.tag_id, change: r.change > 0 ? 'remove' : 'add' });
  }
  authorizeChanges(policy, rows, changes);

  const applied = await applyMarkChanges(ctx, operationId, changes, 'restore');
  if (restamp.length > 0) await restampMarks(ctx, journalOf, operationId, restamp);
  // applyMarkChanges stamps the marks it put back as this operation's; give them back the
  // provenance they had, as the reversed journal recorded it.
  const restoredKeys = await queryRows<{ external_userid: string; userid: string; tag_id: string }>(ctx.tx, sql`
    update marks m set source = coalesce(oc.prior_source, m.source), created_by = coalesce(oc.prior_created_by, m.created_by),
      operation_id = oc.prior_operation_id, created_at = coalesce(oc.prior_created_at, m.created_at)
    from operation_changes oc
    where oc.corp_id = ${ctx.corpId} and oc.operation_id = ${journalOf} and oc.change = -1 and ${sameMark('m')} and m.operation_id = ${operationId}
    returning m.external_userid, m.userid, m.tag_id`);
  // An add that found the mark already there (put on concurrently) changed nothing: a conflict too.
  const restored = new Set(restoredKeys.map((k) => `${k.external_userid}|${k.userid}|${k.tag_id}`));
  for (const c of changes) {
    if (c.change === 'add' && !restored.has(`${c.externalUserid}|${c.userid}|${c.tagId}`)) conflicts.push({ tagId: c.tagId, externalUserid: c.externalUserid, userid: c.userid, reason: 'readded_since' });
  }
  return { added: applied.added, removed: applied.removed, tagIds: [...new Set(changes.map((c) => c.tagId))], conflicts: conflicts.slice(0, conflictListCap), conflictCount: conflicts.length };
}

/**
 * A mark the operation took off and put on again (journal change 0) is still there but carries the
 * operation's provenance: give it back the provenance it had, journaling the one it replaces (as
 * change 0 again) so reversing this in turn stamps it back.
 */
async function restampMarks(ctx: TxCtx, journalOf: string, operationId: string, rows: JournalRow[]): Promise<void> {
  const keys = sql`unnest(${sql.param(rows.map((r) => r.external_userid))}::text[], ${sql.param(rows.map((r) => r.userid))}::text[], ${sql.param(rows.map((r) => r.tag_id))}::text[]) as k(external_userid, userid, tag_id)`;
  await queryRows(ctx.tx, sql`
    with journaled as (
      insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change, prior_source, prior_created_by, prior_operation_id, prior_created_at)
      select m.corp_id, ${operationId}, m.external_userid, m.userid, m.tag_id, 0, m.source, m.created_by, m.operation_id, m.created_at
      from marks m join ${keys} on m.corp_id = ${ctx.corpId} and m.external_userid = k.external_userid and m.userid = k.userid and m.tag_id = k.tag_id
      returning 1
    )
    update marks m set source = coalesce(oc.prior_source, m.source), created_by = coalesce(oc.prior_created_by, m.created_by),
      operation_id = oc.prior_operation_id, created_at = coalesce(oc.prior_created_at, m.created_at)
    from operation_changes oc join ${keys} on oc.external_userid = k.external_userid and oc.userid = k.userid and oc.tag_id = k.tag_id
    where oc.corp_id = ${ctx.corpId} and oc.operation_id = ${journalOf} and m.corp_id = oc.corp_id and m.external_userid = oc.external_userid and m.userid = oc.userid and m.tag_id = oc.tag_id`);
}

/** Every change must still be the actor's to make: group scopes, data scope, personal tags their owner's. */
function authorizeChanges(policy: Policy, rows: JournalRow[], changes: MarkChange[]): void {
  const rowOf = new Map(rows.map((r) => [`${r.external_userid}|${r.userid}|${r.tag_id}`, r]));
  const checked = new Set<string>();
  for (const c of changes) {
    const r = rowOf.get(`${c.externalUserid}|${c.userid}|${c.tagId}`)!;
    const permission: Permission = c.change === 'add' ? 'tag.apply' : 'tag.remove';
    const key = r.owner ? `p|${r.owner}` : `${permission}|${c.tagId}|${c.userid}`;
    if (checked.has(key)) continue;
    checked.add(key);
    if (r.owner) {
      policy.authorize('personalTag.manage', { type: 'personalTag', ownerUserid: r.owner });
      continue;
    }
    policy.authorize(permission, { type: 'tagGroup', group: { kind: r.kind!, scope: r.scope ?? {}, strategyId: r.strategy_id } });
    policy.authorize(permission, { type: 'follow', userid: c.userid });
  }
}
