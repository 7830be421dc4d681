import { and, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { strategies, strategyRanges } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { loadOrgSnapshot, policyFor } from '../../../policies/index.js';
import { bumpOrgVersion, lockCorpSettings } from '../../corps/settings.js';
import { hasPrivilegeInput, normalizePrivilege, type PrivilegeInput } from '../privileges.js';
import {
  checkAdmins,
  checkNodesExist,
  checkPerCall,
  dedupeNodes,
  nodeDetails,
  nodeKey,
  nodeValue,
  type RangeNode,
  rangeLimits,
  uncoveredNodes,
} from '../range.js';
import { checkStrategyName, childIdsOf, lockStrategy, rangeOf, type StrategyRow, strategySnapshot } from '../strategies.repo.js';

/**
 * Changes to a rule group (customer_strategy/edit). A non-empty name, admin list or privilege
 * replaces the old one; empty or absent leaves it unchanged. Range nodes are added and removed.
 */
export type EditStrategyInput = {
  strategyId: number;
  name?: string;
  adminList?: string[];
  privilege?: PrivilegeInput;
  rangeAdd?: RangeNode[];
  rangeDel?: RangeNode[];
};

/**
 * Edits a rule group. Added range nodes must exist and, for a child group, lie inside the parent's
 * range; removing nodes is refused while a child group's range still needs them (shrink the child
 * first). A child's privilege is inherited, so a privilege sent for it is ignored, as in WeCom.
 */
export async function editStrategy(ctx: TxCtx, input: EditStrategyInput): Promise<StrategyRow> {
  await lockCorpSettings(ctx);
  const strategy = await lockStrategy(ctx, input.strategyId);
  (await policyFor(ctx)).authorize('strategy.manage');

  const name = input.name ? checkStrategyName(input.name) : strategy.name;
  const adminList = input.adminList && input.adminList.length > 0 ? [...new Set(input.adminList)] : strategy.adminList;
  const privilege = strategy.parentId === 0 && hasPrivilegeInput(input.privilege) ? normalizePrivilege(input.privilege) : strategy.privilege;
  checkPerCall(input.rangeAdd ?? [], 'range_add');
  checkPerCall(input.rangeDel ?? [], 'range_del');
  const snapshot = await loadOrgSnapshot(ctx);
  if (adminList !== strategy.adminList) checkAdmins(snapshot, adminList);

  const before = await rangeOf(ctx, strategy.strategyId);
  const dropKeys = new Set((input.rangeDel ?? []).map(nodeKey));
  const beforeKeys = new Set(before.map(nodeKey));
  const added = dedupeNodes(input.rangeAdd ?? []).filter((n) => !beforeKeys.has(nodeKey(n)) && !dropKeys.has(nodeKey(n)));
  const removed = before.filter((n) => dropKeys.has(nodeKey(n)));
  checkNodesExist(snapshot, added, 'range_add');
  const after = [...before.filter((n) => !dropKeys.has(nodeKey(n))), ...added];
  if (after.length > rangeLimits.perGroup)
    throw new AppError('limit_exceeded', {
      message: `A rule group's range holds at most ${rangeLimits.perGroup} nodes; this edit would leave ${after.length}.`,
    });
  if (strategy.parentId !== 0 && added.length > 0) {
    const outside = uncoveredNodes(snapshot, await rangeOf(ctx, strategy.parentId), added);
    if (outside.length > 0)
      throw new AppError('validation_failed', {
        message: `A child rule group's range must lie inside its parent's; ${outside.map(nodeKey).join(', ')} do not.`,
        details: nodeDetails(outside, 'range_add', 'outside the parent range'),
      });
  }
  if (removed.length > 0) {
    for (const childId of await childIdsOf(ctx, strategy.strategyId)) {
      const orphaned = uncoveredNodes(snapshot, after, await rangeOf(ctx, childId));
      if (orphaned.length > 0) {
        throw new AppError('conflict', {
          message: `Child rule group ${childId} still covers ${orphaned.map(nodeKey).join(', ')}; remove them from it first.`,
          details: nodeDetails(orphaned, 'range_del', `needed by child rule group ${childId}`),
        });
      }
    }
  }

  const [updated] = await ctx.tx
    .update(strategies)
    .set({ name, adminList, privilege })
    .where(and(eq(strategies.corpId, ctx.corpId), eq(strategies.strategyId, strategy.strategyId)))
    .returning();
  for (const type of [1, 2] as const) {
    const nodes = removed.filter((n) => n.type === type).map(nodeValue);
    if (nodes.length > 0) {
      await ctx.tx
        .delete(strategyRanges)
        .where(
          and(
            eq(strategyRanges.corpId, ctx.corpId),
            eq(strategyRanges.strategyId, strategy.strategyId),
            eq(strategyRanges.type, type),
            inArray(strategyRanges.node, nodes),
          ),
        );
    }
  }
  if (added.length > 0)
    await ctx.tx.insert(strategyRanges).values(added.map((n) => ({ corpId: ctx.corpId, strategyId: strategy.strategyId, type: n.type, node: nodeValue(n) })));
  await bumpOrgVersion(ctx);
  await recordEvent(ctx, {
    type: 'strategy.updated',
    subjectType: 'strategy',
    subjectId: String(strategy.strategyId),
    before: strategySnapshot(strategy, before),
    after: strategySnapshot(updated!, after),
  });
  return updated!;
}
