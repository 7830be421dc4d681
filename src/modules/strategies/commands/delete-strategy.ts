import { and, eq, isNull } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { strategies, strategyRanges, tagGroups } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { bumpOrgVersion, lockCorpSettings } from '../../corps/settings.js';
import { deleteTags } from '../../tags/commands/delete-tags.js';
import { childIdsOf, lockStrategy, rangeOf, strategySnapshot } from '../strategies.repo.js';

/** What deleting a rule group removed: its strategy tag groups, their tags and how many marks they carried. */
export type DeleteStrategyResult = { deletedGroupIds: string[]; deletedTagIds: string[]; marksRemoved: number; deletionId: string | null };

/**
 * Deletes a rule group (customer_strategy/del) with its range and its strategy tag groups, which
 * go exactly as del_strategy_tag would take them (soft-deleted, marks archived under one deletion
 * id, one event per tag and group). A group with
 * child groups is refused rather than cascaded: deleting children silently would drop their
 * ranges and admins, so the caller deletes them first, deepest first.
 */
export async function deleteStrategy(ctx: TxCtx, input: { strategyId: number }): Promise<DeleteStrategyResult> {
  await lockCorpSettings(ctx);
  const strategy = await lockStrategy(ctx, input.strategyId);
  (await policyFor(ctx)).authorize('strategy.manage');
  const children = await childIdsOf(ctx, strategy.strategyId);
  if (children.length > 0) {
    throw new AppError('conflict', {
      message: `Rule group ${strategy.strategyId} has child groups ${children.join(', ')}; delete them first.`,
      details: children.map((id) => ({ path: 'strategy_id', message: 'has child rule group', childId: id })),
    });
  }

  const groups = await ctx.tx
    .select({ groupId: tagGroups.groupId })
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), eq(tagGroups.kind, 'strategy'), eq(tagGroups.strategyId, strategy.strategyId), isNull(tagGroups.deletedAt)));
  const deleted = groups.length === 0 ? null : await deleteTags(ctx, { groupIds: groups.map((g) => g.groupId), kind: 'strategy' });

  const range = await rangeOf(ctx, strategy.strategyId);
  await ctx.tx.delete(strategyRanges).where(and(eq(strategyRanges.corpId, ctx.corpId), eq(strategyRanges.strategyId, strategy.strategyId)));
  await ctx.tx.delete(strategies).where(and(eq(strategies.corpId, ctx.corpId), eq(strategies.strategyId, strategy.strategyId)));
  await bumpOrgVersion(ctx);
  await recordEvent(ctx, {
    type: 'strategy.deleted',
    subjectType: 'strategy',
    subjectId: String(strategy.strategyId),
    before: strategySnapshot(strategy, range),
    payload: { deletionId: deleted?.deletionId ?? null, tagGroupIds: deleted?.deletedGroupIds ?? [] },
    operationId: deleted?.deletionId,
  });
  return {
    deletedGroupIds: deleted?.deletedGroupIds ?? [],
    deletedTagIds: deleted?.deletedTagIds ?? [],
    marksRemoved: deleted?.marksRemoved ?? 0,
    deletionId: deleted?.deletionId ?? null,
  };
}
