/**
 * The one policy for every name a person gives a thing (tags, groups, rule groups, apps,
 * departments, employees, roles, audiences, remarks) and for short free text (descriptions). Pure:
 * `check-name.ts` turns its findings into errors. A name is stored as `normalizeName` gives it,
 * measured with `nameLength` and compared for uniqueness by `nameKey`.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// Printable ASCII and CJK ideographs, punctuation (but not the tone marks U+302A–302F) and
// fullwidth forms: each is one character and one UTF-16 unit, so most names skip the segmenter.
const oneUnitPerCharacter = /^[\u0020-\u007E\u3000-\u3029\u3030-\u303F\u3400-\u4DBF\u4E00-\u9FFF\uFF01-\uFF5E]*$/;

// What a person sees as nothing: whitespace, default-ignorable (invisible) characters, and the
// blank braille pattern, a favourite for names that look empty.
const blank = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/u;
// Kept at the end of a name although invisible: they belong to the character before them
// (❤️ ends in U+FE0F; a subdivision flag such as 🏴󠁧󠁢󠁥󠁮󠁧󠁿 in tag characters).
const partOfPrevious = /[\p{Variation_Selector}\u{E0020}-\u{E007F}]/u;
const loneSurrogate = /[\uD800-\uDFFF]/u;
const pictographic = /\p{Extended_Pictographic}/u;
const letter = /\p{L}/u;
const mark = /\p{M}/u;
const control = /\p{Cc}/u;
const lineSeparator = /[\p{Zl}\p{Zp}]/u;
const noncharacter = /\p{Noncharacter_Code_Point}/u;
const variationSelector = /\p{Variation_Selector}/u;
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
// Anything `characterProblem` might object to, and marks (which may stack): a name with none of
// these (most names) needs no closer look.
const needsCloserLook = /[\p{Cc}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u2800\uFFFD\uD800-\uDFFF]/u;
// An emoji tag sequence: the black flag, tag characters, the cancel tag (🏴󠁧󠁢󠁥󠁮󠁧󠁿 is England).
const flagSequence = /^\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}$/u;

/**
 * The invisible characters `nameKey` drops: every default-ignorable code point except ZWJ
 * (U+200D) and the tag characters U+E0020–E007F, which tell 👨‍👩‍👧 from 👨👩👧 and one
 * subdivision flag from another. Inclusive ranges, shared with the SQL twin in the migration.
 */
export const keyIgnorables: readonly (readonly [number, number])[] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200c],
  [0x200e, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe001f],
  [0xe0080, 0xe0fff],
];

const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
const ignorableClass = keyIgnorables.map(([a, b]) => (a === b ? `\\u{${hex(a)}}` : `\\u{${hex(a)}}-\\u{${hex(b)}}`)).join('');
const ignorable = new RegExp(`[${ignorableClass}]`, 'gu');

/** `U+200B`: how messages name a code point. */
export function codePointLabel(char: string): string {
  return `U+${hex(char.codePointAt(0)!)}`;
}

/**
 * Puts a name in the form it is stored and shown in: Unicode NFC (so `café` typed with a combining
 * accent is the same text as the precomposed one), without blank or invisible characters at
 * either end (spaces, U+3000 ideographic space, zero-width characters, BOM). Idempotent.
 * @example normalizeName('\u3000客户等级\u200b') // '客户等级'
 */
export function normalizeName(raw: string): string {
  const chars = Array.from(raw.normalize('NFC'));
  let start = 0;
  while (start < chars.length && blank.test(chars[start]!)) start += 1;
  let end = chars.length;
  while (end > start && blank.test(chars[end - 1]!) && !partOfPrevious.test(chars[end - 1]!)) end -= 1;
  return chars.slice(start, end).join('');
}

/**
 * Normalizes free text (a description): NFC, line breaks as `\n`, blank ends trimmed like a name's.
 * @example normalizeText(' 第一行\r\n第二行 ') // '第一行\n第二行'
 */
export function normalizeText(raw: string): string {
  return normalizeName(raw.replace(/\r\n?/g, '\n'));
}

/**
 * The length of a name as a person counts it: grapheme clusters, so 客户等级 is 4, 🇨🇳 is 1 and the
 * family emoji 👨‍👩‍👧‍👦 is 1 (not 2 and 7 code points, nor 4 and 11 UTF-16 units).
 * @example nameLength('👨‍👩‍👧‍👦VIP') // 4
 */
export function nameLength(name: string): number {
  if (oneUnitPerCharacter.test(name)) return name.length;
  let n = 0;
  for (const _ of segmenter.segment(name)) n += 1;
  return n;
}

/**
 * The key two names are compared by for uniqueness: compatibility-folded (NFKC, so ＶＩＰ is VIP
 * and ① is 1), lower-cased code point by code point (VIP, Vip and vip are one name), without
 * invisible characters (`keyIgnorables`: VIP and VIP + U+200B are one name; ❤️ and ❤ too) and
 * with runs of spaces as one and none at the ends. Names that look the same have the same key.
 * @example nameKey('ＶＩＰ\u200b') === nameKey('vip') // true
 */
