import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { tagGroups, tags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { nameKey } from '../../../names/name-policy.js';
import { policyFor } from '../../../policies/index.js';
import { bumpTagVersion, lockCorpSettings } from '../../corps/settings.js';
import { checkName, checkTagAttributes } from '../names.js';
import { type LibraryKind, libraryPermission, liveTagsOfGroup, lockLiveTags, type TagRow, tagSnapshot } from '../tags.repo.js';

/**
 * The fields of a tag that may change; left-out fields stay as they are. `kind` says which library
 * the tag must belong to (default enterprise; `strategy` for edit_strategy_tag).
 */
export type UpdateTagInput = { tagId: string; name?: string; order?: number; color?: string; description?: string; kind?: LibraryKind };

/**
 * Edits a tag's name, order, description or colour. A new name must be unique within its group;
 * the group never changes, so a rule-group tag cannot move to another rule group.
 */
export async function updateTag(ctx: TxCtx, input: UpdateTagInput): Promise<TagRow> {
  const settings = await lockCorpSettings(ctx);
  const kind = input.kind ?? 'corp';
  const [tag] = await lockLiveTags(ctx, [input.tagId], 'id');
  (await policyFor(ctx)).authorize(libraryPermission(kind, 'tag.update'));
  const [group] = await ctx.tx
    .select({ kind: tagGroups.kind })
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, tag!.groupId)));
  // Each library has its own API: a tag of another kind is as unknown here as it is on WeCom's.
  if (group?.kind !== kind)
    throw new AppError('tag_not_found', { message: `Tag ${input.tagId} is not ${kind === 'corp' ? 'an enterprise' : 'a rule-group'} tag.` });
  const { description } = checkTagAttributes(input);
  const name = input.name === undefined ? tag!.name : checkName(input.name, settings, 'tag', 'name');
  // A rename to a look-alike of its own name (vip → VIP) is a rename; of a sibling's, a clash.
  const key = name === tag!.name ? tag!.nameKey : nameKey(name);
  if (key !== tag!.nameKey) {
    const clash = (await liveTagsOfGroup(ctx, tag!.groupId)).find((s) => s.nameKey === key && s.tagId !== tag!.tagId);
    if (clash)
      throw new AppError('name_taken', { message: `This group already has a tag named "${clash.name}".`, details: [{ path: 'name', message: 'taken' }] });
  }
  const [updated] = await ctx.tx
    .update(tags)
    .set({ name, nameKey: key, order: input.order ?? tag!.order, color: input.color ?? tag!.color, description: description ?? tag!.description })
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, tag!.tagId)))
    .returning();
  await bumpTagVersion(ctx);
  await recordEvent(ctx, { type: 'tag.updated', subjectType: 'tag', subjectId: tag!.tagId, before: tagSnapshot(tag!), after: tagSnapshot(updated!) });
  return updated!;
}
