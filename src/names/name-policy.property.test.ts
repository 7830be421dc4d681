import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCharacterProblem, findNameIssue, maxCodePointsPerCharacter, nameKey, nameLength, normalizeName } from './name-policy.js';
import { forbiddenPieces, nameLike, visibleName } from './test-support.js';

const runs = { numRuns: 2000 };
const accepted = (name: string) => findNameIssue(name, { max: 1000 }) === undefined;

// The characters no accepted name holds outside an emoji: controls, format characters, lone surrogates.
const suspicious = /[\p{Cc}\p{Cf}\uD800-\uDFFF\uFFFD]/u;

/** Each suspicious character of an accepted name with the grapheme cluster it sits in. */
function suspiciousInClusters(name: string): { char: string; cluster: string; next?: string }[] {
  const found: { char: string; cluster: string; next?: string }[] = [];
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(name)) {
    const chars = Array.from(segment);
    chars.forEach((char, i) => suspicious.test(char) && found.push({ char, cluster: segment, next: chars[i + 1] }));
  }
  return found;
}

describe('the name policy, on random strings of interesting pieces', () => {
  it('normalizing is idempotent, and a stored name passes the policy again unchanged', () => {
    fc.assert(
      fc.property(nameLike({ forbidden: true }), (raw) => {
        const once = normalizeName(raw);
        expect(normalizeName(once)).toBe(once);
        expect(once.normalize('NFC')).toBe(once);
        if (accepted(once)) expect(findNameIssue(normalizeName(once), { max: 1000 })).toBeUndefined();
      }),
      runs,
    );
  });

  it('an accepted name holds no control or format character, lone surrogate or U+FFFD, except ZWJ joining an emoji or a conjunct and the tags of a flag', () => {
    fc.assert(
      fc.property(nameLike({ forbidden: true }), (raw) => {
        const name = normalizeName(raw);
        if (!accepted(name)) return;
        expect(name).not.toMatch(/^[\s\u200B-\u200F\uFEFF]|[\s\u200B-\u200C\u200E-\u200F\uFEFF]$/u);
        for (const { char, cluster, next } of suspiciousInClusters(name)) {
          if (char === '\u200D') expect(next, JSON.stringify(name)).toMatch(/[\p{Extended_Pictographic}\p{L}]/u);
          else {
            expect(char.codePointAt(0), JSON.stringify(name)).toBeGreaterThanOrEqual(0xe0020);
            expect(char.codePointAt(0)).toBeLessThanOrEqual(0xe007f);
            expect(cluster).toMatch(/^\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}$/u);
          }
        }
      }),
      runs,
    );
  });

  it('a forbidden character anywhere inside a name is refused, and says which and where', () => {
    fc.assert(
      fc.property(visibleName(), fc.constantFrom(...forbiddenPieces), fc.nat(), ({ pieces }, bad, at) => {
        const i = 1 + (at % pieces.length);
        const name = normalizeName([...pieces.slice(0, i), bad, ...pieces.slice(i), 'x'].join(''));
        const issue = findNameIssue(name, { max: 1000 });
        expect(issue?.kind, JSON.stringify(name)).toBe('character');
        expect(findCharacterProblem(name)?.position).toBeLessThanOrEqual(i + 1);
      }),
      runs,
    );
  });

  it('the length is the number of characters a person sees, whatever the spelling and the blank padding', () => {
    fc.assert(
      fc.property(visibleName(), ({ pieces, padded }) => {
        const name = normalizeName(padded);
        expect(nameLength(name), JSON.stringify(padded)).toBe(pieces.length);
        expect(nameLength(normalizeName(padded.normalize('NFD')))).toBe(pieces.length);
        expect(accepted(name), JSON.stringify(name)).toBe(true);
        expect(findNameIssue(name, { max: pieces.length - 1 })).toEqual({ kind: 'too_long', length: pieces.length, max: pieces.length - 1 });
      }),
      runs,
    );
  });

  it('names a person would see as the same have one key: NFC and NFD, fullwidth, case, invisible characters, spaces of other widths', () => {
    const fullwidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));
    const flipAsciiCase = (s: string) => s.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
    fc.assert(
      fc.property(visibleName(), fc.nat(), ({ pieces }, at) => {
        const name = normalizeName(pieces.join(''));
        const key = nameKey(name);
        const i = at % (pieces.length + 1);
        const spaced = [...pieces.slice(0, i), ' ', ...pieces.slice(i)].join('');
        const lookAlikes = [
          name.normalize('NFD'),
          fullwidth(name),
          flipAsciiCase(name),
          `${name}\u200B`,
          `\uFEFF${name}\u3000`,
          [...pieces.slice(0, i), '\u200B', ...pieces.slice(i)].join(''),
          name.replace(/\uFE0F/g, ''),
        ];
        for (const other of lookAlikes) expect(nameKey(normalizeName(other)), JSON.stringify(other)).toBe(key);
        expect(nameKey(spaced.replace(' ', '\u3000'))).toBe(nameKey(spaced));
        expect(nameKey(spaced.replace(' ', '   '))).toBe(nameKey(spaced));
        expect(nameKey(key)).toBe(key);
      }),
      runs,
    );
  });

  it('a character stacked with more marks than any real one has is refused; a name cannot hide length in one character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (marks) => {
        const name = `客${'\u0301\u0316'.repeat(marks).slice(0, marks)}`;
        expect(findNameIssue(normalizeName(name), { max: 30 })?.kind ?? 'accepted').toBe(marks + 1 > maxCodePointsPerCharacter ? 'character' : 'accepted');
      }),
    );
  });
});
