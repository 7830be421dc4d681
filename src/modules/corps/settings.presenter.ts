import type { z } from 'zod';
import type { MomentSettings } from '../../../contracts/moments.js';
import type { Settings } from '../../../contracts/settings.js';
import type { CorpSettings } from '../../db/schema/index.js';
import { settingBounds } from './settings.js';

/** The corp's limits with defaults filled in, how high each may be set, and its Moments settings. */
export function presentSettings(settings: CorpSettings, moments: MomentSettings): z.infer<typeof Settings> {
  return {
    limits: { nameMaxLength: settings.nameMaxLength, tagsPerGroup: settings.tagsPerGroup, corpTagsMax: settings.corpTagsMax },
    bounds: { nameMaxLength: settingBounds.nameMaxLength, tagsPerGroup: settingBounds.tagsPerGroup, corpTagsMax: settingBounds.corpTagsMax },
    moments: {
      weeklyCap: moments.weeklyCap,
      quietHours: { start: moments.quietHours.start, end: moments.quietHours.end },
      notInterestedStreak: moments.notInterestedStreak,
      fallbackHour: moments.fallbackHour,
      attributionDays: moments.attributionDays,
    },
  };
}
