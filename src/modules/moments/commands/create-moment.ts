import type { CreateMomentBody } from '../../../../contracts/moments.js';
import { actorLabel, type Ctx, type TxCtx, withTx } from '../../../context.js';
import { moments } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import type { AudienceEngine } from '../../audiences/service/engine.js';
import { readMomentSettings } from '../moment-settings.js';
import { type MomentRow, newMomentId, postColumns } from '../moments.repo.js';
import { computeAudience, withFreshAudience, writeSchedule } from '../planning/schedule-plan.js';
import { type CheckedMoment, readMomentInput } from '../read-moment-input.js';

/** Options: the WeCom surface's `jobid`, and the clock (tests move it). */
export type CreateMomentOptions = { wecomJobid?: string; now?: Date };

async function insertDraft(ctx: TxCtx, momentId: string, post: CheckedMoment, opts: CreateMomentOptions, now: Date): Promise<MomentRow> {
  const [row] = await ctx.tx
    .insert(moments)
    .values({
      corpId: ctx.corpId,
      momentId,
      status: 'draft',
      ...postColumns(post),
      author: actorLabel(ctx.actor),
      origin: ctx.source,
      wecomJobid: opts.wecomJobid ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordEvent(ctx, {
    type: 'moment.created',
    subjectType: 'moment',
    subjectId: momentId,
    after: { status: 'draft', text: post.text, attachments: post.attachments.length, variants: post.variants.length, schedule: post.schedule },
    payload: { includeText: post.include?.text ?? null, excludeText: post.exclude?.text ?? null, wecomJobid: opts.wecomJobid ?? null },
  });
  return row!;
}

/**
 * Saves a post as its author's (`moment.publish`, everything checked by `readMomentInput`): as a
 * draft, or with `draft: false` saved and scheduled at once — the audience computed outside the
 * transaction, then the post, its deliveries and both events in one, so a refused audience (empty,
 * say) leaves nothing behind.
 */
export async function createMoment(ctx: Ctx, engine: AudienceEngine, input: CreateMomentBody, opts: CreateMomentOptions = {}): Promise<MomentRow> {
  const now = opts.now ?? new Date();
  const post = await readMomentInput(ctx, input, now, { unfinished: input.draft });
  const momentId = newMomentId();
  if (input.draft) return withTx(ctx, (tx) => insertDraft(tx, momentId, post, opts, now));
  const settings = await readMomentSettings(ctx);
  return withFreshAudience(
    ctx,
    () => computeAudience(engine, ctx, post, settings, now, 'schedule'),
    async (tx, audience) => writeSchedule(tx, await insertDraft(tx, momentId, post, opts, now), post, audience, settings, now),
  );
}
