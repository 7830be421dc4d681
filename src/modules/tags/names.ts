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

/** Longest tag description, in characters. */
export const descriptionMax = 200;

/**
 * Checks a tag's colour (`#RRGGBB` or empty) and description (≤ 200 characters) in the command, so
 * every surface (native API, WeCom API, imports) is held to the same rule.
 */
export function checkTagAttributes(input: { color?: string; description?: string }, path = ''): void {
  const details = [];
  if (input.color !== undefined && input.color !== '' && !/^#[0-9A-Fa-f]{6}$/.test(input.color)) details.push({ path: `${path}color`, message: 'a colour is #RRGGBB' });
  if (input.description !== undefined && [...input.description].length > descriptionMax) details.push({ path: `${path}description`, message: `longer than ${descriptionMax} characters` });
  if (details.length > 0) throw new AppError('validation_failed', { message: 'The tag colour or description is not valid.', details });
}
