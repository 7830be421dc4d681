import { ruleLimits } from '../../../../contracts/rules.js';
import type { TxCtx } from '../../../context.js';
import { nameLength } from '../../../names/name-policy.js';
import { policyFor } from '../../../policies/index.js';
import { loadRule, loadVersion, type RuleRow } from '../rules.repo.js';
import { createRule } from './create-rule.js';

/** The default name of a copy: the original's with ` 副本`, cut so it stays within the limit. */
function copyName(name: string): string {
  const suffix = ' 副本';
  const room = ruleLimits.nameMax - nameLength(suffix);
  return nameLength(name) <= room
    ? name + suffix
    : Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(name), (s) => s.segment)
        .slice(0, room)
        .join('') + suffix;
}

/**
 * Copies a rule's current definition into a new rule, paused so it does not fire twice beside the
 * original. The copy is the actor's: its definition is checked again as theirs.
 */
export async function copyRule(ctx: TxCtx, input: { ruleId: string; name?: string }): Promise<RuleRow> {
  (await policyFor(ctx)).authorize('rule.manage');
  const original = await loadRule(ctx, input.ruleId);
  const { definition } = await loadVersion(ctx, original.ruleId, original.currentVersion);
  return createRule(ctx, { name: input.name ?? copyName(original.name), enabled: false, definition, copiedFrom: original.ruleId });
}
