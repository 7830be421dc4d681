import { z } from 'zod';

/** A corp's limits (DESIGN.md §4). */
export type Limits = { nameMaxLength: number; tagsPerGroup: number; corpTagsMax: number };

/** The highest value each limit may be set to (names: WeCom's own limit of 30 characters). */
export const settingBounds: Limits = { nameMaxLength: 30, tagsPerGroup: 3000, corpTagsMax: 10000 };

const limit = (max: number) => z.int().min(1).max(max);

/** `PATCH /settings`: the limits to change; left-out ones stay. */
export const UpdateSettingsBody = z
  .strictObject({
    nameMaxLength: limit(settingBounds.nameMaxLength).optional(),
    tagsPerGroup: limit(settingBounds.tagsPerGroup).optional(),
    corpTagsMax: limit(settingBounds.corpTagsMax).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of nameMaxLength, tagsPerGroup, corpTagsMax');

const LimitsSchema = z.object({ nameMaxLength: z.number(), tagsPerGroup: z.number(), corpTagsMax: z.number() });

/** `GET /settings`: the corp's limits (defaults filled in) and how high each may go. */
export const Settings = z.object({ limits: LimitsSchema, bounds: LimitsSchema });

/** Settings as the console receives them. */
export type SettingsDto = z.infer<typeof Settings>;
