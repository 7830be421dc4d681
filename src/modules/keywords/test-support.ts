import fc from 'fast-check';
import { foldText, normalizeKeyword } from './fold.js';
import type { KeywordRule, RuleMatch } from './rule-matcher.js';

/**
 * Generators and naive oracles for the keyword tests. Text and keywords are drawn from a few
 * common hanzi (so matches are frequent and keywords share prefixes and suffixes), Latin letters
 * in both cases and widths, blanks, and two emoji whose surrogate pairs share their high half.
 */
export const pieces = ['产', '品', '手', '册', '预', '约', '看', '房', '价', '单', 'a', 'A', 'ａ', 'Ｂ', 'b', ' ', '　', '😀', '😁'] as const;

const piece = fc.constantFrom(...pieces);
const word = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(''));

/**
 * A keyword set with the awkward cases: words, substrings (prefixes, suffixes, middles) of other
 * words, exact duplicates and case / width variants of other words.
 */
export const keywordSet: fc.Arbitrary<string[]> = fc.array(word, { minLength: 1, maxLength: 12 }).chain((words) =>
  fc
    .array(
      fc.tuple(fc.nat(words.length - 1), fc.nat(), fc.nat(), fc.constantFrom('sub', 'dup', 'upper')).map(([w, a, b, how]) => {
        const chars = Array.from(words[w]!);
        if (how === 'dup') return words[w]!;
        if (how === 'upper') return words[w]!.toUpperCase();
        const from = a % chars.length;
        return chars.slice(from, from + 1 + (b % (chars.length - from))).join('');
      }),
      { maxLength: 12 },
    )
    .map((derived) => [...words, ...derived]),
);

/** A message of random pieces with some of the keywords planted in it (empty messages included). */
export function messageWith(keywords: readonly string[]): fc.Arbitrary<string> {
  const part = fc.oneof(piece, fc.constantFrom(...keywords));
  return fc.array(part, { maxLength: 40 }).map((p) => p.join(''));
}

/** Every (pattern, start, end) occurrence, by trying every pattern at every offset of the folded text. */
export function naiveOccurrences(patterns: readonly string[], text: string): string[] {
  const t = foldText(text);
  const found: string[] = [];
  patterns.forEach((pattern, p) => {
    const k = foldText(pattern);
    for (let i = t.indexOf(k); i !== -1; i = t.indexOf(k, i + 1)) found.push(`${p}@${i}-${i + k.length}`);
  });
  return found.sort();
}

/** The rules a message satisfies, straight from the definition of contains / exact and any / all. */
export function naiveRuleMatches(rules: readonly KeywordRule[], message: string): RuleMatch[] {
  const folded = foldText(message);
  const whole = normalizeKeyword(message);
  const result: RuleMatch[] = [];
  for (const rule of rules) {
    const seen = new Set<string>();
    const kept = rule.keywords.filter((k) => {
      const n = normalizeKeyword(k);
      if (n === '' || seen.has(n)) return false;
      seen.add(n);
      return true;
    });
    const hit = kept.filter((k) => (rule.match === 'exact' ? normalizeKeyword(k) === whole : folded.includes(normalizeKeyword(k))));
    const ok = rule.mode === 'all' ? kept.length > 0 && hit.length === kept.length : hit.length > 0;
    if (ok) result.push({ ruleId: rule.id, keywords: hit });
  }
  return result;
}
