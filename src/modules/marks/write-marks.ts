import { type SQL, sql } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import type { markSources } from '../../db/schema/index.js';

// The one mark writer: every automatic or bulk mark change (batches, imports, smart-tag syncs, rule
// runs) goes through these two functions, which journal it under an operation id, so undo and redo
// (src/modules/operations/undo) treat them all alike. The writers left outside are listed, with why,
// in no-other-writers.test.ts.

/** Where a mark came from (stored on the mark as `source`). */
export type MarkSource = (typeof markSources)[number];

/**
 * Who or what makes the marks of one write, stored on each mark next to the operation id and the
 * actor (`created_by`): the source, and for a tagging rule its id and version and the event that
 * triggered it (`evidenceSeq`, an `events.seq`), so a customer's tag can show its evidence.
 */
export type MarkOrigin = { source: MarkSource; ruleId?: string; ruleVersion?: number; evidenceSeq?: number };

/**
 * One mark to put on or take off: a tag on the relation of `userid` with `externalUserid`. An added
 * mark may name its own evidence event (a rule run matches each customer on a different event).
 */
export type MarkChange = { externalUserid: string; userid: string; tagId: string; change: 'add' | 'remove'; evidenceSeq?: number };

/** What was actually changed (a mark already there is not added again; an absent one not removed). */
export type AppliedChanges = { added: number; removed: number };

const chunkSize = 5000;

/**
 * Applies mark changes under one operation id and journals each one that took effect in
 * `operation_changes`, in the caller's transaction: the marks and the journal commit together, so
 * undo always knows exactly what an operation did. A removed mark's provenance (its rule, rule
 * version and evidence included) is journaled too, so undoing the removal restores it as it was.
 * The caller authorizes and validates (relations exist, tags live); this only writes. Removals run before additions, so a "move" that removes and
 * re-adds the same mark leaves it in place, journaled as both.
 */
export async function applyMarkChanges(ctx: TxCtx, operationId: string, changes: readonly MarkChange[], origin: MarkOrigin): Promise<AppliedChanges> {
  const result: AppliedChanges = { added: 0, removed: 0 };
  const removals = changes.filter((c) => c.change === 'remove');
  const additions = changes.filter((c) => c.change === 'add');
  const arrays = (list: readonly MarkChange[]) =>
    sql`unnest(${sql.param(list.map((c) => c.externalUserid))}::text[], ${sql.param(list.map((c) => c.userid))}::text[], ${sql.param(list.map((c) => c.tagId))}::text[])`;
  for (let i = 0; i < removals.length; i += chunkSize) {
    const chunk = removals.slice(i, i + chunkSize);
    const [row] = await queryRows<{ n: number }>(
      ctx.tx,
      sql`
      with gone as (
        delete from marks m using ${arrays(chunk)} as c(external_userid, userid, tag_id)
        where m.corp_id = ${ctx.corpId} and m.external_userid = c.external_userid and m.userid = c.userid and m.tag_id = c.tag_id
        returning m.external_userid, m.userid, m.tag_id, m.source, m.created_by, m.operation_id, m.created_at, m.rule_id, m.rule_version, m.evidence_seq
      ), journaled as (
        insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change, prior_source, prior_created_by, prior_operation_id, prior_created_at,
          prior_rule_id, prior_rule_version, prior_evidence_seq)
        select ${ctx.corpId}, ${operationId}, external_userid, userid, tag_id, -1, source, created_by, operation_id, created_at, rule_id, rule_version, evidence_seq from gone
        on conflict do nothing
        returning 1
      )
      select count(*)::int as n from journaled`,
    );
    result.removed += Number(row?.n ?? 0);
  }
  for (let i = 0; i < additions.length; i += chunkSize) {
    const chunk = additions.slice(i, i + chunkSize);
    const evidence = sql.param(chunk.map((c) => c.evidenceSeq ?? origin.evidenceSeq ?? null));
    const [row] = await queryRows<{ n: number }>(
      ctx.tx,
      sql`
      with made as (
        insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, operation_id, rule_id, rule_version, evidence_seq)
        select ${ctx.corpId}, c.external_userid, c.userid, c.tag_id,
          case when exists (select 1 from personal_tags p where p.corp_id = ${ctx.corpId} and p.tag_id = c.tag_id) then 1 else 0 end,
          ${origin.source}, ${actorLabel(ctx.actor)}, ${operationId}, ${ruleColumns(origin)}, e.evidence_seq
        from ${arrays(chunk)} with ordinality as c(external_userid, userid, tag_id, n)
        join unnest(${evidence}::bigint[]) with ordinality as e(evidence_seq, n) on e.n = c.n
        on conflict do nothing
        returning external_userid, userid, tag_id
      ), journaled as (
        insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change)
        select ${ctx.corpId}, ${operationId}, external_userid, userid, tag_id, 1 from made
        on conflict (corp_id, operation_id, external_userid, userid, tag_id) do update set change = 0
        returning 1
      )
      select count(*)::int as n from journaled`,
    );
    result.added += Number(row?.n ?? 0);
  }
  return result;
}

