import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';

function idList(ids: readonly string[]) {
  return sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
}

function countsByTag(rows: Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) out.set(String(row.tag_id), Number(row.n));
  return out;
}

/**
 * Moves every mark of the given tags into `archived_marks` under `deletionId`, in the caller's
 * transaction, and returns how many each tag lost. A later restore brings exactly these back.
 */
export async function archiveMarks(ctx: TxCtx, tagIds: readonly string[], deletionId: string): Promise<Map<string, number>> {
  if (tagIds.length === 0) return new Map();
  const rows = await queryRows(
    ctx.tx,
    sql`
    with moved as (
      delete from marks where corp_id = ${ctx.corpId} and tag_id in (${idList(tagIds)})
      returning tag_id, external_userid, userid, source, created_by, created_at
    ), archived as (
      insert into archived_marks (corp_id, tag_id, external_userid, userid, source, created_by, created_at, deletion_id)
      select ${ctx.corpId}, tag_id, external_userid, userid, source, created_by, created_at, ${deletionId} from moved
      on conflict (corp_id, tag_id, external_userid, userid)
      do update set source = excluded.source, created_by = excluded.created_by, created_at = excluded.created_at, deletion_id = excluded.deletion_id
      returning tag_id
    )
    select tag_id, count(*)::int as n from archived group by tag_id`,
  );
  return countsByTag(rows);
}

/**
 * Puts archived marks of the given tags back on the follow relations that still exist, and drops
 * the archive rows. Returns how many marks each tag regained.
 */
export async function restoreArchivedMarks(ctx: TxCtx, tagIds: readonly string[], deletionId: string): Promise<Map<string, number>> {
  if (tagIds.length === 0) return new Map();
  const rows = await queryRows(
    ctx.tx,
    sql`
    with taken as (
      delete from archived_marks where corp_id = ${ctx.corpId} and tag_id in (${idList(tagIds)}) and deletion_id = ${deletionId}
      returning tag_id, external_userid, userid, source, created_by, created_at
    ), restored as (
      insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, created_at)
      select ${ctx.corpId}, t.external_userid, t.userid, t.tag_id, 0, t.source, t.created_by, t.created_at
      from taken t
      join follows f on f.corp_id = ${ctx.corpId} and f.userid = t.userid and f.external_userid = t.external_userid
      on conflict do nothing
      returning tag_id
    )
    select tag_id, count(*)::int as n from restored group by tag_id`,
  );
  return countsByTag(rows);
}
