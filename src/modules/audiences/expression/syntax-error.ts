import { AppError, type ErrorDetail } from '../../../errors.js';

/** Where in the text a problem is: 1-based line and column, columns counted in characters. */
export type TextLocation = { line: number; column: number; excerpt: string };

// East Asian wide characters take two cells in a terminal, so the caret under 购房意向 needs two
// spaces per character to land where the eye expects it.
const wide =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{20000}-\u{3FFFD}]/u;
const cells = (chars: readonly string[]) => chars.reduce((n, c) => n + (wide.test(c) ? 2 : 1), 0);

/**
 * The line, column and a caret excerpt for a UTF-16 offset into `source`. Long lines are cut to a
 * window of 60 characters around the column.
 * @example locate('tag:a and tga:b', 10) // → { line: 1, column: 11, excerpt: 'tag:a and tga:b\n          ^' }
 */
export function locate(source: string, offset: number): TextLocation {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  const lineEnd = source.indexOf('\n', offset);
  const lineChars = [...source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd)];
  const column = [...source.slice(lineStart, offset)].length + 1;
  const from = Math.max(0, Math.min(column - 31, lineChars.length - 60));
  const shown = lineChars.slice(from, from + 60);
  const head = from > 0 ? '…' : '';
  const tail = from + 60 < lineChars.length ? '…' : '';
  const pad = cells([...head]) + cells(lineChars.slice(from, column - 1));
  return { line, column, excerpt: `${head}${shown.join('')}${tail}\n${' '.repeat(pad)}^` };
}

/** "at column 14", or "at line 2, column 3" when the text has several lines. */
export function describeLocation(source: string, loc: TextLocation): string {
  return source.includes('\n') ? `at line ${loc.line}, column ${loc.column}` : `at column ${loc.column}`;
}

/** A problem in the text, before it becomes an `AppError`. */
export type TextProblem = { offset: number; message: string };

/**
 * The `validation_failed` error for problems in expression text: the message names the first one
 * and its column; each detail carries line, column and a caret excerpt.
 */
export function textError(source: string, problems: readonly TextProblem[], path?: string): AppError {
  const details: ErrorDetail[] = problems.slice(0, 50).map((p) => {
    const loc = locate(source, p.offset);
    return { path, message: `${p.message} ${describeLocation(source, loc)}`, line: loc.line, column: loc.column, excerpt: loc.excerpt };
  });
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new AppError('validation_failed', { message: `${details[0]?.message ?? 'The expression is not valid'}${more}`, details });
}

/** Thrown inside the lexer and parser; `parseExpression` turns it into an `AppError`. */
export class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'SyntaxProblem';
  }
}