/** Follow relations as two parallel arrays (`externalUserids[i]` is followed by `userids[i]`). */
export type RelationArrays = { externalUserids: string[]; userids: string[] };

/** A relation set as a table `r(external_userid, userid)` to join in a statement. */
export function relationsTable(relations: RelationArrays): SQL {
  return sql`unnest(${sql.param(relations.externalUserids)}::text[], ${sql.param(relations.userids)}::text[]) as r(external_userid, userid)`;
}

/** Tags to put on and take off every relation of a set (disjoint); `personal` tells which added tags are personal. */
export type RelationTagChanges = { add: string[]; remove: string[]; personal: ReadonlySet<string> };

/**
 * The same as `applyMarkChanges` for the cross product of a relation set and a few tags, as two
 * statements (one delete, one insert), journaled compactly in `operation_change_sets`: a batch over
 * 100,000 customers sends its relation list once, and journals each chunk as one row of arrays.
 * Only marks that are there come off, so a removal of an absent mark is not journaled or counted.
 * Each (relation, tag) pair may come at most once per operation: the compact journal cannot merge
 * a mark journaled twice.
 */
export async function applyToRelations(
  ctx: TxCtx,
  operationId: string,
  relations: RelationArrays,
  tags: RelationTagChanges,
  origin: MarkOrigin,
): Promise<AppliedChanges> {
  if (tags.add.some((id) => tags.remove.includes(id))) throw new Error('applyToRelations: a tag cannot be both added and removed');
  const result: AppliedChanges = { added: 0, removed: 0 };
  const rel = relationsTable(relations);
  const journal = (change: number, priors: SQL) => sql`
    insert into operation_change_sets (corp_id, operation_id, change, external_userids, userids, tag_ids, prior_sources, prior_created_bys, prior_operation_ids, prior_created_ats,
      prior_rule_ids, prior_rule_versions, prior_evidence_seqs)
    select ${ctx.corpId}, ${operationId}, ${change}, array_agg(external_userid), array_agg(userid), array_agg(tag_id), ${priors} from changed
    having count(*) > 0
    returning cardinality(external_userids) as n`;
  if (tags.remove.length > 0) {
    const [row] = await queryRows<{ n: number }>(
      ctx.tx,
      sql`
      with changed as (
        delete from marks m using ${rel}
        where m.corp_id = ${ctx.corpId} and m.external_userid = r.external_userid and m.userid = r.userid and m.tag_id = any(${sql.param(tags.remove)}::text[])
        returning m.external_userid, m.userid, m.tag_id, m.source, m.created_by, m.operation_id, m.created_at, m.rule_id, m.rule_version, m.evidence_seq
      ), journaled as (${journal(
        -1,
        sql`array_agg(source), array_agg(created_by), array_agg(operation_id), array_agg(created_at), array_agg(rule_id), array_agg(rule_version), array_agg(evidence_seq)`,
      )})
      select coalesce(sum(n), 0)::int as n from journaled`,
    );
    result.removed = Number(row?.n ?? 0);
  }
  if (tags.add.length > 0) {
    const [row] = await queryRows<{ n: number }>(
      ctx.tx,
      sql`
      with changed as (
        insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, operation_id, rule_id, rule_version, evidence_seq)
        select ${ctx.corpId}, r.external_userid, r.userid, t.tag_id, t.personal, ${origin.source}, ${actorLabel(ctx.actor)}, ${operationId}, ${ruleColumns(origin)}, ${origin.evidenceSeq ?? null}::bigint
        from ${rel} cross join unnest(${sql.param(tags.add)}::text[], ${sql.param(tags.add.map((id) => (tags.personal.has(id) ? 1 : 0)))}::int[]) as t(tag_id, personal)
        on conflict do nothing
        returning external_userid, userid, tag_id
      ), journaled as (${journal(1, sql`null::text[], null::text[], null::text[], null::timestamptz[], null::text[], null::int[], null::bigint[]`)})
      select coalesce(sum(n), 0)::int as n from journaled`,
    );
    result.added = Number(row?.n ?? 0);
  }
  return result;
}

/** The rule columns of an origin, as two SQL values (null for anything but a rule run). */
function ruleColumns(origin: MarkOrigin): SQL {
  return sql`${origin.ruleId ?? null}::text, ${origin.ruleVersion ?? null}::int`;
}
