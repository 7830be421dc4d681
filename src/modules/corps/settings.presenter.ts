import type { z } from 'zod';
import type { Settings } from '../../../contracts/settings.js';
import type { CorpSettings } from '../../db/schema/index.js';
import { settingBounds } from './settings.js';

/** The corp's limits with defaults filled in, and how high each may be set. */
export function presentSettings(settings: CorpSettings): z.infer<typeof Settings> {
  return {
    limits: { nameMaxLength: settings.nameMaxLength, tagsPerGroup: settings.tagsPerGroup, corpTagsMax: settings.corpTagsMax },
    bounds: { nameMaxLength: settingBounds.nameMaxLength, tagsPerGroup: settingBounds.tagsPerGroup, corpTagsMax: settingBounds.corpTagsMax },
  };
}
