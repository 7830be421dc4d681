import { sql } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import type { markSources } from '../../db/schema/index.js';

/** One mark to put on or take off: a tag on the relation of `userid` with `externalUserid`. */
export type MarkChange = { externalUserid: string; userid: string; tagId: string; change: 'add' | 'remove' };

/** What was actually changed (a mark already there is not added again; an absent one not removed). */
export type AppliedChanges = { added: number; removed: number };

const chunkSize = 5000;

/**
 * Applies mark changes under one operation id and journals each one that took effect in
 * `operation_changes`, in the caller's transaction: the marks and the journal commit together, so
 * undo always knows exactly what an operation did. A removed mark's provenance is journaled too,
 * so undoing the removal restores it as it was. The caller authorizes and validates (relations
 * exist, tags live); this only writes. Removals run before additions, so a "move" that removes and
 * re-adds the same mark leaves it in place, journaled as both.
 */
export async function applyMarkChanges(ctx: TxCtx, operationId: string, changes: readonly MarkChange[], source: (typeof markSources)[number]): Promise<AppliedChanges> {
  const result: AppliedChanges = { added: 0, removed: 0 };
  const removals = changes.filter((c) => c.change === 'remove');
  const additions = changes.filter((c) => c.change === 'add');
  const arrays = (list: readonly MarkChange[]) => sql`unnest(${sql.param(list.map((c) => c.externalUserid))}::text[], ${sql.param(list.map((c) => c.userid))}::text[], ${sql.param(list.map((c) => c.tagId))}::text[])`;
  for (let i = 0; i < removals.length; i += chunkSize) {
    const chunk = removals.slice(i, i + chunkSize);
    const [row] = await queryRows<{ n: number }>(ctx.tx, sql`
      with gone as (
        delete from marks m using ${arrays(chunk)} as c(external_userid, userid, tag_id)
        where m.corp_id = ${ctx.corpId} and m.external_userid = c.external_userid and m.userid = c.userid and m.tag_id = c.tag_id
        returning m.external_userid, m.userid, m.tag_id, m.source, m.created_by, m.operation_id, m.created_at
      ), journaled as (
        insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change, prior_source, prior_created_by, prior_operation_id, prior_created_at)
        select ${ctx.corpId}, ${operationId}, external_userid, userid, tag_id, -1, source, created_by, operation_id, created_at from gone
        on conflict do nothing
        returning 1
      )
      select count(*)::int as n from journaled`);
    result.removed += Number(row?.n ?? 0);
  }
  for (let i = 0; i < additions.length; i += chunkSize) {
    const chunk = additions.slice(i, i + chunkSize);
    const [row] = await queryRows<{ n: number }>(ctx.tx, sql`
      with made as (
        insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, operation_id)
        select ${ctx.corpId}, c.external_userid, c.userid, c.tag_id,
          case when exists (select 1 from personal_tags p where p.corp_id = ${ctx.corpId} and p.tag_id = c.tag_id) then 1 else 0 end,
          ${source}, ${actorLabel(ctx.actor)}, ${operationId}
        from ${arrays(chunk)} as c(external_userid, userid, tag_id)
        on conflict do nothing
        returning external_userid, userid, tag_id
      ), journaled as (
        insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change)
        select ${ctx.corpId}, ${operationId}, external_userid, userid, tag_id, 1 from made
        on conflict (corp_id, operation_id, external_userid, userid, tag_id) do update set change = 0
        returning 1
      )
      select count(*)::int as n from journaled`);
    result.added += Number(row?.n ?? 0);
  }
  return result;
}
