import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { rules } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { loadRule } from '../rules.repo.js';

/**
 * Deletes a rule softly: it stops firing and leaves the list, while its versions stay so the marks
 * it made still explain themselves.
 */
export async function deleteRule(ctx: TxCtx, ruleId: string): Promise<void> {
  (await policyFor(ctx)).authorize('rule.manage');
  const before = await loadRule(ctx, ruleId, true);
  const now = new Date();
  // updated_at moves too: it is how readers (the keyword matcher cache among them) see a rule change.
  await ctx.tx
    .update(rules)
    .set({ deletedAt: now, enabled: false, updatedAt: now })
    .where(and(eq(rules.corpId, ctx.corpId), eq(rules.ruleId, ruleId)));
  await recordEvent(ctx, {
    type: 'rule.deleted',
    subjectType: 'rule',
    subjectId: ruleId,
    before: { name: before.name, enabled: before.enabled, version: before.currentVersion },
  });
}
