import type { CorpSettings } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/**
 * Normalizes and checks a tag or group name against the corp's length limit. Length counts
 * characters (code points), as a user counts 购买意向, not UTF-16 units or bytes.
 */
export function checkName(raw: string | undefined, settings: CorpSettings, what: string, path?: string): string {
  const name = (raw ?? '').trim();
  if (name === '') throw new AppError('name_missing', { message: `The ${what} name is empty.`, details: [{ path, message: 'empty' }] });
  const length = [...name].length;
  if (length > settings.nameMaxLength) {
    throw new AppError('name_too_long', {
      message: `The ${what} name "${name}" has ${length} characters; the limit is ${settings.nameMaxLength}.`,
      details: [{ path, message: `longer than ${settings.nameMaxLength} characters`, limit: settings.nameMaxLength }],
    });
  }
  return name;
}
