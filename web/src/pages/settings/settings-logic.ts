import type { SettingsDto } from '../../api/tags.js';

/** The corp's limits as the settings form edits them. */
export type Limits = SettingsDto['limits'];

/** The limits the form shows, in the order it shows them. */
export const limitNames = ['nameMaxLength', 'tagsPerGroup', 'corpTagsMax'] as const satisfies readonly (keyof Limits)[];

/** Only the limits the user changed, so saving one never rewrites another someone changed meanwhile. */
export function changedLimits(before: Limits, after: Limits): Partial<Limits> {
  return Object.fromEntries(limitNames.filter((k) => after[k] !== before[k]).map((k) => [k, after[k]]));
}
