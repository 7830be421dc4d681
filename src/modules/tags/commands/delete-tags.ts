import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../context.js';
import { operations, tagGroups, tags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';
import { bumpTagVersion, lockCorpSettings } from '../../corps/settings.js';
import { archiveMarks } from '../mark-archive.js';
import { groupSnapshot, type LibraryKind, libraryPermission, lockLiveGroup, type TagGroupRow, type TagRow, tagSnapshot } from '../tags.repo.js';

/** Tags and whole groups to delete, as in WeCom's del_corp_tag (or del_strategy_tag with `kind: 'strategy'`). */
export type DeleteTagsInput = { tagIds?: string[]; groupIds?: string[]; kind?: LibraryKind };

/**
 * How the deletion is recorded. By default it is an operation of its own (kind `deletion`, listed
 * and undoable). A redo deletes again under the original `deletionId`, puts its own `operationId`
 * on the events and records the operation itself.
 */
export type DeleteTagsOptions = { deletionId?: string; operationId?: string };

/** What a deletion did: the id that restores it, and how many marks each tag lost. */
export type DeleteTagsResult = { deletionId: string; deletedTagIds: string[]; deletedGroupIds: string[]; marksRemoved: number };

/**
 * Deletes enterprise (or rule-group) tags and groups, removing them from every customer in the same transaction.
 * Deleting a group deletes its tags; deleting a group's last tag deletes the group. Removed marks
 * are archived under one deletion id so a restore within 30 days brings exactly them back.
 */
export async function deleteTags(ctx: TxCtx, input: DeleteTagsInput, opts: DeleteTagsOptions = {}): Promise<DeleteTagsResult> {
  const tagIds = [...new Set(input.tagIds ?? [])];
  const groupIds = [...new Set(input.groupIds ?? [])];
  if (tagIds.length === 0 && groupIds.length === 0) {
    throw new AppError('id_missing', { message: 'Give tag_id or group_id (not both empty).' });
  }
  const kind = input.kind ?? 'corp';
  await lockCorpSettings(ctx);
  const groups: TagGroupRow[] = [];
  for (const id of groupIds) groups.push(await lockLiveGroup(ctx, id, kind));
  // Every tag that goes is locked in one statement, in tag_id order, before its marks are archived:
  // the writers of marks (mark_tag, batches, undo) share-lock the tags they write in the same
  // order, so a mark either lands before this lock (and is archived) or finds the tag deleted, and
  // the two can never deadlock by taking the same tags in opposite orders.
  const locked = await lockDoomedTags(ctx, tagIds, groupIds);
  const named = locked.filter((t) => tagIds.includes(t.tagId));
  const missing = tagIds.filter((id) => !named.some((t) => t.tagId === id));
  if (missing.length > 0)
    throw new AppError('tag_not_found', {
      message: `Unknown tag id: ${missing.join(', ')}.`,
      details: missing.map((id) => ({ path: 'tag_id', message: 'unknown tag id', id })),
    });
  if (groups.length > 0) (await policyFor(ctx)).authorize(libraryPermission(kind, 'tagGroup.delete'));
  if (named.length > 0) (await policyFor(ctx)).authorize(libraryPermission(kind, 'tag.delete'));

  const groupOfNamed =
    named.length === 0
      ? []
      : await ctx.tx
          .select()
          .from(tagGroups)
          .where(and(eq(tagGroups.corpId, ctx.corpId), inArray(tagGroups.groupId, [...new Set(named.map((t) => t.groupId))])))
          .for('update');
  const otherKind = groupOfNamed.filter((g) => g.kind !== kind);
  if (otherKind.length > 0) {
    throw new AppError('tag_not_found', {
      message: `Some tags are not ${kind === 'corp' ? 'enterprise' : 'rule-group'} tags; use their own API.`,
      details: otherKind.map((g) => ({ path: 'tag_id', message: `not a ${kind} tag`, groupId: g.groupId })),
    });
  }

  // Work out the full set: tags of deleted groups, and groups emptied by deleting their tags. The
  // siblings of a named tag need no lock: its group row is locked, and adding a tag locks it too.
  const doomedGroups = new Map(groups.map((g) => [g.groupId, g]));
  const doomedTags = new Map<string, TagRow>(locked.map((t) => [t.tagId, t]));
  const siblings =
    groupOfNamed.length === 0
      ? []
      : await ctx.tx
          .select({ tagId: tags.tagId, groupId: tags.groupId })
          .from(tags)
          .where(
            and(
              eq(tags.corpId, ctx.corpId),
              inArray(
                tags.groupId,
                groupOfNamed.map((g) => g.groupId),
              ),
              isNull(tags.deletedAt),
            ),
          );
  for (const group of groupOfNamed) {
    const left = siblings.filter((t) => t.groupId === group.groupId && !doomedTags.has(t.tagId));
    if (left.length === 0) doomedGroups.set(group.groupId, group);
  }

  const deletionId = opts.deletionId ?? newId.operation();
  const now = new Date();
  const removed = await archiveMarks(ctx, [...doomedTags.keys()], deletionId);
  await ctx.tx
    .update(tags)
    .set({ deletedAt: now, deletionId })
    .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, [...doomedTags.keys()])));
  if (doomedGroups.size > 0) {
    await ctx.tx
      .update(tagGroups)
      .set({ deletedAt: now, deletionId })
      .where(and(eq(tagGroups.corpId, ctx.corpId), inArray(tagGroups.groupId, [...doomedGroups.keys()])));
  }
  await bumpTagVersion(ctx);

  for (const tag of doomedTags.values()) {
    await recordEvent(ctx, {
      type: 'tag.deleted',
      subjectType: 'tag',
      subjectId: tag.tagId,
      before: tagSnapshot(tag),
      payload: { deletionId, marksRemoved: removed.get(tag.tagId) ?? 0, withGroup: doomedGroups.has(tag.groupId) },
      operationId: opts.operationId ?? deletionId,
    });
  }
  for (const group of doomedGroups.values()) {
    await recordEvent(ctx, {
      type: 'tag_group.deleted',
      subjectType: 'tag_group',
      subjectId: group.groupId,
      before: groupSnapshot(group),
      payload: { deletionId, tagIds: [...doomedTags.values()].filter((t) => t.groupId === group.groupId).map((t) => t.tagId) },
      operationId: opts.operationId ?? deletionId,
    });
  }
  let marksRemoved = 0;
  for (const n of removed.values()) marksRemoved += n;
  if (!opts.deletionId) {
    // The deletion is an operation too, so it is listed with the others and can be undone (a restore).
    await ctx.tx.insert(operations).values({
      corpId: ctx.corpId,
      operationId: deletionId,
      kind: 'deletion',
      status: 'succeeded',
      params: { tagIds, groupIds, kind, deletedTagIds: [...doomedTags.keys()], deletedGroupIds: [...doomedGroups.keys()] },
      actor: ctx.actor,
      actorLabel: actorLabel(ctx.actor),
      source: ctx.source,
      total: marksRemoved,
      done: marksRemoved,
      result: { added: 0, removed: marksRemoved, archivedMarks: marksRemoved },
      startedAt: now,
      finishedAt: now,
    });
  }
  return { deletionId, deletedTagIds: [...doomedTags.keys()], deletedGroupIds: [...doomedGroups.keys()], marksRemoved };
}

/** Locks (for update, in tag_id order) the live tags named and every live tag of the named groups. */
async function lockDoomedTags(ctx: TxCtx, tagIds: string[], groupIds: string[]): Promise<TagRow[]> {
  return ctx.tx
    .select()
    .from(tags)
    .where(
      and(
        eq(tags.corpId, ctx.corpId),
        isNull(tags.deletedAt),
        or(tagIds.length > 0 ? inArray(tags.tagId, tagIds) : undefined, groupIds.length > 0 ? inArray(tags.groupId, groupIds) : undefined),
      ),
    )
    .orderBy(tags.tagId)
    .for('update');
}
