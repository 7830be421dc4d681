import { and, eq, isNull } from 'drizzle-orm';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import type { TxCtx } from '../../context.js';
import { tagGroups, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { recordEvent } from '../../events/record.js';
import { policyFor } from '../../policies/index.js';
import { bumpTagVersion } from '../corps/settings.js';

/**
 * Replaces a smart tag's rule. Membership follows within a second: the event wakes the audience
 * engine, which re-evaluates the rule and writes the differences as marks.
 */
export async function setSmartRule(ctx: TxCtx, input: { groupId: string; tagId: string; rule: Expr }): Promise<void> {
  (await policyFor(ctx)).authorize('rule.manage');
  const [row] = await ctx.tx
    .select({ rule: tags.rule, groupId: tags.groupId })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(
      and(
        eq(tags.corpId, ctx.corpId),
        eq(tags.tagId, input.tagId),
        eq(tags.groupId, input.groupId),
        eq(tagGroups.kind, 'smart'),
        isNull(tags.deletedAt),
        isNull(tagGroups.deletedAt),
      ),
    )
    .for('update', { of: tags });
  if (!row) throw new AppError('tag_not_found', { message: `No smart tag ${input.tagId} in group ${input.groupId}.` });
  await ctx.tx
    .update(tags)
    .set({ rule: input.rule })
    .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, input.tagId)));
  await bumpTagVersion(ctx);
  await recordEvent(ctx, { type: 'tag.updated', subjectType: 'tag', subjectId: input.tagId, before: { rule: row.rule }, after: { rule: input.rule } });
}
