import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { rules } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { loadRule, type RuleRow } from '../rules.repo.js';

/**
 * Switches a rule on or off (`rule.enabled` / `rule.paused`). Switching to the state it is
 * already in changes nothing and records nothing, so a double click is harmless.
 */
export async function setRuleEnabled(ctx: TxCtx, input: { ruleId: string; enabled: boolean }): Promise<RuleRow> {
  (await policyFor(ctx)).authorize('rule.manage');
  const before = await loadRule(ctx, input.ruleId, true);
  if (before.enabled === input.enabled) return before;
  const [row] = await ctx.tx
    .update(rules)
    .set({ enabled: input.enabled, updatedAt: new Date(), ...(input.enabled ? { enabledAt: new Date() } : {}) })
    .where(and(eq(rules.corpId, ctx.corpId), eq(rules.ruleId, before.ruleId)))
    .returning();
  await recordEvent(ctx, {
    type: input.enabled ? 'rule.enabled' : 'rule.paused',
    subjectType: 'rule',
    subjectId: before.ruleId,
    before: { enabled: before.enabled },
    after: { enabled: input.enabled },
  });
  return row!;
}
