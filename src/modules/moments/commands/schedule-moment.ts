import type { Ctx } from '../../../context.js';
import { AppError } from '../../../errors.js';
import type { AudienceEngine } from '../../audiences/service/engine.js';
import { readMomentSettings } from '../moment-settings.js';
import { loadMoment, type MomentRow, requireStatus, storedInput } from '../moments.repo.js';
import { computeAudience, withFreshAudience, writeSchedule } from '../planning/schedule-plan.js';
import { readMomentInput } from '../read-moment-input.js';
import { authorizeMomentChange } from './authorize-moment.js';

/**
 * Schedules a draft: checks it afresh as the actor's (senders may have left, tags been deleted,
 * its time passed), computes its audience outside a transaction, then writes its deliveries in one.
 * A draft edited meanwhile is refused rather than planned from its old content.
 */
export async function scheduleMoment(ctx: Ctx, engine: AudienceEngine, momentId: string, opts: { now?: Date } = {}): Promise<MomentRow> {
  if ('tx' in ctx) throw new Error('scheduleMoment opens its own transactions: call it with a plain context');
  const now = opts.now ?? new Date();
  const draft = await loadMoment(ctx, momentId);
  await authorizeMomentChange(ctx, draft);
  requireStatus(draft, ['draft'], 'scheduled');
  const post = await readMomentInput(ctx, storedInput(draft), now);
  const settings = await readMomentSettings(ctx);
  return withFreshAudience(
    ctx,
    () => computeAudience(engine, ctx, post, settings, now, 'schedule'),
    async (tx, audience) => {
      const row = await loadMoment(tx, momentId, true);
      requireStatus(row, ['draft'], 'scheduled');
      if (row.updatedAt.getTime() !== draft.updatedAt.getTime())
        throw new AppError('conflict', { message: `Post "${momentId}" was edited while it was being scheduled; schedule it again.` });
      return writeSchedule(tx, row, post, audience, settings, now);
    },
  );
}
