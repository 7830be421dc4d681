import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { UndoConflict } from '../../../../contracts/undo.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { tagGroups, tags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { deleteTags } from '../../tags/commands/delete-tags.js';
import { restoreTags } from '../../tags/commands/restore-tags.js';
import type { OperationRow } from '../operation-row.js';
import { conflictListCap, type Reversal } from './reverse-journal.js';

/** A deletion's reversal, with what it brought back (a redo deletes exactly those again). */
export type DeletionReversal = Reversal & { restoredTagIds: string[]; restoredGroupIds: string[] };

function idList(ids: readonly string[]) {
  return sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
}

/**
 * Undoes a tag / group deletion through the restore path: brings back what the deletion took that
 * is still deleted under its id, with exactly its archived marks (refused after 30 days, as a
 * restore is). Tags restored since, tags whose group was deleted again by another deletion, and
 * archived marks whose relation is gone are conflicts. The marks put back are journaled.
 */
export async function undoDeletion(ctx: TxCtx, target: OperationRow, undoId: string): Promise<DeletionReversal> {
  const params = target.params as { kind?: string; deletedTagIds?: string[] };
  if ((params.kind ?? 'corp') !== 'corp')
    throw new AppError('conflict', {
      message: 'Only a deletion of enterprise tags can be undone here; restore rule-group or smart tags from their own pages.',
    });
  const deletionId = target.operationId;
  const groups = await ctx.tx
    .select()
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.deletionId, deletionId), isNotNull(tagGroups.deletedAt)));
  const gone = await ctx.tx
    .select()
    .from(tags)
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.deletionId, deletionId), isNotNull(tags.deletedAt)));
  const groupIds = new Set(groups.map((g) => g.groupId));
  const homes =
    gone.length === 0
      ? []
      : await ctx.tx
          .select()
          .from(tagGroups)
          .where(and(eq(tagGroups.corpId, ctx.corpId), inArray(tagGroups.groupId, [...new Set(gone.map((t) => t.groupId))])));
  const liveHome = new Set(homes.filter((g) => g.deletedAt === null).map((g) => g.groupId));
  const lone = gone.filter((t) => !groupIds.has(t.groupId) && liveHome.has(t.groupId));

  const conflicts: UndoConflict[] = [];
  const goneIds = new Set(gone.map((t) => t.tagId));
  for (const tagId of params.deletedTagIds ?? [])
    if (!goneIds.has(tagId)) conflicts.push({ tagId, externalUserid: null, userid: null, reason: 'restored_since' });
  // Deleted since with their group by another deletion: restoring the tag would bring that group back too.
  for (const t of gone)
    if (!groupIds.has(t.groupId) && !liveHome.has(t.groupId)) conflicts.push({ tagId: t.tagId, externalUserid: null, userid: null, reason: 'tag_deleted' });
  const restorable = gone.filter((t) => groupIds.has(t.groupId) || liveHome.has(t.groupId)).map((t) => t.tagId);
  if (restorable.length === 0) throw new AppError('conflict', { message: `Nothing of deletion ${deletionId} is left to restore: it has been restored since.` });

  const stranded = await queryRows<{ tag_id: string; external_userid: string; userid: string }>(
    ctx.tx,
    sql`
    select a.tag_id, a.external_userid, a.userid from archived_marks a
    where a.corp_id = ${ctx.corpId} and a.deletion_id = ${deletionId} and a.tag_id in (${idList(restorable)})
      and not exists (select 1 from follows f where f.corp_id = a.corp_id and f.userid = a.userid and f.external_userid = a.external_userid)`,
  );
  for (const s of stranded) conflicts.push({ tagId: s.tag_id, externalUserid: s.external_userid, userid: s.userid, reason: 'relation_gone' });

  let added = 0;
  for (const group of groups) added += (await restoreTags(ctx, { groupId: group.groupId }, { operationId: undoId })).marksRestored;
  for (const tag of lone) added += (await restoreTags(ctx, { tagId: tag.tagId }, { operationId: undoId })).marksRestored;
  // A restored tag's marks are exactly those the restore put back (a deleted tag takes none meanwhile).
  await queryRows(
    ctx.tx,
    sql`
    insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change)
    select corp_id, ${undoId}, external_userid, userid, tag_id, 1 from marks where corp_id = ${ctx.corpId} and tag_id in (${idList(restorable)})`,
  );
  return {
    added,
    removed: 0,
    tagIds: restorable,
    conflicts: conflicts.slice(0, conflictListCap),
    conflictCount: conflicts.length,
    restoredTagIds: restorable,
    restoredGroupIds: [...groupIds],
  };
}

/**
 * Redoes an undone deletion: deletes again, under the original deletion id, the tags its undo
 * restored that are still live (their groups go too once emptied). Tags deleted again since are
 * conflicts. The marks taken off are journaled with their provenance.
 */
export async function redoDeletion(ctx: TxCtx, target: OperationRow, undo: OperationRow, redoId: string): Promise<Reversal> {
  const restored = ((undo.result ?? {}) as { restoredTagIds?: string[] }).restoredTagIds ?? [];
  const live =
    restored.length === 0
      ? []
      : await ctx.tx
          .select({ tagId: tags.tagId })
          .from(tags)
          .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, restored), isNull(tags.deletedAt)));
  const liveIds = live.map((t) => t.tagId);
  const conflicts: UndoConflict[] = restored
    .filter((id) => !liveIds.includes(id))
    .map((tagId) => ({ tagId, externalUserid: null, userid: null, reason: 'tag_deleted' as const }));
  let removed = 0;
  if (liveIds.length > 0) {
    await queryRows(
      ctx.tx,
      sql`
      insert into operation_changes (corp_id, operation_id, external_userid, userid, tag_id, change, prior_source, prior_created_by, prior_operation_id, prior_created_at,
        prior_rule_id, prior_rule_version, prior_evidence_seq)
      select corp_id, ${redoId}, external_userid, userid, tag_id, -1, source, created_by, operation_id, created_at, rule_id, rule_version, evidence_seq from marks where corp_id = ${ctx.corpId} and tag_id in (${idList(liveIds)})`,
    );
    removed = (await deleteTags(ctx, { tagIds: liveIds }, { deletionId: target.operationId, operationId: redoId })).marksRemoved;
  }
  return { added: 0, removed, tagIds: liveIds, conflicts: conflicts.slice(0, conflictListCap), conflictCount: conflicts.length };
}
