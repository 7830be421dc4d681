import { eq } from 'drizzle-orm';
import { defaultMomentSettings, MomentSettings } from '../../../contracts/moments.js';
import type { TxCtx } from '../../context.js';
import { type CorpSettings, corps } from '../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';
import { recordEvent } from '../../events/record.js';
import { policyFor } from '../../policies/index.js';
import { lockCorpSettings, settingBounds } from './settings.js';

/** What a corp stores: the limits it set and the Moments settings it set (defaults fill the rest when read). */
type Stored = CorpSettings & { moments?: Partial<MomentSettings> };

/** Moments settings to change; quiet hours may change one end at a time. */
export type MomentSettingsChange = Partial<Omit<MomentSettings, 'quietHours'>> & { quietHours?: Partial<MomentSettings['quietHours']> };

/** A settings change: some limits, some Moments settings, or both. */
export type SettingsChange = { limits?: Partial<CorpSettings>; moments?: MomentSettingsChange };

function limitProblems(input: Partial<CorpSettings>): ErrorDetail[] {
  return (Object.keys(input) as (keyof CorpSettings)[])
    .filter((k) => {
      const v = input[k];
      return !(k in settingBounds) || typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > settingBounds[k];
    })
    .map((k) => ({ path: k, message: `an integer from 1 to ${settingBounds[k] ?? '?'}` }));
}

/** The stored Moments settings after the change, and the full settings they read as; checked as a whole. */
function mergeMoments(
  stored: Partial<MomentSettings>,
  change: MomentSettingsChange,
): { kept: Partial<MomentSettings>; full: MomentSettings; problems: ErrorDetail[] } {
  const quietHours = { ...defaultMomentSettings.quietHours, ...stored.quietHours, ...change.quietHours };
  const kept = { ...stored, ...change, ...(change.quietHours || stored.quietHours ? { quietHours } : {}) } as Partial<MomentSettings>;
  const full = { ...defaultMomentSettings, ...kept, quietHours };
  const parsed = MomentSettings.safeParse(full);
  const problems: ErrorDetail[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: `body.moments.${i.path.join('.')}`, message: i.message }));
  // Quiet hours that end when they start would mean none or all day; neither is what anyone sets.
  if (quietHours.start === quietHours.end)
    problems.push({ path: 'body.moments.quietHours.end', message: 'quiet hours must end at another hour than they start' });
  return { kept, full, problems };
}

/**
 * Changes a corp's limits within their bounds (names up to 30 characters, WeCom's own limit) and
 * its Moments settings (weekly cap, quiet hours, suppression streak, fallback hour, attribution).
 * Lowering a limit below what exists is allowed: it only refuses new tags beyond it. A lower
 * streak applies from the next "not interested"; a lower cap from the next post planned.
 */
export async function updateCorpSettings(ctx: TxCtx, input: SettingsChange): Promise<{ limits: CorpSettings; moments: MomentSettings }> {
  const before = (await lockCorpSettings(ctx)) as Stored;
  (await policyFor(ctx)).authorize('corp.settings');
  const limits = input.limits ?? {};
  const moments = input.moments ? mergeMoments(before.moments ?? {}, input.moments) : null;
  const bad = [...limitProblems(limits), ...(moments?.problems ?? [])];
  if (bad.length > 0) throw new AppError('validation_failed', { message: 'A setting is out of range.', details: bad });
  const after: Stored = { ...before, ...limits, ...(moments ? { moments: moments.kept } : {}) };
  await ctx.tx.update(corps).set({ settings: after }).where(eq(corps.corpId, ctx.corpId));
  await recordEvent(ctx, { type: 'corp.settings_changed', subjectType: 'corp', subjectId: ctx.corpId, before, after });
  const { moments: _stored, ...newLimits } = after;
  const full = moments?.full ?? mergeMoments(before.moments ?? {}, {}).full;
  return { limits: newLimits, moments: full };
}
