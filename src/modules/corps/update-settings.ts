import { eq } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { type CorpSettings, corps } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { recordEvent } from '../../events/record.js';
import { policyFor } from '../../policies/index.js';
import { lockCorpSettings, settingBounds } from './settings.js';

/**
 * Changes a corp's limits within their bounds (names up to 30 characters, WeCom's own limit).
 * Lowering a limit below what exists is allowed: it only refuses new tags beyond it.
 */
export async function updateCorpSettings(ctx: TxCtx, input: Partial<CorpSettings>): Promise<CorpSettings> {
  const before = await lockCorpSettings(ctx);
  (await policyFor(ctx)).authorize('corp.settings');
  const bad = (Object.keys(input) as (keyof CorpSettings)[]).filter((k) => {
    const v = input[k];
    return !(k in settingBounds) || typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > settingBounds[k];
  });
  if (bad.length > 0) {
    throw new AppError('validation_failed', {
      message: 'A setting is out of range.',
      details: bad.map((k) => ({ path: k, message: `an integer from 1 to ${settingBounds[k] ?? '?'}` })),
    });
  }
  const after = { ...before, ...input };
  await ctx.tx.update(corps).set({ settings: after }).where(eq(corps.corpId, ctx.corpId));
  await recordEvent(ctx, { type: 'corp.settings_changed', subjectType: 'corp', subjectId: ctx.corpId, before, after });
  return after;
}
