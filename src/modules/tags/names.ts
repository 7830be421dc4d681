import type { CorpSettings } from '../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';
import { checkName as checkAnyName, checkText } from '../../names/check-name.js';

/**
 * Normalizes and checks a tag or group name with the one name policy (src/names) against the
 * corp's length limit, in characters as a person counts them (🇨🇳 is one). Blank is `name_missing`
 * (WeCom 41018), too long `name_too_long` (40072), an invisible or control character
 * `validation_failed` (40058).
 */
export function checkName(raw: string | undefined, settings: CorpSettings, what: string, path?: string): string {
  return checkAnyName(raw, { what: `${what} name`, path, max: settings.nameMaxLength, codes: { blank: 'name_missing', tooLong: 'name_too_long' }, echo: true });
}

/** Longest tag description, in characters. */
export const descriptionMax = 200;

/**
 * Checks a tag's colour (`#RRGGBB` or empty) and description (≤ 200 characters, no control or
 * invisible characters) in the command, so every surface (native API, WeCom API, imports) is held
 * to the same rule. Returns the description normalized, as it is to be stored.
 */
export function checkTagAttributes(input: { color?: string; description?: string }, path = ''): { description?: string } {
  const details: ErrorDetail[] = [];
  if (input.color !== undefined && input.color !== '' && !/^#[0-9A-Fa-f]{6}$/.test(input.color))
    details.push({ path: `${path}color`, message: 'a colour is #RRGGBB' });
  let description: string | undefined;
  try {
    description = checkText(input.description, { what: 'tag description', path: `${path}description`, max: descriptionMax });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    details.push(...(error.details ?? []));
  }
  if (details.length > 0) throw new AppError('validation_failed', { message: 'The tag colour or description is not valid.', details });
  return { description };
}
