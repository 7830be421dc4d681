import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { tagGroups, tags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { bumpTagVersion, lockCorpSettings } from '../../corps/settings.js';
import { checkName, checkTagAttributes } from '../names.js';
import { liveTagsOfGroup, lockLiveTags, tagSnapshot, type TagRow } from '../tags.repo.js';

/** The fields of a tag that may change; left-out fields stay as they are. */
export type UpdateTagInput = { tagId: string; name?: string; order?: number; color?: string; description?: string };

/** Edits a tag's name, order, description or colour. A new name must be unique within its group. */
export async function updateTag(ctx: TxCtx, input: UpdateTagInput): Promise<TagRow> {
  const settings = await lockCorpSettings(ctx);
  const [tag] = await lockLiveTags(ctx, [input.tagId], 'id');
  (await policyFor(ctx)).authorize('tag.update');
  const [group] = await ctx.tx.select({ kind: tagGroups.kind }).from(tagGroups).where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, tag!.groupId)));
  // Strategy and smart tags have their own APIs; here they are as unknown as on WeCom's corp-tag API.
  if (group?.kind !== 'corp') throw new AppError('tag_not_found', { message: `Tag ${input.tagId} is not an enterprise tag.` });
  checkTagAttributes(input);
  const name = input.name === undefined ? tag!.name : checkName(input.name, settings, 'tag', 'name');
  if (name !== tag!.name) {
    const siblings = await liveTagsOfGroup(ctx, tag!.groupId);
    if (siblings.some((s) => s.name === name && s.tagId !== tag!.tagId)) {
      throw new AppError('name_taken', { message: `This group already has a tag named "${name}".`, details: [{ path: 'name', message: 'taken' }] });
    }
  }
  const [updated] = await ctx.tx
    .update(tags)
    .set({ name, order: input.order ?? tag!.order, color: input.color ?? tag!.color, description: input.description ?? tag!.description })
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, tag!.tagId)))
    .returning();
  await bumpTagVersion(ctx);
  await recordEvent(ctx, { type: 'tag.updated', subjectType: 'tag', subjectId: tag!.tagId, before: tagSnapshot(tag!), after: tagSnapshot(updated!) });
  return updated!;
}
