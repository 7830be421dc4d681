import { AppError, type ErrorCode } from '../errors.js';
import { codePointLabel, findNameIssue, type NameIssue, normalizeName, normalizeText } from './name-policy.js';

/** How a command holds one name to the policy and which error codes it answers with. */
export type NameRules = {
  /** What the name is, for messages: `tag name`, `department name`, `remark`… */
  what: string;
  /** Where it is in the request (`body.name`, `tag.0.name`). */
  path?: string;
  /** The most characters (grapheme clusters). */
  max: number;
  /** The empty string is allowed and clears the value (remarks, descriptions); blank or invisible-only never is. */
  allowEmpty?: boolean;
  /** Free text: line breaks and tabs are allowed. */
  multiline?: boolean;
  /**
   * The codes of the three refusals; each defaults to `validation_failed` (400, WeCom 40058). The
   * tag library answers `name_missing` (41018) and `name_too_long` (40072), as WeCom does.
   */
  codes?: { blank?: ErrorCode; tooLong?: ErrorCode; invalid?: ErrorCode };
  /** Quote the name in the too-long message (tag names do; people's names are not echoed). */
  echo?: boolean;
};

function refusal(issue: NameIssue, raw: string, name: string, rules: NameRules): AppError {
  const { what, path, codes = {} } = rules;
  if (issue.kind === 'blank') {
    const message = raw === '' ? `The ${what} is empty.` : `The ${what} is blank: it has only spaces or invisible characters.`;
    return new AppError(codes.blank ?? 'validation_failed', { message, details: [{ path, message: raw === '' ? 'empty' : 'blank' }] });
  }
  if (issue.kind === 'too_long') {
    const quoted = rules.echo ? ` "${name}"` : '';
    return new AppError(codes.tooLong ?? 'validation_failed', {
      message: `The ${what}${quoted} has ${issue.length} characters; the limit is ${issue.max}.`,
      details: [{ path, message: `longer than ${issue.max} characters`, limit: issue.max }],
    });
  }
  const { char, position, reason } = issue.problem;
  const label = codePointLabel(char);
  return new AppError(codes.invalid ?? 'validation_failed', {
    message: `The ${what} contains ${reason} (${label}) at character ${position}; ${rules.multiline ? 'text' : 'a name'} may hold only visible characters.`,
    details: [{ path, message: `${reason} (${label}) at character ${position}`, character: label, position }],
  });
}

/**
 * Normalizes a name (`normalizeName`: NFC, blank ends trimmed) and checks it against the one name
 * policy (`findNameIssue`), throwing a coded error that says what and where. Returns the name to
 * store. `undefined` reads as empty; with `allowEmpty` only the empty string clears a value, since
 * spaces or invisible characters alone are a blank name, never stored.
 * @example checkName(body.name, { what: 'department name', path: 'body.name', max: 64 })
 */
export function checkName(raw: string | undefined, rules: NameRules): string {
  const given = raw ?? '';
  const name = rules.multiline ? normalizeText(given) : normalizeName(given);
  const issue = findNameIssue(name, { ...rules, allowEmpty: rules.allowEmpty === true && given === '' });
  if (issue) throw refusal(issue, given, name, rules);
  return name;
}

/** `checkName` for a value a request may leave out: `undefined` stays `undefined` (unchanged). */
export function checkOptionalName(raw: string | undefined, rules: NameRules): string | undefined {
  return raw === undefined ? undefined : checkName(raw, rules);
}

/**
 * Checks free text such as a description: it may be empty and hold line breaks, but no control or
 * invisible characters, and at most `max` characters.
 */
export function checkText(raw: string | undefined, rules: Omit<NameRules, 'allowEmpty' | 'multiline'>): string | undefined {
  return raw === undefined ? undefined : checkName(raw, { ...rules, allowEmpty: true, multiline: true });
}
