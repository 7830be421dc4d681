import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordAutomaton } from './automaton.js';
import { foldText, normalizeKeyword } from './fold.js';
import { type KeywordRule, KeywordRuleMatcher } from './rule-matcher.js';
import { keywordSet, messageWith, naiveOccurrences, naiveRuleMatches, pieces } from './test-support.js';

// A fixed seed: every run checks the same cases, and a failure prints a seed and path to replay.
// Change it locally (KEYWORDS_SEED) to explore further.
const runs = { numRuns: 1000, seed: Number(process.env.KEYWORDS_SEED ?? 14) };

describe('the keyword automaton against a naive matcher, on random Chinese text and keyword sets', () => {
  it('reports exactly the same (keyword, position) occurrences, overlaps and duplicates included', () => {
    fc.assert(
      fc.property(
        keywordSet.chain((keywords) => fc.tuple(fc.constant(keywords), fc.array(messageWith(keywords), { minLength: 1, maxLength: 8 }))),
        ([keywords, messages]) => {
          const automaton = KeywordAutomaton.build(keywords);
          for (const message of messages) {
            const ours = automaton
              .matches(message)
              .map((m) => `${m.pattern}@${m.start}-${m.end}`)
              .sort();
            expect(ours, JSON.stringify({ keywords, message })).toEqual(naiveOccurrences(keywords, message));
          }
        },
      ),
      runs,
    );
  });

  it('reports occurrences in order of their end, so evidence reads left to right', () => {
    fc.assert(
      fc.property(
        keywordSet.chain((keywords) => fc.tuple(fc.constant(keywords), messageWith(keywords))),
        ([keywords, message]) => {
          const ends = KeywordAutomaton.build(keywords)
            .matches(message)
            .map((m) => m.end);
          expect(ends).toEqual([...ends].sort((a, b) => a - b));
        },
      ),
      runs,
    );
  });
});

const ruleSet: fc.Arbitrary<KeywordRule[]> = keywordSet.chain((keywords) =>
  fc
    .array(
      fc.record({
        keywords: fc.subarray(keywords, { minLength: 1 }),
        mode: fc.constantFrom('any' as const, 'all' as const),
        match: fc.constantFrom('contains' as const, 'contains' as const, 'exact' as const),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((rules) => rules.map((r, i) => ({ id: `r${i}`, ...r }))),
);

describe('the per-corp rule matcher against the definition of contains / exact and any / all', () => {
  it('finds the same rules with the same keywords for every message, across many messages on one build', () => {
    fc.assert(
      fc.property(
        ruleSet.chain((rules) => {
          const words = rules.flatMap((r) => r.keywords);
          // Whole keywords as messages too, so exact rules get hits.
          return fc.tuple(
            fc.constant(rules),
            fc.array(
              fc.oneof(
                messageWith(words),
                fc.constantFrom(...words),
                fc.constantFrom(...words).map((w) => ` ${w.toUpperCase()}　`),
              ),
              { minLength: 1, maxLength: 10 },
            ),
          );
        }),
        ([rules, messages]) => {
          const matcher = KeywordRuleMatcher.build(rules);
          for (const message of messages) expect(matcher.match(message), JSON.stringify({ rules, message })).toEqual(naiveRuleMatches(rules, message));
        },
      ),
      runs,
    );
  });
});

describe('normalisation, on any string', () => {
  it('folding keeps the length (so offsets stay valid), normalising twice changes nothing, and upper case normalises as lower', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          fc.array(fc.constantFrom(...pieces, '\u200B', '\uFEFF', 'İ', 'ẞ', 'ς', 'Σ', 'ſ', 'ǅ', 'K')).map((p) => p.join('')),
        ),
        (text) => {
          expect(foldText(text).length).toBe(text.length);
          expect(normalizeKeyword(normalizeKeyword(text))).toBe(normalizeKeyword(text));
          // Case folds per UTF-16 unit: letters outside the BMP (Deseret, Warang Citi…) keep their case.
          const upper = text.toUpperCase();
          if (!/[\uD800-\uDFFF]/.test(text) && upper.length === text.length) expect(normalizeKeyword(upper)).toBe(normalizeKeyword(text));
        },
      ),
      runs,
    );
  });
});
