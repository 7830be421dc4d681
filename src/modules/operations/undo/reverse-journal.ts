import { type SQL, sql } from 'drizzle-orm';
import type { UndoConflict } from '../../../../contracts/undo.js';
import { actorLabel, type TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import type { Policy } from '../../../policies/index.js';
import { authorizeReversal, lockLiveTags, outOfRangePairs } from './reversal-checks.js';

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

const sameMark = (alias: string, other = 'oc') =>
  sql.raw(
    `${alias}.corp_id = ${other}.corp_id and ${alias}.external_userid = ${other}.external_userid and ${alias}.userid = ${other}.userid and ${alias}.tag_id = ${other}.tag_id`,
  );
const priorColumns = sql.raw('prior_source, prior_created_by, prior_operation_id, prior_created_at, prior_rule_id, prior_rule_version, prior_evidence_seq');
/** A mark's provenance, in the order of `priorColumns` (journaled as the priors of a mark taken off or restamped). */
const markProvenance = sql.raw('source, created_by, operation_id, created_at, rule_id, rule_version, evidence_seq');

/**
 * Reverses an operation's journal as a few set-based statements, journaling the reversal itself
 * so it can be reversed in turn. Marks the operation put on (+1) come off if they still carry its
 * provenance; marks it took off (-1) go back, with the provenance they had, where the tag is live,
 * the relation exists and no one has put them on since. Everything else is a conflict, left alone.
 * The actor must be allowed every change made (403 otherwise: the caller's transaction rolls back,
 * so nothing is written). Each condition is checked by the statement that writes, under its row
 * locks, so a concurrent change cannot slip between a check and the write.
 */
export async function reverseJournal(ctx: TxCtx, policy: Policy, input: ReverseInput): Promise<Reversal> {
  const { journalOf, operationId } = input;
  // A journal of 100,000 marks: JIT compiling these few statements costs more than running them, and
  // the distinct (tag, employee) pairs sort in memory rather than on disk.
  await ctx.tx.execute(sql`set local jit = off`);
  await ctx.tx.execute(sql`set local work_mem = '64MB'`);
  await copyJournal(ctx, 'reversal_journal', journalOf);
  if (input.restoredFrom) await copyJournal(ctx, 'reversal_origin', input.restoredFrom);
  const origin = input.restoredFrom ? sql` join reversal_origin p on ${sameMark('p')}` : sql``;
  const live = await lockLiveTags(ctx);
  const liveIds = sql`${sql.param(live.map((t) => t.tag_id))}::text[]`;
  // Relations marks go back on must not be deleted under the reversal.
  await queryRows(
    ctx.tx,
    sql`select 1 from follows f join reversal_journal oc on oc.corp_id = f.corp_id and oc.userid = f.userid and oc.external_userid = f.external_userid where oc.change = -1 for key share of f`,
  );

  // Marks the operation put on come off, journaled compactly (one row of arrays, as a batch journals
  // its chunks): a row per mark with its own index entry cost an undo of 100,000 marks as much as the delete.
  // A reversal removes each mark at most once, and never removes a mark it also puts back.
  const byOperationIndex = !input.restoredFrom;
  // The marks still carrying the operation's id are found through marks_operation_idx and hash-joined
  // with the journal. Right after a big batch the statistics still say the operation has one mark,
  // and the planner, trusting them, once probed that index per journal row for minutes: no nested loops here.
  if (byOperationIndex) await ctx.tx.execute(sql`set local enable_nestloop = off`);
  const removed = await count(
    ctx,
    sql`
    with gone as (
      delete from marks m using reversal_journal oc${origin}
      where oc.change = 1 and oc.tag_id = any(${liveIds}) and ${sameMark('m')} and ${unchangedSince(input)}${byOperationIndex ? sql` and m.corp_id = ${ctx.corpId} and m.operation_id = ${journalOf}` : sql``}
      returning m.external_userid, m.userid, m.tag_id, ${markProvenance}
    ), journaled as (
      insert into operation_change_sets (corp_id, operation_id, change, external_userids, userids, tag_ids, prior_sources, prior_created_bys, prior_operation_ids,
        prior_created_ats, prior_rule_ids, prior_rule_versions, prior_evidence_seqs)
      select ${ctx.corpId}, ${operationId}, -1, array_agg(external_userid), array_agg(userid), array_agg(tag_id), array_agg(source), array_agg(created_by),
        array_agg(operation_id), array_agg(created_at), array_agg(rule_id), array_agg(rule_version), array_agg(evidence_seq) from gone
      having count(*) > 0
      returning cardinality(external_userids) as n
    )
    select coalesce(sum(n), 0)::int as n from journaled`,
  );
  if (byOperationIndex) await ctx.tx.execute(sql`set local enable_nestloop = default`);

  // Marks taken off go back as they were; one already there again is left alone (a conflict), and so
  // is a rule-group tag whose employee has left the group's range since.
  const personal = sql`${sql.param(live.map((t) => (t.owner ? 1 : 0)))}::int[]`;
  const outOfRange = await outOfRangePairs(ctx, live);
  const inRange = sql`not exists (select 1 from unnest(${sql.param(outOfRange.map((p) => p.tag_id))}::text[], ${sql.param(outOfRange.map((p) => p.userid))}::text[]) as x(tag_id, userid) where x.tag_id = oc.tag_id and x.userid = oc.userid)`;
  const added = await count(
    ctx,
    sql`
    with made as (
      insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, operation_id, created_at, rule_id, rule_version, evidence_seq)
      select oc.corp_id, oc.external_userid, oc.userid, oc.tag_id, lt.personal, coalesce(oc.prior_source, 'restore'), coalesce(oc.prior_created_by, ${actorLabel(ctx.actor)}),
        oc.prior_operation_id, coalesce(oc.prior_created_at, now()), oc.prior_rule_id, oc.prior_rule_version, oc.prior_evidence_seq
      from reversal_journal oc join unnest(${liveIds}, ${personal}) as lt(tag_id, personal) on lt.tag_id = oc.tag_id
      where oc.change = -1 and ${inRange}
        and exists (select 1 from follows f where f.corp_id = oc.corp_id and f.userid = oc.userid and f.external_userid = oc.external_userid)
      on conflict do nothing
      returning corp_id, external_userid, userid, tag_id
    ), journaled as (
      insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change)
      select corp_id, ${operationId}, external_userid, userid, tag_id, 1 from made
      returning 1
    )
    select count(*)::int as n from journaled`,
  );

  // A mark the operation took off and put on again (change 0) is still there with the operation's
  // provenance: it gets back the one it had, and the one it replaces is journaled (change 0 again)
  // so reversing this in turn stamps it back.
  const restamped = await count(
    ctx,
    sql`
    with due as (
      select oc.corp_id, oc.external_userid, oc.userid, oc.tag_id, oc.prior_source, oc.prior_created_by, oc.prior_operation_id, oc.prior_created_at,
        oc.prior_rule_id, oc.prior_rule_version, oc.prior_evidence_seq, m.source, m.created_by, m.operation_id, m.created_at, m.rule_id, m.rule_version, m.evidence_seq
      from reversal_journal oc join marks m on ${sameMark('m')}${origin}
      where oc.change = 0 and oc.tag_id = any(${liveIds}) and ${unchangedSince(input)}
      for update of m
    ), journaled as (
      insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change, ${priorColumns})
      select corp_id, ${operationId}, external_userid, userid, tag_id, 0, ${markProvenance} from due
      returning 1
    ), stamped as (
      update marks m set source = coalesce(d.prior_source, m.source), created_by = coalesce(d.prior_created_by, m.created_by),
        operation_id = d.prior_operation_id, created_at = coalesce(d.prior_created_at, m.created_at),
        rule_id = d.prior_rule_id, rule_version = d.prior_rule_version, evidence_seq = d.prior_evidence_seq
      from due d where ${sameMark('m', 'd')}
      returning 1
    )
    select (select count(*) from journaled)::int as n`,
  );

  const touched = await authorizeReversal(ctx, policy, operationId, live);
  const [total] = await queryRows<{ n: number }>(ctx.tx, sql`select count(*)::int as n from reversal_journal`);
  const conflicts = removed + added + restamped < Number(total!.n) ? await listConflicts(ctx, input, liveIds, inRange) : [];
  return { added, removed, tagIds: touched, conflicts: conflicts.slice(0, conflictListCap), conflictCount: conflicts.length };
}

/** The condition under which a mark `m` the journal `oc` put on is still the operation's (not changed since). */
function unchangedSince(input: ReverseInput): SQL {
  return input.restoredFrom
    ? sql`m.operation_id is not distinct from p.prior_operation_id and m.created_at = p.prior_created_at and m.source = p.prior_source and m.created_by = p.prior_created_by
        and m.rule_id is not distinct from p.prior_rule_id and m.rule_version is not distinct from p.prior_rule_version and m.evidence_seq is not distinct from p.prior_evidence_seq`
    : // (`coalesce` keeps the planner off marks_operation_idx: right after a big batch the statistics
      // still say the operation has one mark, and probing that index once per journal row took minutes.
      // The removal adds a sargable form, and runs without nested loops.)
      sql`coalesce(m.operation_id, '') = ${input.journalOf}`;
}

/**
 * Copies an operation's journal (both forms, one row per mark) into a temporary table dropped at
 * commit, and analyzes it: the statements that follow join it with marks and follows, and a
 * journal written moments ago has no statistics yet, which once led the planner to a plan that
 * ran for minutes.
 */
async function copyJournal(ctx: TxCtx, table: 'reversal_journal' | 'reversal_origin', operationId: string): Promise<void> {
  const name = sql.raw(table);
  await ctx.tx.execute(sql`drop table if exists pg_temp.${name}`);
  await ctx.tx.execute(sql`
    create temp table ${name} on commit drop as
    select corp_id, external_userid, userid, tag_id, change, ${priorColumns}, seq, item
    from operation_journal where corp_id = ${ctx.corpId} and operation_id = ${operationId}`);
  await ctx.tx.execute(sql`analyze pg_temp.${name}`);
}

async function count(ctx: TxCtx, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(ctx.tx, query);
  return Number(row?.n ?? 0);
}

/** The journal's changes the reversal left alone (no row for their mark in the new journal), each with why, in journal order. */
async function listConflicts(ctx: TxCtx, input: ReverseInput, liveIds: SQL, inRange: SQL): Promise<UndoConflict[]> {
  return queryRows<UndoConflict>(
    ctx.tx,
    sql`
    select oc.tag_id as "tagId", oc.external_userid as "externalUserid", oc.userid,
      case when not (oc.tag_id = any(${liveIds})) then 'tag_deleted'
        when oc.change >= 0 and m.tag_id is null then 'removed_since'
        when oc.change >= 0 then 'changed_since'
        when not exists (select 1 from follows f where f.corp_id = oc.corp_id and f.userid = oc.userid and f.external_userid = oc.external_userid) then 'relation_gone'
        when not (${inRange}) then 'out_of_range'
        else 'readded_since' end as reason
    from reversal_journal oc left join marks m on ${sameMark('m')}
    where not exists (select 1 from operation_journal n where ${sameMark('n')} and n.operation_id = ${input.operationId})
    order by oc.seq, oc.item`,
  );
}
