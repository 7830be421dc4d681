import type { TxCtx } from '../../../context.js';
import { strategies, strategyRanges } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { loadOrgSnapshot, policyFor } from '../../../policies/index.js';
import { bumpOrgVersion, lockCorpSettings } from '../../corps/settings.js';
import { normalizePrivilege, type PrivilegeInput } from '../privileges.js';
import {
  checkAdmins,
  checkNodesExist,
  checkPerCall,
  dedupeNodes,
  maxDepth,
  nodeDetails,
  nodeKey,
  nodeValue,
  type RangeNode,
  rangeLimits,
  uncoveredNodes,
} from '../range.js';
import { ancestorsOf, checkStrategyName, lockStrategy, nextStrategyId, rangeOf, type StrategyRow, strategySnapshot } from '../strategies.repo.js';

/** A new rule group (customer_strategy/create). `parentId` 0 makes a top-level group. */
export type CreateStrategyInput = { parentId: number; name: string; adminList: string[]; privilege?: PrivilegeInput; range: RangeNode[] };

/**
 * Creates a rule group with WeCom's rules: a name and 1–20 admins (existing members) required,
 * at most 100 range nodes per call, nesting at most 5 deep, and a child's range inside its
 * parent's. A child inherits its top-level group's privileges, so its own are not stored.
 */
export async function createStrategy(ctx: TxCtx, input: CreateStrategyInput): Promise<StrategyRow> {
  // The corp lock serializes rule-group writes, which WeCom requires of its callers anyway.
  await lockCorpSettings(ctx);
  const parent = input.parentId === 0 ? null : await lockStrategy(ctx, input.parentId, 'parent_id');
  (await policyFor(ctx)).authorize('strategy.manage');

  const name = checkStrategyName(input.name);
  const adminList = [...new Set(input.adminList)];
  const range = dedupeNodes(input.range);
  checkPerCall(input.range, 'range');
  const snapshot = await loadOrgSnapshot(ctx);
  checkAdmins(snapshot, adminList);
  checkNodesExist(snapshot, range, 'range');
  if (range.length > rangeLimits.perGroup)
    throw new AppError('limit_exceeded', { message: `A rule group's range holds at most ${rangeLimits.perGroup} nodes.` });
  if (parent) {
    const depth = (await ancestorsOf(ctx, parent)).length + 2;
    if (depth > maxDepth)
      throw new AppError('limit_exceeded', {
        message: `Rule groups nest at most ${maxDepth} deep; this one would be at depth ${depth}.`,
        details: [{ path: 'parent_id', message: 'too deep' }],
      });
    const outside = uncoveredNodes(snapshot, await rangeOf(ctx, parent.strategyId), range);
    if (outside.length > 0) {
      throw new AppError('validation_failed', {
        message: `A child rule group's range must lie inside its parent's; ${outside.map(nodeKey).join(', ')} do not.`,
        details: nodeDetails(outside, 'range', 'outside the parent range'),
      });
    }
  }

  const strategyId = await nextStrategyId(ctx);
  const [row] = await ctx.tx
    .insert(strategies)
    .values({
      corpId: ctx.corpId,
      strategyId,
      parentId: parent?.strategyId ?? 0,
      name,
      adminList,
      privilege: parent ? {} : normalizePrivilege(input.privilege),
    })
    .returning();
  if (range.length > 0) {
    await ctx.tx.insert(strategyRanges).values(range.map((n) => ({ corpId: ctx.corpId, strategyId, type: n.type, node: nodeValue(n) })));
  }
  await bumpOrgVersion(ctx);
  await recordEvent(ctx, { type: 'strategy.created', subjectType: 'strategy', subjectId: String(strategyId), after: strategySnapshot(row!, range) });
  return row!;
}
