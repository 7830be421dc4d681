import { and, eq, isNull, ne } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { tagGroups } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { bumpTagVersion, lockCorpSettings } from '../../corps/settings.js';
import { checkName } from '../names.js';
import { groupSnapshot, lockLiveGroup, type TagGroupRow } from '../tags.repo.js';

/** Renames and/or reorders a group; fields left out stay as they are. */
export type UpdateTagGroupInput = { groupId: string; name?: string; order?: number };

/** Renames or reorders an enterprise tag group. A new name must not clash with another live group. */
export async function updateTagGroup(ctx: TxCtx, input: UpdateTagGroupInput): Promise<TagGroupRow> {
  const settings = await lockCorpSettings(ctx);
  const group = await lockLiveGroup(ctx, input.groupId);
  (await policyFor(ctx)).authorize('tagGroup.update');
  const name = input.name === undefined ? group.name : checkName(input.name, settings, 'tag group', 'name');
  if (name !== group.name) {
    const [clash] = await ctx.tx
      .select({ groupId: tagGroups.groupId })
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.name, name), isNull(tagGroups.strategyId), isNull(tagGroups.deletedAt), ne(tagGroups.groupId, group.groupId)));
    if (clash) throw new AppError('name_taken', { message: `A tag group named "${name}" exists.`, details: [{ path: 'name', message: 'taken' }] });
  }
  const [updated] = await ctx.tx
    .update(tagGroups)
    .set({ name, order: input.order ?? group.order })
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, group.groupId)))
    .returning();
  await bumpTagVersion(ctx);
  await recordEvent(ctx, { type: 'tag_group.updated', subjectType: 'tag_group', subjectId: group.groupId, before: groupSnapshot(group), after: groupSnapshot(updated!) });
  return updated!;
}
