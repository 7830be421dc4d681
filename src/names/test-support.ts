import fc from 'fast-check';

/**
 * Characters a person sees as one each, in several spellings: CJK, Latin with precomposed and
 * combining accents, fullwidth forms, emoji ZWJ sequences, flags (a subdivision flag in tag
 * characters), keycaps, skin tones, and compatibility forms (①, ﬁ).
 */
export const visiblePieces = [
  '客',
  '户',
  '等',
  '级',
  '购',
  '买',
  'V',
  'I',
  'P',
  'v',
  'i',
  'p',
  'a',
  'Z',
  '7',
  '-',
  '_',
  '(',
  '!',
  'é',
  'e\u0301',
  'ü',
  'u\u0308',
  'Å',
  'A\u030A',
  'ç',
  'c\u0327',
  'Σ',
  'σ',
  'ς',
  'Д',
  'д',
  'ß',
  'Ｖ',
  'Ｉ',
  'Ｐ',
  'ｖ',
  '１',
  'ｶ',
  '①',
  'ﬁ',
  '℃',
  '²',
  '㈱',
  '👨‍👩‍👧‍👦',
  '👩🏽‍💻',
  '🇨🇳',
  '🇯🇵',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  '❤️',
  '❤',
  '1️⃣',
  '👍🏽',
  '가',
  '\u1100\u1161',
  'क्ष',
];

/** Blank and invisible characters: spaces of every width, zero-width characters, BOM, fillers. */
export const blankPieces = [' ', '\u3000', '\u00A0', '\u2003', '\u200B', '\u200C', '\u200E', '\u2060', '\uFEFF', '\u00AD', '\u3164', '\u2800', '\u180E'];

/** Characters a name may never hold, wherever they are. */
export const forbiddenPieces = [
  '\u0000',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202E',
  '\u2066',
  '\u200F',
  '\uD800',
  '\uDC00',
  '\uFFFD',
  '\uFFFF',
  '\u{E0041}',
];

/** A string of random pieces: visible ones mostly, with blanks, forbidden characters and lone combining marks. */
export function nameLike(opts: { forbidden?: boolean; maxPieces?: number } = {}): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...visiblePieces) },
    { weight: 3, arbitrary: fc.constantFrom(...blankPieces) },
    { weight: 1, arbitrary: fc.constantFrom('\u0301', '\u0308', '\uFE0F', '\u200D', '\t', '\n') },
    { weight: opts.forbidden ? 2 : 0, arbitrary: fc.constantFrom(...forbiddenPieces) },
  );
  return fc.array(piece, { maxLength: opts.maxPieces ?? 12 }).map((parts) => parts.join(''));
}

/** A name made of visible pieces only (each one character), possibly padded with blanks at the ends. */
export function visibleName(maxPieces = 10): fc.Arbitrary<{ pieces: string[]; padded: string }> {
  return fc
    .record({
      pieces: fc.array(fc.constantFrom(...visiblePieces), { minLength: 1, maxLength: maxPieces }),
      before: fc.array(fc.constantFrom(...blankPieces), { maxLength: 3 }),
      after: fc.array(fc.constantFrom(...blankPieces), { maxLength: 3 }),
    })
    .map(({ pieces, before, after }) => ({ pieces, padded: [...before, ...pieces, ...after].join('') }));
}
