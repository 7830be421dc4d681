import { SyntaxProblem } from './syntax-error.js';

/**
 * A token of the text syntax. `text` is the raw text, except for strings, where it is the decoded
 * content. Offsets are UTF-16 indexes into the source, `end` exclusive.
 */
export type Token = { kind: 'word' | 'string' | 'date' | 'op' | 'end'; text: string; start: number; end: number };

// Characters that end a bare word; a word also ends before `..`.
const delimiters = new Set([...'(),:~=!<>"\'&|#“”‘’']);
const operators = ['::', '!=', '>=', '<=', '&&', '||', '..', '(', ')', ',', ':', '~', '=', '>', '<', '!', '#'];
const datePrefix = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?/y;
const escapes: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', '/': '/' };
const space = /\s/u;

const endsWord = (source: string, i: number) =>
  i >= source.length || space.test(source[i] ?? '') || delimiters.has(source[i] ?? '') || source.startsWith('..', i);

function readString(source: string, start: number): Token {
  const quote = source[start];
  let out = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (c === quote) return { kind: 'string', text: out, start, end: i + 1 };
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const decoded = escapes[e];
      if (decoded === undefined) throw new SyntaxProblem(i, `unknown escape '\\${e}' in a string (use \\" \\\\ \\n \\t or \\uXXXX)`);
      out += decoded;
      i += 2;
      continue;
    }
    out += c;
    i += 1;
  }
  throw new SyntaxProblem(start, `unterminated string: the ${quote} here is never closed`);
}

/**
 * Splits expression text into tokens. Words are anything between delimiters (so 购房意向, `a/b`,
 * `link.clicked`, `3+` and `-1.5` are words); dates are lexed whole so the colons of a time stay
 * inside them. Lexing fails only on an unterminated string, an unknown escape or a stray `&`, `|`
 * or curly quote.
 * @example tokenize('tag:a').map((t) => t.text) // → ['tag', ':', 'a', '']
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (space.test(c)) {
      i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const t = readString(source, i);
      tokens.push(t);
      i = t.end;
      continue;
    }
    if ('“”‘’'.includes(c)) throw new SyntaxProblem(i, `curly quote '${c}': quote with straight quotes "…"`);
    const op = operators.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (c === '&' || c === '|') throw new SyntaxProblem(i, `'${c}' is not an operator; write '${c === '&' ? 'and' : 'or'}' or '${c}${c}'`);
    datePrefix.lastIndex = i;
    const date = datePrefix.exec(source);
    if (date && endsWord(source, i + date[0].length)) {
      tokens.push({ kind: 'date', text: date[0], start: i, end: i + date[0].length });
      i += date[0].length;
      continue;
    }
    let j = i;
    while (!endsWord(source, j)) j += 1;
    tokens.push({ kind: 'word', text: source.slice(i, j), start: i, end: j });
    i = j;
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}