export function nameKey(name: string): string {
  const folded = name.normalize('NFKC').replace(ignorable, '');
  // Per code point (simple case mapping): PostgreSQL's lower() does the same, so the migration's
  // SQL twin of this function backfills the same keys; toLowerCase on the whole string would also
  // apply Greek final-sigma rules.
  let lower = '';
  for (const c of folded) lower += c.toLowerCase();
  return lower.normalize('NFKC').replace(/ {2,}/g, ' ').replace(/^ | $/g, '');
}

/** Why a character may not be in a name (or in free text). */
export type CharacterProblem = { char: string; position: number; reason: string };

/** What is wrong with a normalized name, if anything: first the characters, then its length. */
export type NameIssue = { kind: 'blank' } | { kind: 'character'; problem: CharacterProblem } | { kind: 'too_long'; length: number; max: number };

/** How a name or text is held to the policy. */
export type NameOptions = {
  /** The most characters (grapheme clusters) it may have. */
  max: number;
  /** An empty (normalized) value is allowed: a remark or description that clears it. */
  allowEmpty?: boolean;
  /** Free text: line breaks and tabs are allowed. */
  multiline?: boolean;
};

/** The most code points one character may be made of (the longest emoji sequences have 10). */
export const maxCodePointsPerCharacter = 16;

function characterProblem(cluster: string, c: string, next: string | undefined, multiline: boolean): string | undefined {
  if (loneSurrogate.test(c)) return 'half of a surrogate pair (the text is not valid Unicode)';
  if (c === '\uFFFD') return 'the replacement character U+FFFD (the text was decoded with the wrong encoding)';
  if (control.test(c)) return multiline && (c === '\n' || c === '\t') ? undefined : 'a control character';
  if (lineSeparator.test(c)) return multiline ? undefined : 'a line break';
  if (noncharacter.test(c)) return 'a noncharacter';
  if (variationSelector.test(c)) return undefined;
  // ZWJ joins the parts of one emoji (👨‍👩‍👧) or an Indic conjunct; anywhere else it is invisible.
  if (c === '\u200D') return next !== undefined && (pictographic.test(next) || letter.test(next)) ? undefined : 'an invisible joiner that joins nothing';
  // Tag characters spell a subdivision flag after 🏴 (🏴󠁧󠁢󠁳󠁣󠁴󠁿); anywhere else they are invisible text.
  const cp = c.codePointAt(0)!;
  if (cp >= 0xe0020 && cp <= 0xe007f) return flagSequence.test(cluster) ? undefined : 'an invisible tag character';
  if (invisible.test(c)) return 'an invisible character';
  return undefined;
}

/**
 * Finds the first character a name may not contain: control characters, line breaks, invisible
 * format characters (zero-width spaces, bidi controls, BOM, soft hyphen, Hangul fillers…),
 * noncharacters, lone surrogates and U+FFFD, and characters stacked with more than
 * `maxCodePointsPerCharacter` marks. Emoji keep their ZWJ, variation selectors and flag tags.
 * `position` counts characters from 1.
 */
export function findCharacterProblem(name: string, multiline = false): CharacterProblem | undefined {
  if (!needsCloserLook.test(name)) return undefined;
  let position = 0;
  for (const { segment } of segmenter.segment(name)) {
    position += 1;
    const chars = Array.from(segment);
    for (let i = 0; i < chars.length; i += 1) {
      const reason = characterProblem(segment, chars[i]!, chars[i + 1], multiline);
      if (reason) return { char: chars[i]!, position, reason };
    }
    if (chars.length > maxCodePointsPerCharacter)
      return { char: chars[0]!, position, reason: `a character made of ${chars.length} code points (marks stacked beyond any real character)` };
  }
  return undefined;
}

/** Whether a normalized name shows nothing: no character other than spaces, invisible ones and marks. */
export function isBlank(name: string): boolean {
  for (const c of name) if (!blank.test(c) && !mark.test(c)) return false;
  return true;
}

/**
 * Checks a normalized name (or text) against the policy and returns the first issue: blank
 * (empty unless `allowEmpty`, or nothing visible), a character it may not contain, or more than
 * `max` characters.
 * @example findNameIssue(normalizeName('VIP\u200bGold'), { max: 16 }) // { kind: 'character', … position: 4 }
 */
export function findNameIssue(name: string, options: NameOptions): NameIssue | undefined {
  if (name === '' ? !options.allowEmpty : isBlank(name)) return { kind: 'blank' };
  const problem = findCharacterProblem(name, options.multiline);
  if (problem) return { kind: 'character', problem };
  const length = nameLength(name);
  if (length > options.max) return { kind: 'too_long', length, max: options.max };
  return undefined;
}
