import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { moments } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { loadMoment, requireStatus } from '../moments.repo.js';
import { authorizeMomentChange } from './authorize-moment.js';

/**
 * Deletes a draft. A post that was scheduled stays (its deliveries and analytics are history):
 * cancel it instead.
 */
export async function deleteMoment(ctx: TxCtx, momentId: string): Promise<void> {
  const before = await loadMoment(ctx, momentId, true);
  await authorizeMomentChange(ctx, before);
  requireStatus(before, ['draft'], 'deleted');
  await ctx.tx.delete(moments).where(and(eq(moments.corpId, ctx.corpId), eq(moments.momentId, momentId)));
  await recordEvent(ctx, {
    type: 'moment.deleted',
    subjectType: 'moment',
    subjectId: momentId,
    before: { status: before.status, text: before.text, schedule: before.schedule },
  });
}
