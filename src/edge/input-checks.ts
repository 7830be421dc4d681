import { isUtf8 } from 'node:buffer';
import type { ErrorDetail } from '../errors.js';

/**
 * Text rules every request value must meet before any handler sees it. PostgreSQL refuses NUL in
 * text and jsonb, and a lone surrogate or invalid UTF-8 would be stored as U+FFFD (or refused), so
 * both surfaces reject such input here, once, with the path of the value.
 */

/** How deeply a request body may nest arrays and objects; deeper input is refused before any recursive code walks it. */
export const maxInputDepth = 64;

/**
 * What `decodeUtf8Marked` puts where the bytes were not UTF-8: a lone low surrogate, which valid
 * UTF-8 never decodes to, so `textProblem` finds it (and its path) like any other lone surrogate.
 */
const invalidUtf8Mark = '\uDFFF';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (loneSurrogate.test(text)) return 'is not valid Unicode text (invalid UTF-8 or a lone surrogate)';
  return undefined;
}

const needsEscape = /[\u0000-\u001f\uD800-\uDFFF]/;

/** A key as it can be shown in a path: control characters and lone surrogates escaped. */
function printable(key: string): string {
  return key.replace(/[\u0000-\u001f]|[\uD800-\uDFFF]/g, (ch, offset: number, whole: string) => {
    const code = ch.charCodeAt(0);
    const paired =
      code >= 0xd800 && code <= 0xdbff
        ? /[\uDC00-\uDFFF]/.test(whole[offset + 1] ?? '')
        : code >= 0xdc00 && code <= 0xdfff && /[\uD800-\uDBFF]/.test(whole[offset - 1] ?? '');
    return paired ? ch : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Where a value sits: its parent's place and its key, joined into a path only for a value with a problem. */
type Place = { parent: Place | null; key: string };

function pathOf(place: Place): string {
  const keys: string[] = [];
  for (let at: Place | null = place; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

/**
 * Every value in a parsed request part that breaks the text rules: strings and object keys with NUL,
 * lone surrogates or (marked) invalid UTF-8, and nesting deeper than `maxInputDepth`. Walks with an
 * explicit stack, so hostile nesting cannot overflow the call stack, and builds a value's path only
 * when it has a problem (a 100,000-id batch is checked without 100,000 path strings).
 * @example inputProblems('body', { name: 'a\u0000' }) // → [{ path: 'body.name', code: 'invalid_text', message: 'contains a NUL character (U+0000)' }]
 */
export function inputProblems(root: string, value: unknown): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  // A bad key is pushed as its problem, so problems come out in document order.
  type Item = { value: unknown; place: Place; depth: number } | { problem: ErrorDetail };
  const stack: Item[] = [{ value, place: { parent: null, key: root }, depth: 0 }];
  while (stack.length > 0 && problems.length < 100) {
    const item = stack.pop()!;
    if ('problem' in item) {
      problems.push(item.problem);
      continue;
    }
    const { value: current, place, depth } = item;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) problems.push({ path: pathOf(place), code: 'invalid_text', message: problem });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxInputDepth) {
      problems.push({ path: pathOf(place), code: 'too_deep', message: `nested more than ${maxInputDepth} levels` });
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) {
        const child: unknown = current[i];
        // Numbers, booleans and null have nothing to check; most arrays are of strings or of them.
        if (typeof child === 'string') {
          if (textProblem(child) === undefined) continue;
        } else if (child === null || typeof child !== 'object') continue;
        stack.push({ value: child, place: { parent: place, key: String(i) }, depth: depth + 1 });
      }
      continue;
    }
    const entries = Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i]!;
      const at: Place = { parent: place, key: needsEscape.test(key) ? printable(key) : key };
      const keyProblem = textProblem(key);
      stack.push(
        keyProblem
          ? { problem: { path: pathOf(at), code: 'invalid_text', message: `the field name ${keyProblem}` } }
          : { value: child, place: at, depth: depth + 1 },
      );
    }
  }
  return problems;
}

/** The byte length of the well-formed UTF-8 sequence at `i`, or 0 (Unicode table 3-7). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  const tail = (at: number, low = 0x80, high = 0xbf) => at < bytes.length && bytes[at]! >= low && bytes[at]! <= high;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return tail(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [low, high] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return tail(i + 1, low, high) && tail(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [low, high] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return tail(i + 1, low, high) && tail(i + 2) && tail(i + 3) ? 4 : 0;
  }
  return 0;
}

/** The offset of the first byte that is not part of well-formed UTF-8, or -1 when all of it is. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/**
 * Decodes UTF-8, putting a lone surrogate where the bytes are not UTF-8 instead of U+FFFD (which a
 * caller may send on purpose), so invalid bytes are found after parsing, with the path they sit at.
 */
export function decodeUtf8Marked(bytes: Uint8Array): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const decoder = new TextDecoder('utf-8');
  let out = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += decoder.decode(bytes.subarray(start, i)) + invalidUtf8Mark;
    i += 1;
    start = i;
  }
  return out + decoder.decode(bytes.subarray(start));
}

/** The bytes a percent-encoded URL component stands for (`%E4%B8%AD` → 3 bytes); characters outside escapes count as bytes too. */
function percentBytes(component: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < component.length; i += 1) {
    const ch = component.charCodeAt(i);
    if (ch === 0x25 && /^[0-9a-fA-F]{2}$/.test(component.slice(i + 1, i + 3))) {
      bytes.push(parseInt(component.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch < 0x100)
      bytes.push(ch); // Node reads a raw request line as latin1: one character per byte.
    else bytes.push(...Buffer.from(component[i]!, 'utf8'));
  }
  return Uint8Array.from(bytes);
}

/**
 * Query parameters whose percent-escapes are not UTF-8 (`?name=%FF`, `%ED%A0%80`). They must be
 * found in the raw URL: the query parser keeps such an escape as literal text, which would then be
 * looked up or stored as if the caller had meant it.
 */
export function rawQueryProblems(url: string): ErrorDetail[] {
  const mark = url.indexOf('?');
  if (mark < 0) return [];
  // Plain ASCII without escapes (an access_token, ids) is UTF-8 by construction: the common case costs one scan.
  if (!/[%\u0080-\uffff]/.test(url.slice(mark + 1))) return [];
  const problems: ErrorDetail[] = [];
  for (const pair of url.slice(mark + 1).split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    const keyBytes = percentBytes(key);
    if (isUtf8(keyBytes) && isUtf8(percentBytes(value))) continue;
    const name = printable(decodeUtf8Marked(keyBytes).replace(/\+/g, ' '));
    problems.push({ path: `query.${name}`, code: 'invalid_text', message: isUtf8(keyBytes) ? 'is not valid UTF-8' : 'the parameter name is not valid UTF-8' });
  }
  return problems;
}
