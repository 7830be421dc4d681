import { and, eq, isNull, ne } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { type TagGroupScope, tagGroups } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { nameKey } from '../../../names/name-policy.js';
import { loadOrgSnapshot, policyFor } from '../../../policies/index.js';
import { regionsOf } from '../../../policies/org-snapshot.js';
import { bumpTagVersion, lockCorpSettings } from '../../corps/settings.js';
import { checkName } from '../names.js';
import { groupSnapshot, type LibraryKind, libraryPermission, lockLiveGroup, type TagGroupRow } from '../tags.repo.js';

/** Renames and/or reorders a group; fields left out stay as they are. `kind` defaults to enterprise groups. */
export type UpdateTagGroupInput = { groupId: string; name?: string; order?: number; scope?: TagGroupScope; kind?: LibraryKind };

/**
 * Renames or reorders an enterprise tag group, or sets who sees it and who may apply its tags. A
 * new name must not clash with another live group; a scope must name existing departments,
 * regions and members.
 */
export async function updateTagGroup(ctx: TxCtx, input: UpdateTagGroupInput): Promise<TagGroupRow> {
  const settings = await lockCorpSettings(ctx);
  const kind = input.kind ?? 'corp';
  const group = await lockLiveGroup(ctx, input.groupId, kind);
  (await policyFor(ctx)).authorize(libraryPermission(kind, 'tagGroup.update'));
  const name = input.name === undefined ? group.name : checkName(input.name, settings, 'tag group', 'name');
  const key = name === group.name ? group.nameKey : nameKey(name);
  if (key !== group.nameKey) {
    const [clash] = await ctx.tx
      .select({ name: tagGroups.name })
      .from(tagGroups)
      .where(
        and(
          eq(tagGroups.corpId, ctx.corpId),
          eq(tagGroups.nameKey, key),
          group.strategyId === null ? isNull(tagGroups.strategyId) : eq(tagGroups.strategyId, group.strategyId),
          isNull(tagGroups.deletedAt),
          ne(tagGroups.groupId, group.groupId),
        ),
      );
    if (clash) throw new AppError('name_taken', { message: `A tag group named "${clash.name}" exists.`, details: [{ path: 'name', message: 'taken' }] });
  }
  if (input.scope) await checkScope(ctx, input.scope);
  const [updated] = await ctx.tx
    .update(tagGroups)
    .set({ name, nameKey: key, order: input.order ?? group.order, scope: input.scope ?? group.scope })
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.groupId, group.groupId)))
    .returning();
  await bumpTagVersion(ctx);
  await recordEvent(ctx, {
    type: 'tag_group.updated',
    subjectType: 'tag_group',
    subjectId: group.groupId,
    before: groupSnapshot(group),
    after: groupSnapshot(updated!),
  });
  return updated!;
}

async function checkScope(ctx: TxCtx, scope: TagGroupScope): Promise<void> {
  const snapshot = await loadOrgSnapshot(ctx);
  const knownRegions = regionsOf(snapshot, snapshot.departments.keys());
  const details = [];
  for (const part of ['view', 'apply'] as const) {
    const audience = scope[part];
    for (const d of audience?.departments ?? [])
      if (!snapshot.departments.has(d)) details.push({ path: `scope.${part}.departments`, message: `unknown department ${d}` });
    for (const r of audience?.regions ?? [])
      if (!knownRegions.has(r)) details.push({ path: `scope.${part}.regions`, message: `no department is in region "${r}"` });
    for (const u of audience?.userids ?? []) if (!snapshot.employees.has(u)) details.push({ path: `scope.${part}.userids`, message: `unknown userid "${u}"` });
  }
  if (details.length > 0) throw new AppError('validation_failed', { message: 'The scope names unknown departments, regions or members.', details });
}
