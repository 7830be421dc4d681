import type { TxCtx } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { policyFor } from '../../../policies/index.js';
import { lockCorpSettings } from '../../corps/settings.js';
import { type AddTagsInput, addTags } from '../../tags/commands/add-tags.js';
import { lockStrategy } from '../strategies.repo.js';

/** Tags to add to a rule group (add_strategy_tag): into a group by id, or by name (merged or created). */
export type AddStrategyTagsInput = Omit<AddTagsInput, 'strategyId' | 'onExistingName'> & { strategyId: number };

/**
 * Adds strategy tags through the tag library's own `addTags`, after checking what is particular
 * to rule groups: the group exists and is top-level (WeCom keeps tags only on first-level rule
 * groups). Names merge within the rule group, and the corp tag quota counts these tags too.
 */
export async function addStrategyTags(ctx: TxCtx, input: AddStrategyTagsInput): ReturnType<typeof addTags> {
  // Corp row first, then the rule group: the same lock order as deleteStrategy, so the two cannot deadlock.
  await lockCorpSettings(ctx);
  const strategy = await lockStrategy(ctx, input.strategyId);
  (await policyFor(ctx)).authorize('strategy.manage');
  if (strategy.parentId !== 0) {
    throw new AppError('validation_failed', {
      message: `Rule group ${strategy.strategyId} is a child group; strategy tags live only on top-level rule groups.`,
      details: [{ path: 'strategy_id', message: 'not a top-level rule group' }],
    });
  }
  return addTags(ctx, { ...input, strategyId: strategy.strategyId, onExistingName: 'merge' });
}
