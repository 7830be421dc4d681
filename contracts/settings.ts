import { z } from 'zod';

/** A corp's limits (DESIGN.md §4). */
export type Limits = { nameMaxLength: number; tagsPerGroup: number; corpTagsMax: number };

/** The highest value each limit may be set to (names: WeCom's own limit of 30 characters). */
export const settingBounds: Limits = { nameMaxLength: 30, tagsPerGroup: 3000, corpTagsMax: 10000 };

const limit = (max: number) => z.int().min(1).max(max);

const LimitsSchema = z.object({ nameMaxLength: z.number(), tagsPerGroup: z.number(), corpTagsMax: z.number() });

/** `GET /settings`: the corp's limits (defaults filled in) and how high each may go. */
export const Settings = z.object({ limits: LimitsSchema, bounds: LimitsSchema });

/**
 * `PATCH /settings`: the same shape `GET` answers, so a client can send back what it read with
 * some limits changed. Left-out limits stay; `bounds` are read-only and, when sent, must be the
 * server's own.
 */
export const UpdateSettingsBody = z.strictObject({
  limits: z
    .strictObject({
      nameMaxLength: limit(settingBounds.nameMaxLength).optional(),
      tagsPerGroup: limit(settingBounds.tagsPerGroup).optional(),
      corpTagsMax: limit(settingBounds.corpTagsMax).optional(),
    })
    .refine((l) => Object.keys(l).length > 0, 'give at least one of nameMaxLength, tagsPerGroup, corpTagsMax'),
  bounds: LimitsSchema.refine(
    (b) => b.nameMaxLength === settingBounds.nameMaxLength && b.tagsPerGroup === settingBounds.tagsPerGroup && b.corpTagsMax === settingBounds.corpTagsMax,
    'bounds are read-only: send them unchanged or leave them out',
  ).optional(),
});

/** Settings as the console receives them. */
export type SettingsDto = z.infer<typeof Settings>;
