import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { UpdateMomentBody } from '../../../../contracts/moments.js';
import type { TxCtx } from '../../../context.js';
import { moments } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { loadMoment, type MomentRow, postColumns, requireStatus, storedInput } from '../moments.repo.js';
import { readMomentInput } from '../read-moment-input.js';
import { authorizeMomentChange } from './authorize-moment.js';

/** What to change on a draft: any field of a post; absent fields keep their value. */
export type UpdateMomentInput = z.infer<typeof UpdateMomentBody>;

/**
 * Edits a draft, checked afresh as a whole as the actor's. A scheduled post is not edited (its
 * deliveries are planned from its content): cancel it and post a new one.
 */
export async function updateMoment(ctx: TxCtx, momentId: string, patch: UpdateMomentInput, now = new Date()): Promise<MomentRow> {
  const before = await loadMoment(ctx, momentId, true);
  await authorizeMomentChange(ctx, before);
  requireStatus(before, ['draft'], 'edited');
  const stored = storedInput(before);
  const post = await readMomentInput(
    ctx,
    {
      text: patch.text ?? stored.text,
      attachments: patch.attachments ?? stored.attachments,
      variants: patch.variants ?? stored.variants,
      senders: patch.senders ?? stored.senders,
      audience: patch.audience ?? stored.audience,
      schedule: patch.schedule ?? stored.schedule,
    },
    now,
    { unfinished: true },
  );
  // updated_at moves even when nothing else did: a schedule started before this edit sees it and stops.
  const [row] = await ctx.tx
    .update(moments)
    .set({
      ...postColumns(post),
      updatedAt: new Date(Math.max(now.getTime(), before.updatedAt.getTime() + 1)),
    })
    .where(and(eq(moments.corpId, ctx.corpId), eq(moments.momentId, momentId)))
    .returning();
  await recordEvent(ctx, {
    type: 'moment.updated',
    subjectType: 'moment',
    subjectId: momentId,
    before: { text: before.text, schedule: before.schedule, senders: before.senders },
    after: {
      text: post.text,
      schedule: post.schedule,
      senders: post.senders,
      includeText: post.include?.text ?? null,
      excludeText: post.exclude?.text ?? null,
    },
  });
  return row!;
}
