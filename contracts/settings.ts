import { z } from 'zod';
import { MomentSettings } from './moments.js';

/** A corp's limits (DESIGN.md §4). */
export type Limits = { nameMaxLength: number; tagsPerGroup: number; corpTagsMax: number };

/** The highest value each limit may be set to (names: WeCom's own limit of 30 characters). */
export const settingBounds: Limits = { nameMaxLength: 30, tagsPerGroup: 3000, corpTagsMax: 10000 };

const limit = (max: number) => z.int().min(1).max(max);

const LimitsSchema = z.object({ nameMaxLength: z.number(), tagsPerGroup: z.number(), corpTagsMax: z.number() });

/** `GET /settings`: the corp's limits (defaults filled in), how high each may go, and its Moments settings (defaults filled in). */
export const Settings = z.object({ limits: LimitsSchema, bounds: LimitsSchema, moments: MomentSettings });

const m = MomentSettings.shape;

/**
 * The Moments settings to change; left-out ones stay. Quiet hours may change one end at a time,
 * but start and end may not meet (checked again on the merged value by the command).
 */
export const UpdateMomentSettings = z
  .strictObject({
    weeklyCap: m.weeklyCap.optional(),
    quietHours: z
      .strictObject({ start: m.quietHours.shape.start.optional(), end: m.quietHours.shape.end.optional() })
      .refine((q) => q.start === undefined || q.end === undefined || q.start !== q.end, {
        message: 'quiet hours must end at another hour than they start',
        path: ['end'],
      })
      .optional(),
    notInterestedStreak: m.notInterestedStreak.optional(),
    fallbackHour: m.fallbackHour.optional(),
    attributionDays: m.attributionDays.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of weeklyCap, quietHours, notInterestedStreak, fallbackHour, attributionDays');

/**
 * `PATCH /settings`: the same shape `GET` answers, so a client can send back what it read with
 * some limits or Moments settings changed. Left-out ones stay; `bounds` are read-only and, when
 * sent, must be the server's own.
 */
export const UpdateSettingsBody = z
  .strictObject({
    limits: z
      .strictObject({
        nameMaxLength: limit(settingBounds.nameMaxLength).optional(),
        tagsPerGroup: limit(settingBounds.tagsPerGroup).optional(),
        corpTagsMax: limit(settingBounds.corpTagsMax).optional(),
      })
      .refine((l) => Object.keys(l).length > 0, 'give at least one of nameMaxLength, tagsPerGroup, corpTagsMax')
      .optional(),
    moments: UpdateMomentSettings.optional(),
    bounds: LimitsSchema.refine(
      (b) => b.nameMaxLength === settingBounds.nameMaxLength && b.tagsPerGroup === settingBounds.tagsPerGroup && b.corpTagsMax === settingBounds.corpTagsMax,
      'bounds are read-only: send them unchanged or leave them out',
    ).optional(),
  })
  .refine((b) => b.limits !== undefined || b.moments !== undefined, { message: 'give limits, moments or both', path: ['limits'] });

/** Settings as the console receives them. */
export type SettingsDto = z.infer<typeof Settings>;
