import { and, eq } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../context.js';
import { rules, ruleVersions } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { checkDefinition, type DefinitionInput } from '../check-definition.js';
import { checkRuleName } from '../rule-name.js';
import { loadRule, type RuleRow } from '../rules.repo.js';

/** What to change: the name, the definition (a new version), or both. */
export type UpdateRuleInput = { ruleId: string; name?: string; definition?: DefinitionInput };

/**
 * Renames a rule and/or saves a new version of its definition, authored by the actor (checked as
 * theirs). Earlier versions stay, so marks made by them still name what made them.
 */
export async function updateRule(ctx: TxCtx, input: UpdateRuleInput): Promise<RuleRow> {
  (await policyFor(ctx)).authorize('rule.manage');
  const before = await loadRule(ctx, input.ruleId, true);
  const name = input.name === undefined ? before.name : checkRuleName(input.name);
  const checked = input.definition ? await checkDefinition(ctx, input.definition) : undefined;
  const version = checked ? before.currentVersion + 1 : before.currentVersion;
  if (checked)
    await ctx.tx
      .insert(ruleVersions)
      .values({ corpId: ctx.corpId, ruleId: before.ruleId, version, definition: checked.definition, author: actorLabel(ctx.actor) });
  const [row] = await ctx.tx
    .update(rules)
    .set({ name, currentVersion: version, ...(checked ? { triggerKind: checked.definition.trigger.kind, tagIds: checked.tagIds } : {}), updatedAt: new Date() })
    .where(and(eq(rules.corpId, ctx.corpId), eq(rules.ruleId, before.ruleId)))
    .returning();
  await recordEvent(ctx, {
    type: 'rule.updated',
    subjectType: 'rule',
    subjectId: before.ruleId,
    before: { name: before.name, version: before.currentVersion },
    after: { name, version, ...(checked ? { definition: checked.definition } : {}) },
  });
  return row!;
}
