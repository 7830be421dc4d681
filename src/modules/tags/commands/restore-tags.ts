import { and, eq, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { tagGroups, tags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { bumpTagVersion, lockCorpSettings } from '../../corps/settings.js';
import { restoreArchivedMarks } from '../mark-archive.js';
import { countLiveCorpTags, groupSnapshot, liveTagsOfGroup, type TagGroupRow, type TagRow, tagSnapshot } from '../tags.repo.js';

/** Deleted tags and groups stay restorable this long. */
export const restoreWindowMs = 30 * 24 * 3600 * 1000;

/** Restore one deleted tag (with its group if that went too) or one deleted group with its tags. */
export type RestoreInput = { tagId: string } | { groupId: string };

/** Options for a restore run as part of an operation (an undo): its id goes on the events. */
export type RestoreOptions = { operationId?: string };

/** What came back, and how many marks returned to customers. */
export type RestoreResult = { group: TagGroupRow; tags: TagRow[]; marksRestored: number };

async function lockDeleted<T>(rows: Promise<T[]>, id: string): Promise<T> {
  const [row] = await rows;
  if (!row)
    throw new AppError('tag_not_found', { message: `No deleted tag or group ${id}.`, details: [{ path: 'id', message: 'not deleted or unknown', id }] });
  return row;
}

/**
 * Restores a tag or group deleted within the last 30 days, and exactly the marks its deletion
 * removed (on follow relations that still exist). Refused when a live tag or group now has the name.
 */
export async function restoreTags(ctx: TxCtx, input: RestoreInput, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const settings = await lockCorpSettings(ctx);
  let group: TagGroupRow;
  let revived: TagRow[];
  if ('groupId' in input) {
    group = await lockDeleted(
      ctx.tx
        .select()
        .from(tagGroups)
        .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, input.groupId), eq(tagGroups.kind, 'corp'), isNotNull(tagGroups.deletedAt)))
        .for('update'),
      input.groupId,
    );
    (await policyFor(ctx)).authorize('tagGroup.delete');
    revived = await ctx.tx
      .select()
      .from(tags)
      .where(and(eq(tags.corpId, ctx.corpId), eq(tags.groupId, group.groupId), eq(tags.deletionId, group.deletionId!)))
      .for('update');
  } else {
    const tag = await lockDeleted(
      ctx.tx
        .select()
        .from(tags)
        .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, input.tagId), isNotNull(tags.deletedAt)))
        .for('update'),
      input.tagId,
    );
    (await policyFor(ctx)).authorize('tag.delete');
    const [owner] = await ctx.tx
      .select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, tag.groupId)))
      .for('update');
    if (owner?.kind !== 'corp') throw new AppError('tag_not_found', { message: `Tag ${input.tagId} is not an enterprise tag.` });
    group = owner;
    revived = [tag];
  }
  const deletedAt = revived[0]?.deletedAt ?? group.deletedAt;
  if (deletedAt && Date.now() - deletedAt.getTime() > restoreWindowMs) throw new AppError('restore_expired');
  const deletionIdOf = new Map(revived.map((t) => [t.tagId, t.deletionId!]));

  const groupWasDeleted = group.deletedAt !== null;
  if (groupWasDeleted) {
    const [clash] = await ctx.tx
      .select({ id: tagGroups.groupId })
      .from(tagGroups)
      .where(
        and(
          eq(tagGroups.corpId, ctx.corpId),
          eq(tagGroups.nameKey, group.nameKey),
          isNull(tagGroups.strategyId),
          isNull(tagGroups.deletedAt),
          ne(tagGroups.groupId, group.groupId),
        ),
      );
    if (clash) throw new AppError('name_taken', { message: `A live tag group is now named "${group.name}"; rename it first.` });
  }
  const live = groupWasDeleted ? [] : await liveTagsOfGroup(ctx, group.groupId);
  const clashing = revived.filter((t) => live.some((l) => l.nameKey === t.nameKey));
  if (clashing.length > 0)
    throw new AppError('name_taken', {
      message: `Group "${group.name}" now has a tag named ${clashing.map((t) => `"${t.name}"`).join(', ')}; rename it first.`,
    });
  if (live.length + revived.length > settings.tagsPerGroup || (await countLiveCorpTags(ctx)) + revived.length > settings.corpTagsMax) {
    throw new AppError('limit_exceeded', { message: 'Restoring would exceed the tag limits.' });
  }

  const revivedIds = revived.map((t) => t.tagId);
  if (groupWasDeleted) {
    [group] = (await ctx.tx
      .update(tagGroups)
      .set({ deletedAt: null, deletionId: null })
      .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, group.groupId)))
      .returning()) as [TagGroupRow];
  }
  const restoredTags = await ctx.tx
    .update(tags)
    .set({ deletedAt: null, deletionId: null })
    .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, revivedIds)))
    .returning();
  let marksRestored = 0;
  for (const [deletionId, ids] of groupBy(deletionIdOf)) {
    const counts = await restoreArchivedMarks(ctx, ids, deletionId);
    for (const tag of restoredTags.filter((t) => ids.includes(t.tagId))) {
      const n = counts.get(tag.tagId) ?? 0;
      marksRestored += n;
      await recordEvent(ctx, {
        type: 'tag.restored',
        subjectType: 'tag',
        subjectId: tag.tagId,
        after: tagSnapshot(tag),
        payload: { deletionId, marksRestored: n },
        operationId: opts.operationId,
      });
    }
  }
  if (groupWasDeleted) {
    await recordEvent(ctx, {
      type: 'tag_group.restored',
      subjectType: 'tag_group',
      subjectId: group.groupId,
      after: groupSnapshot(group),
      payload: { tagIds: revivedIds },
      operationId: opts.operationId,
    });
  }
  await bumpTagVersion(ctx);
  return { group, tags: restoredTags, marksRestored };
}

function groupBy(byTag: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [tagId, deletionId] of byTag) out.set(deletionId, [...(out.get(deletionId) ?? []), tagId]);
  return out;
}
