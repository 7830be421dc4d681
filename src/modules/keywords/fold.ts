/**
 * Keyword normalisation, one UTF-16 code unit at a time. Every code unit folds to exactly one code
 * unit, so a match found in the folded message has the same offsets in the message as written:
 * the evidence shown to a user ("message at 10:02 contained 预约") points at the original text.
 *
 * The fold: full-width ASCII (U+FF01–U+FF5E) becomes its ASCII twin and the ideographic space
 * U+3000 a plain space (the NFKC result for those, nothing else of NFKC); then a BMP letter is
 * folded to lower case where that is one code unit (Latin, Greek, Cyrillic…: "ＶＩＰ" and "vip"
 * are one keyword; ς and σ too). Hanzi, kana, other full-width forms (half-width katakana, ￥)
 * and letters outside the BMP are left as they are.
 */

let table: Uint16Array | undefined;

/**
 * The fold of every code unit (65,536 entries, 128 KiB), built once on first use. The automaton
 * reads it in its inner loop instead of calling `toLowerCase` per character.
 */
export function foldTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    let u = c;
    if (u >= 0xff01 && u <= 0xff5e) u -= 0xfee0;
    else if (u === 0x3000) u = 0x20;
    // Surrogates are halves of a character, never letters on their own.
    if (u < 0xd800 || u > 0xdfff) {
      // Lower of upper, so letters with two lower forms meet: ς and σ, ſ and s (simple case folding).
      const upper = String.fromCharCode(u).toUpperCase();
      const viaUpper = upper.length === 1 ? upper.toLowerCase() : '';
      const lower = viaUpper.length === 1 ? viaUpper : String.fromCharCode(u).toLowerCase();
      if (lower.length === 1) u = lower.charCodeAt(0);
    }
    t[c] = u;
  }
  table = t;
  return t;
}

/**
 * A string with every code unit folded (same length as the input). Keywords are stored and
 * compared in this form; messages are folded on the fly by the matcher.
 * @example foldText('ＶＩＰ客户') === 'vip客户'
 */
export function foldText(text: string): string {
  const t = foldTable();
  let first = 0;
  while (first < text.length && t[text.charCodeAt(first)] === text.charCodeAt(first)) first++;
  // Most Chinese messages have nothing to fold: no copy then.
  if (first === text.length) return text;
  const units = new Uint16Array(text.length - first);
  for (let i = first; i < text.length; i++) units[i - first] = t[text.charCodeAt(i)]!;
  let out = text.slice(0, first);
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  return out;
}

let blanks: Uint8Array | undefined;

/** 1 for a code unit `trim()` removes (U+3000 and U+FEFF included), and for U+200B. */
function blankTable(): Uint8Array {
  if (blanks) return blanks;
  const b = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) if (c === 0x200b || (c < 0xd800 || c > 0xdfff ? String.fromCharCode(c).trim() === '' : false)) b[c] = 1;
  blanks = b;
  return b;
}

/**
 * The normalised form of a keyword, and of a message for `exact` rules: folded, then trimmed of
 * blanks (full-width spaces included) at both ends. Blanks inside are kept: "看 房" is not "看房".
 * Trimmed by scanning, not by a `\s+$` RegExp, which backtracks quadratically on a message of
 * many blanks followed by a character.
 * @example normalizeKeyword('  预约ＶＩＰ　') === '预约vip'
 */
export function normalizeKeyword(text: string): string {
  const blank = blankTable();
  let start = 0;
  let end = text.length;
  while (start < end && blank[text.charCodeAt(start)] === 1) start++;
  while (end > start && blank[text.charCodeAt(end - 1)] === 1) end--;
  return foldText(start === 0 && end === text.length ? text : text.slice(start, end));
}
