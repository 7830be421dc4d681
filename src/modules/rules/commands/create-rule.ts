import { actorLabel, type TxCtx } from '../../../context.js';
import { rules, ruleVersions } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { checkDefinition, type DefinitionInput } from '../check-definition.js';
import { checkRuleName } from '../rule-name.js';
import { assertRoomForRule, newRuleId, type RuleRow } from '../rules.repo.js';

/** A new rule: its name, whether it starts enabled, and its first definition. */
export type CreateRuleInput = { name: string; enabled: boolean; definition: DefinitionInput; copiedFrom?: string };

/**
 * Creates a rule with its version 1, authored by the actor: the definition is checked as theirs,
 * so the rule can only apply tags they may apply. At most 500 live rules per corp.
 */
export async function createRule(ctx: TxCtx, input: CreateRuleInput): Promise<RuleRow> {
  const name = checkRuleName(input.name);
  const { definition, tagIds } = await checkDefinition(ctx, input.definition);
  await assertRoomForRule(ctx);
  const author = actorLabel(ctx.actor);
  const ruleId = newRuleId();
  const [row] = await ctx.tx
    .insert(rules)
    .values({
      corpId: ctx.corpId,
      ruleId,
      name,
      enabled: input.enabled,
      currentVersion: 1,
      triggerKind: definition.trigger.kind,
      tagIds,
      createdBy: author,
      copiedFrom: input.copiedFrom ?? null,
    })
    .returning();
  await ctx.tx.insert(ruleVersions).values({ corpId: ctx.corpId, ruleId, version: 1, definition, author });
  await recordEvent(ctx, {
    type: 'rule.created',
    subjectType: 'rule',
    subjectId: ruleId,
    after: { name, enabled: input.enabled, version: 1, definition },
    payload: input.copiedFrom ? { copiedFrom: input.copiedFrom } : undefined,
  });
  return row!;
}
