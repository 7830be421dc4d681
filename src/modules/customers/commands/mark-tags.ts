import { and, eq, inArray } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../context.js';
import { marks, personalTags, tagGroups } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { authorize } from '../../../policies/index.js';
import { lockLiveTags } from '../../tags/tags.repo.js';
import { lockFollow } from '../follows.repo.js';

/** Tags to put on and take off one follow relation (employee × customer). */
export type MarkTagsInput = { userid: string; externalUserid: string; add?: string[]; remove?: string[] };

/** The tag ids that actually changed (already-present adds and absent removes are no-ops). */
export type MarkTagsResult = { added: string[]; removed: string[] };

/**
 * Marks and unmarks tags on one follow relation with WeCom's semantics: several tags of one group
 * may coexist. Enterprise tags need `tag.apply` / `tag.remove` on the relation; a personal tag can
 * only be used by its owner on the owner's own relations, and to anyone else it does not exist.
 */
export async function markTags(ctx: TxCtx, input: MarkTagsInput): Promise<MarkTagsResult> {
  const add = [...new Set(input.add ?? [])];
  const remove = [...new Set(input.remove ?? [])];
  if (add.length === 0 && remove.length === 0) throw new AppError('validation_failed', { message: 'add_tag and remove_tag are both empty.', details: [{ path: 'add_tag', message: 'empty' }] });
  const both = add.filter((id) => remove.includes(id));
  if (both.length > 0) throw new AppError('validation_failed', { message: `A tag cannot be added and removed at once: ${both.join(', ')}.`, details: both.map((id) => ({ path: 'remove_tag', message: 'also in add_tag', id })) });

  const follow = await lockFollow(ctx, input.userid, input.externalUserid);
  const ids = [...add, ...remove];
  // A personal tag exists only for its owner acting on their own relation. For anyone else its id
  // falls through to the enterprise-tag lookup and is reported unknown, never as forbidden, so a
  // caller cannot probe which personal tag ids exist.
  const ownerActing = ctx.actor.kind === 'employee' && ctx.actor.userid === follow.userid;
  const owned = !ownerActing ? [] : await ctx.tx
    .select({ tagId: personalTags.tagId, owner: personalTags.ownerUserid })
    .from(personalTags)
    .where(and(eq(personalTags.corpId, ctx.corpId), inArray(personalTags.tagId, ids), eq(personalTags.ownerUserid, follow.userid)))
    .for('share');
  const personal = new Set(owned.map((p) => p.tagId));
  const corpIds = ids.filter((id) => !personal.has(id));
  const corpTags = await lockLiveTags(ctx, corpIds, add.some((id) => corpIds.includes(id)) ? 'add_tag' : 'remove_tag', 'share');
  if (corpTags.length > 0) {
    const groups = await ctx.tx.select({ kind: tagGroups.kind }).from(tagGroups).where(and(eq(tagGroups.corpId, ctx.corpId), inArray(tagGroups.groupId, [...new Set(corpTags.map((t) => t.groupId))])));
    if (groups.some((g) => g.kind === 'smart')) throw new AppError('validation_failed', { message: 'Tags of a smart group are kept by its rules and cannot be marked by hand.' });
  }

  if (personal.size > 0) authorize(ctx.actor, 'personalTag.manage', { type: 'personalTag', ownerUserid: follow.userid });
  if (add.some((id) => !personal.has(id))) authorize(ctx.actor, 'tag.apply', { type: 'follow', userid: follow.userid });
  if (remove.some((id) => !personal.has(id))) authorize(ctx.actor, 'tag.remove', { type: 'follow', userid: follow.userid });

  const where = and(eq(marks.corpId, ctx.corpId), eq(marks.externalUserid, follow.externalUserid), eq(marks.userid, follow.userid));
  const added = add.length === 0 ? [] : await ctx.tx
    .insert(marks)
    .values(add.map((tagId) => ({ corpId: ctx.corpId, externalUserid: follow.externalUserid, userid: follow.userid, tagId, personal: personal.has(tagId) ? 1 : 0, source: markSource(ctx), createdBy: actorLabel(ctx.actor) })))
    .onConflictDoNothing()
    .returning({ tagId: marks.tagId });
  const removed = remove.length === 0 ? [] : await ctx.tx.delete(marks).where(and(where, inArray(marks.tagId, remove))).returning({ tagId: marks.tagId });

  const result = { added: added.map((r) => r.tagId), removed: removed.map((r) => r.tagId) };
  if (result.added.length > 0 || result.removed.length > 0) {
    await recordEvent(ctx, { type: 'follow.tags_changed', subjectType: 'follow', subjectId: `${follow.userid}|${follow.externalUserid}`, payload: { userid: follow.userid, externalUserid: follow.externalUserid, ...result } });
  }
  return result;
}

function markSource(ctx: TxCtx) {
  if (ctx.source === 'wecom-api') return 'wecom-api' as const;
  if (ctx.source === 'api') return 'api' as const;
  if (ctx.source === 'import') return 'import' as const;
  if (ctx.source === 'rule') return 'rule' as const;
  return 'manual' as const;
}
