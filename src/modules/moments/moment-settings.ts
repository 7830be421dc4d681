import { eq, sql } from 'drizzle-orm';
import { defaultMomentSettings, type MomentSettings } from '../../../contracts/moments.js';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { corps } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** The corp's Moments settings (cap, quiet hours, suppression streak, fallback hour, attribution), defaults filled in. */
export async function readMomentSettings(ctx: Ctx | TxCtx): Promise<MomentSettings> {
  const [row] = await reader(ctx).select({ settings: corps.settings }).from(corps).where(eq(corps.corpId, ctx.corpId));
  if (!row) throw new AppError('not_found', { message: `Corp ${ctx.corpId} does not exist.` });
  const stored = row.settings.moments ?? {};
  return { ...defaultMomentSettings, ...stored, quietHours: { ...defaultMomentSettings.quietHours, ...stored.quietHours } };
}

/**
 * Marks the corp's deliveries or suppressions as changed, in the command's transaction, so every
 * process's cached cap and suppression bitmaps are rebuilt on their next use.
 */
export async function bumpMomentVersion(ctx: TxCtx): Promise<void> {
  await ctx.tx
    .update(corps)
    .set({ momentVersion: sql`${corps.momentVersion} + 1` })
    .where(eq(corps.corpId, ctx.corpId));
}
