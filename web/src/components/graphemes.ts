const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The first `max` characters of a text, as the server counts characters (grapheme clusters), so a
 * field cut at its limit never splits an emoji or a letter from its accent.
 * @example firstCharacters('👨‍👩‍👧国旗', 2) // '👨‍👩‍👧国'
 */
export function firstCharacters(text: string, max: number): string {
  let out = '';
  let n = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (n === max) break;
    out += segment;
    n += 1;
  }
  return out;
}
