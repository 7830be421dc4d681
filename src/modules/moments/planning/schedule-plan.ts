import { and, eq } from 'drizzle-orm';
import type { MomentCounts, MomentSettings } from '../../../../contracts/moments.js';
import { type Ctx, type TxCtx, withTx } from '../../../context.js';
import { moments } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import type { AudienceEngine } from '../../audiences/service/engine.js';
import { loadActiveHours } from '../audience/active-hours.js';
import { type MomentAudience, momentAudience } from '../audience/moment-audience.js';
import { bumpMomentVersion } from '../moment-settings.js';
import { lockMomentVersion, type MomentRow } from '../moments.repo.js';
import type { CheckedMoment } from '../read-moment-input.js';
import { materialiseDeliveries } from './materialise-deliveries.js';
import { scheduleStart } from './plan-time.js';

/** Computes a checked post's audience at its start. Never inside a transaction: it awaits the index, which reads through `ctx.db`. */
export function computeAudience(engine: AudienceEngine, ctx: Ctx, post: CheckedMoment, settings: MomentSettings, now: Date, purpose: 'preview' | 'schedule') {
  if ('tx' in ctx) throw new Error('computeAudience runs outside a transaction: on PGlite the index read would wait for this very transaction');
  return momentAudience(engine, ctx, post.catalog, {
    include: post.include?.expression ?? null,
    exclude: post.exclude?.expression ?? null,
    targetGroupIds: post.targetGroupIds,
    senders: post.senderUserids,
    at: scheduleStart(post.schedule, now),
    settings,
    variants: post.variants,
    // Scheduling reads who chatted last afresh; a preview may use a ranking up to 30 s old.
    freshSenders: purpose === 'schedule',
  });
}

const empty = (path: string, message: string, counts: MomentCounts) =>
  new AppError('audience_empty', { message: `${path}: ${message}`, details: [{ path, message, counts }] });

/** Refuses an audience that leaves nobody, naming the reduction that did it. */
export function refuseEmptyAudience(counts: MomentCounts, settings: MomentSettings): void {
  if (counts.remaining > 0) return;
  if (counts.matched === 0) throw empty('body.audience.include', 'matches no customer you may reach', counts);
  let left = counts.matched - counts.excluded;
  if (left <= 0) throw empty('body.audience.exclude', `removes everyone the include matched (${counts.matched})`, counts);
  left -= counts.suppressed;
  if (left <= 0)
    throw empty(
      'body.audience',
      `every remaining customer (${counts.suppressed}) is suppressed for the targeted tag groups after saying not interested`,
      counts,
    );
  left -= counts.overCap;
  if (left <= 0)
    throw empty('body.audience', `every remaining customer (${counts.overCap}) already has ${settings.weeklyCap} posts within 7 days (the weekly cap)`, counts);
  throw empty('body.senders', `no chosen sender follows any remaining customer (${counts.noSender})`, counts);
}

class StaleAudience extends Error {}

/** How many times an audience is recomputed when deliveries or suppressions changed under it. */
export const scheduleAttempts = 3;

/**
 * Runs `compute` outside a transaction, then `write` in one transaction that first locks the corp
 * and checks its `moment_version` is still the one the audience was read at; if another post or a
 * suppression changed it meanwhile, computes again (up to 3 tries), then gives up with `conflict`.
 */
export async function withFreshAudience<T>(
  ctx: Ctx,
  compute: () => Promise<MomentAudience>,
  write: (tx: TxCtx, audience: MomentAudience) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; attempt <= scheduleAttempts; attempt += 1) {
    const audience = await compute();
    try {
      return await withTx(ctx, async (tx) => {
        if ((await lockMomentVersion(tx)) !== audience.momentVersion) throw new StaleAudience();
        return write(tx, audience);
      });
    } catch (error) {
      if (!(error instanceof StaleAudience)) throw error;
    }
  }
  throw new AppError('conflict', {
    message: `Other posts or suppressions kept changing while this post was planned (${scheduleAttempts} tries); try again.`,
    details: [{ path: 'body.audience', message: 'changed while planning' }],
  });
}

/**
 * Plans and commits a post's deliveries in the caller's transaction (which holds the corp lock):
 * one delivery per remaining customer, the counts, status `scheduled`, `moment.scheduled` and the
 * version bump that tells every process its cap bitmaps are stale.
 */
export async function writeSchedule(
  ctx: TxCtx,
  row: MomentRow,
  post: CheckedMoment,
  audience: MomentAudience,
  settings: MomentSettings,
  now: Date,
): Promise<MomentRow> {
  refuseEmptyAudience(audience.counts, settings);
  const written = await materialiseDeliveries(ctx, audience, {
    momentId: row.momentId,
    schedule: post.schedule,
    variants: post.variants,
    includeTagIds: post.includeTagIds,
    settings,
    startMs: scheduleStart(post.schedule, now).getTime(),
    activeHours: await loadActiveHours(ctx.tx, ctx.corpId, now),
  });
  // A customer deleted since the index was read gets no delivery: the stored counts say what was written.
  const counts = { ...audience.counts, remaining: written.inserted };
  const [scheduled] = await ctx.tx
    .update(moments)
    .set({ status: 'scheduled', counts, scheduledAt: now, updatedAt: now, includeTagIds: post.includeTagIds, targetGroupIds: post.targetGroupIds })
    .where(and(eq(moments.corpId, ctx.corpId), eq(moments.momentId, row.momentId)))
    .returning();
  await recordEvent(ctx, {
    type: 'moment.scheduled',
    subjectType: 'moment',
    subjectId: row.momentId,
    before: { status: row.status },
    after: { status: 'scheduled', counts },
    payload: {
      senders: audience.bySender.size,
      byVariant: Object.fromEntries(written.byVariant),
      firstAt: written.firstAt === null ? null : new Date(written.firstAt).toISOString(),
      lastAt: written.lastAt === null ? null : new Date(written.lastAt).toISOString(),
    },
  });
  await bumpMomentVersion(ctx);
  return scheduled!;
}
