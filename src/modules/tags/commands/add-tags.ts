import { and, eq, isNull } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { TxCtx } from '../../../context.js';
import { tagGroups, tags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { nameKey } from '../../../names/name-policy.js';
import { policyFor } from '../../../policies/index.js';
import { bumpTagVersion, lockCorpSettings } from '../../corps/settings.js';
import { checkName, checkTagAttributes } from '../names.js';
import { countLiveCorpTags, type LibraryKind, libraryPermission, liveTagsOfGroup, lockLiveGroup, type TagGroupRow, type TagRow } from '../tags.repo.js';

/** One tag to add. */
export type NewTag = {
  name: string;
  order?: number;
  color?: string;
  description?: string;
  rule?: Expr;
  /** The id to give the tag (a pull reuses WeCom's id when it is free); the caller checks it is free. */
  tagId?: string;
};

/** Where the tags go: an existing group by id, or a group by name (created when missing). */
export type AddTagsInput = {
  groupId?: string;
  groupName?: string;
  order?: number;
  tags: NewTag[];
  /**
   * `merge` (WeCom add_corp_tag): a group with that name takes the tags. `create` (native API
   * "create group"): a group with that name is a `name_taken` error.
   */
  onExistingName?: 'merge' | 'create';
  /**
   * Set for rule-group tags (add_strategy_tag): the group is looked up, merged and created within
   * this rule group only, under `strategy.manage`. The caller checks that the rule group is top-level.
   */
  strategyId?: number;
  /** Set for a smart group's tags, each of which must carry a `rule` (checked by the caller). */
  smart?: boolean;
  /** The id to give a group created here (a pull reuses WeCom's id when it is free); the caller checks it is free. */
  newGroupId?: string;
};

/**
 * Adds tags to a group, creating the group when asked by name, with WeCom's rules: no empty
 * groups, names deduplicated within the request, a clash with a live tag refused, and the
 * per-group and per-corp quotas checked (rule-group tags count against the corp quota too).
 * Everything or nothing is written.
 */
export async function addTags(ctx: TxCtx, input: AddTagsInput): Promise<{ group: TagGroupRow; tags: TagRow[]; groupCreated: boolean }> {
  const settings = await lockCorpSettings(ctx);
  const kind: LibraryKind = input.smart ? 'smart' : input.strategyId === undefined ? 'corp' : 'strategy';
  if (input.smart && input.tags.some((t) => t.rule === undefined))
    throw new AppError('validation_failed', { message: 'Every tag of a smart group needs a rule.' });
  (await policyFor(ctx)).authorize(libraryPermission(kind, 'tag.create'));
  if (input.tags.length === 0)
    throw new AppError('name_missing', { message: 'A tag group cannot be empty: give at least one tag.', details: [{ path: 'tag', message: 'empty' }] });

  const names: (NewTag & { key: string })[] = [];
  const seen = new Set<string>();
  input.tags.forEach((tag, i) => {
    const name = checkName(tag.name, settings, 'tag', `tag.${i}.name`);
    const { description } = checkTagAttributes(tag, `tag.${i}.`);
    // WeCom collapses duplicate names inside one request into one tag; names that look the same
    // (VIP, ＶＩＰ) are duplicates too, the first one spelling the name.
    const key = nameKey(name);
    if (!seen.has(key)) names.push({ ...tag, name, description, key }), seen.add(key);
  });

  let group: TagGroupRow | undefined;
  let groupCreated = false;
  if (input.groupId) {
    group = await lockLiveGroup(ctx, input.groupId, kind);
    // A rule group's tags stay in it: another rule group's group id is as unknown as a missing one.
    if (group.strategyId !== (input.strategyId ?? null))
      throw new AppError('tag_not_found', {
        message: `Tag group ${input.groupId} does not belong to rule group ${input.strategyId}.`,
        details: [{ path: 'group_id', message: 'unknown', id: input.groupId }],
      });
  } else {
    const groupName = checkName(input.groupName, settings, 'tag group', 'group_name');
    const groupKey = nameKey(groupName);
    // By key: a group named ＶＩＰ客户 is the group VIP客户, to merge into or to clash with.
    [group] = await ctx.tx
      .select()
      .from(tagGroups)
      .where(
        and(
          eq(tagGroups.corpId, ctx.corpId),
          eq(tagGroups.nameKey, groupKey),
          input.strategyId === undefined ? isNull(tagGroups.strategyId) : eq(tagGroups.strategyId, input.strategyId),
          isNull(tagGroups.deletedAt),
        ),
      )
      .for('update');
    if (group && (group.kind !== kind || input.onExistingName === 'create')) {
      throw new AppError('name_taken', { message: `A tag group named "${group.name}" exists.`, details: [{ path: 'group_name', message: 'taken' }] });
    }
    if (!group) {
      (await policyFor(ctx)).authorize(libraryPermission(kind, 'tagGroup.create'));
      [group] = await ctx.tx
        .insert(tagGroups)
        .values({
          corpId: ctx.corpId,
          groupId: input.newGroupId ?? newId.group(),
          name: groupName,
          nameKey: groupKey,
          order: input.order ?? 0,
          kind,
          strategyId: input.strategyId ?? null,
        })
        .returning();
      groupCreated = true;
    }
  }
  const target = group!;

  const existing = await liveTagsOfGroup(ctx, target.groupId);
  const clashes = names.flatMap((t) => existing.filter((e) => e.nameKey === t.key).map((e) => ({ name: t.name, existing: e.name })));
  if (clashes.length > 0) {
    throw new AppError('name_taken', {
      message: `Tag group "${target.name}" already has ${clashes.map((c) => `"${c.existing}"`).join(', ')}.`,
      details: clashes.map((c) => ({ path: 'tag', message: c.existing === c.name ? 'name taken' : `looks the same as "${c.existing}"`, name: c.name })),
    });
  }
  if (existing.length + names.length > settings.tagsPerGroup) {
    throw new AppError('limit_exceeded', { message: `A tag group holds at most ${settings.tagsPerGroup} tags; "${target.name}" has ${existing.length}.` });
  }
  const corpTotal = await countLiveCorpTags(ctx);
  if (corpTotal + names.length > settings.corpTagsMax) {
    throw new AppError('limit_exceeded', { message: `The corp may have at most ${settings.corpTagsMax} tags; it has ${corpTotal}.` });
  }

  // Tags of one request get creation times a millisecond apart, so equal `order`s keep the request's order.
  const now = Date.now();
  const created = await ctx.tx
    .insert(tags)
    .values(
      names.map((t, i) => ({
        corpId: ctx.corpId,
        tagId: t.tagId ?? newId.tag(),
        groupId: target.groupId,
        name: t.name,
        nameKey: t.key,
        order: t.order ?? 0,
        color: t.color ?? '',
        description: t.description ?? '',
        rule: t.rule ?? null,
        createdAt: new Date(now + i),
      })),
    )
    .returning();
  await bumpTagVersion(ctx);
  if (groupCreated) {
    await recordEvent(ctx, {
      type: 'tag_group.created',
      subjectType: 'tag_group',
      subjectId: target.groupId,
      after: { name: target.name, order: target.order },
    });
  }
  for (const tag of created) {
    await recordEvent(ctx, {
      type: 'tag.created',
      subjectType: 'tag',
      subjectId: tag.tagId,
      after: { groupId: tag.groupId, name: tag.name, order: tag.order, ...(tag.rule ? { rule: tag.rule } : {}) },
    });
  }
  return { group: target, tags: created, groupCreated };
}
