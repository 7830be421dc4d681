import { z } from 'zod';
import { AppError } from '../../errors.js';
import { normalizeKeyword } from './fold.js';

/**
 * Limits of keyword rules. Lengths count characters as a person does for keywords (code points of
 * the normalised keyword: an emoji is one), not UTF-16 units. The corp total bounds the automaton
 * (20,000 keywords of 30 characters is at most 600,001 states, a few MB).
 */
export const keywordLimits = {
  keywordsPerRule: 200,
  keywordMinLength: 1,
  keywordMaxLength: 30,
  keywordsPerCorp: 20_000,
} as const;

// Controls, format characters (zero-width, bidi; the emoji joiner U+200D aside) and U+FFFD:
// invisible or broken text that would make a keyword no one can see or type.
const unfit = /(?!\u200D)[\p{Cc}\p{Cf}\uFFFD]/u;

function characterCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** Whether `text` holds a surrogate that is not half of a pair (the `u` regex cannot see them). */
function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** What is wrong with one keyword, in words for the user, or undefined when it is fine. */
export function keywordProblem(keyword: string): string | undefined {
  const n = normalizeKeyword(keyword);
  if (n.length === 0) return 'is empty (blank characters only)';
  if (hasLoneSurrogate(n) || unfit.test(n)) return 'holds a control, invisible or broken character';
  const length = characterCount(n);
  if (length > keywordLimits.keywordMaxLength) return `has ${length} characters; the limit is ${keywordLimits.keywordMaxLength}`;
  return undefined;
}

/**
 * A rule's keyword list: 1–200 keywords, each 1–30 characters after normalisation, no two the same
 * after normalisation ("VIP" and "ｖｉｐ" are one keyword). Each issue's path names the keyword
 * (`keywords.3`), so the console can point at it. Values stay as written; the matcher normalises.
 */
export const keywordListSchema = z
  .array(
    z
      .string({ error: 'each keyword must be a string' })
      .max(keywordLimits.keywordMaxLength * 4, { error: `keyword longer than ${keywordLimits.keywordMaxLength} characters` }),
    { error: 'keywords must be a list of strings' },
  )
  .min(1, { error: 'at least one keyword is required' })
  .max(keywordLimits.keywordsPerRule, { error: `at most ${keywordLimits.keywordsPerRule} keywords per rule` })
  .superRefine((keywords, ctx) => {
    const firstAt = new Map<string, number>();
    keywords.forEach((keyword, i) => {
      // A string over the length cap already has its issue; normalising a huge one is wasted work.
      if (keyword.length > keywordLimits.keywordMaxLength * 4) return;
      const problem = keywordProblem(keyword);
      if (problem) {
        ctx.addIssue({ code: 'custom', path: [i], message: `keyword ${JSON.stringify(keyword)} ${problem}` });
        return;
      }
      const n = normalizeKeyword(keyword);
      const j = firstAt.get(n);
      if (j !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `keyword ${JSON.stringify(keyword)} is the same as keywords.${j} after normalisation (case, full-width, blanks at the ends)`,
        });
      else firstAt.set(n, i);
    });
  });

/**
 * The keyword trigger of a rule: its keyword list, `any` (default) or `all`, `contains` (default)
 * or `exact`. The rule engine embeds it in its rule schema; the result fits `KeywordRule`.
 */
export const keywordTriggerSchema = z.object({
  keywords: keywordListSchema,
  mode: z.enum(['any', 'all']).default('any'),
  match: z.enum(['contains', 'exact']).default('contains'),
});

/** A validated keyword trigger. */
export type KeywordTrigger = z.infer<typeof keywordTriggerSchema>;

/**
 * Refuses a rule whose keywords would take the corp over its total (`keywordsPerCorp`).
 * `otherRules` is the count over the corp's other keyword rules (the rule being edited excluded).
 * @example assertCorpKeywordTotal(19_950, 100) // throws limit_exceeded naming `keywords`
 */
export function assertCorpKeywordTotal(otherRules: number, thisRule: number, path = 'keywords'): void {
  const total = otherRules + thisRule;
  if (total <= keywordLimits.keywordsPerCorp) return;
  throw new AppError('limit_exceeded', {
    message: `The corp's keyword rules would hold ${total} keywords; the limit is ${keywordLimits.keywordsPerCorp}.`,
    details: [
      {
        path,
        message: `${thisRule} keywords here and ${otherRules} in other rules exceed ${keywordLimits.keywordsPerCorp}`,
        limit: keywordLimits.keywordsPerCorp,
      },
    ],
  });
}
