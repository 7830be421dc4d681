import type { Expr, GroupChatPredicate, TimeWindow } from '../../../../contracts/audience-expression/ast.js';
import { isDateLiteral } from '../../../../contracts/audience-expression/time.js';
import { durationPattern } from '../../../../contracts/audience-expression/vocabulary.js';
import { type Token, tokenize } from './lexer.js';
import { SyntaxProblem } from './syntax-error.js';

/**
 * A tag or group written by name, waiting for the resolver to fill in the node's id; or a group
 * chat, by name or by id (`byId`), which the resolver also checks exists when it can.
 */
export type PendingName = { offset: number; text: string } & (
  | { kind: 'tag'; node: { tag: string } }
  | { kind: 'group'; node: { group: { id: string } } }
  | { kind: 'chat'; byId: boolean; node: { groupChat: GroupChatPredicate } }
);

/**
 * The parser's position in the token list, with the helpers every grammar rule shares. It also
 * records where each AST node starts (so later checks can point at a column) and the names that
 * still need resolving.
 */
export class Cursor {
  private pos = 0;
  private readonly tokens: Token[];
  readonly pending: PendingName[] = [];
  readonly starts = new WeakMap<object, number>();

  constructor(readonly source: string) {
    this.tokens = tokenize(source);
  }

  /** The token `k` ahead without consuming it. */
  peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)] as Token;
  }

  /** The last consumed token (the start of the text when none). */
  previous(): Token | undefined {
    return this.pos > 0 ? this.tokens[this.pos - 1] : undefined;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos += 1;
    return t;
  }

  /** Consumes an operator token such as `(` or `>=` if it is next. */
  acceptOp(...ops: string[]): Token | undefined {
    const t = this.peek();
    return t.kind === 'op' && ops.includes(t.text) ? this.next() : undefined;
  }

  /** True when the next token is one of these words, compared case-insensitively. */
  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }

  acceptWord(...words: string[]): Token | undefined {
    return this.isWord(...words) ? this.next() : undefined;
  }

  expectOp(op: string, what: string): Token {
    return this.acceptOp(op) ?? this.fail(this.peek(), `expected '${op}' ${what}`);
  }

  /** The next token as a value (a word, a quoted string or a date), or a failure naming `after`. */
  value(after: string): Token {
    const t = this.peek();
    if (t.kind === 'word' || t.kind === 'string' || t.kind === 'date') return this.next();
    return this.fail(t, `expected a value after '${after}'`);
  }

  /** A date-shaped token that must also be a calendar date. */
  date(): Token {
    const t = this.next();
    if (!isDateLiteral(t.text)) this.fail(t, `'${t.text}' is not a calendar date`);
    return t;
  }

  /** A duration word such as `30d` or `12h`. */
  duration(after: string): { amount: number; unit: 'd' | 'h' } {
    const t = this.value(after);
    const m = t.kind === 'word' ? durationPattern.exec(t.text) : null;
    if (!m) return this.fail(t, `expected a duration such as 30d or 12h after '${after}'`);
    return { amount: Number(m[1]), unit: (m[2] ?? 'd').toLowerCase() as 'd' | 'h' };
  }

  /** Remembers where a node starts and returns it. */
  mark<T extends Expr>(node: T, offset: number): T {
    this.starts.set(node, offset);
    return node;
  }

  fail(t: Token, message: string): never {
    throw new SyntaxProblem(t.start, message);
  }
}

/** `within(30d)`, or a date range `FROM..TO` with either side open, or one date for that day. */
export function parseWindow(c: Cursor, after: string): TimeWindow {
  if (c.acceptWord('within')) {
    c.expectOp('(', "after 'within'");
    const within = c.duration('within(');
    c.expectOp(')', 'to close within(…)');
    return { within };
  }
  return parseRange(c, after);
}

/** `FROM..TO`, `FROM..`, `..TO` or a single date meaning that whole day. */
export function parseRange(c: Cursor, after: string): TimeWindow {
  const from = c.peek().kind === 'date' ? c.date().text : undefined;
  let to: string | undefined;
  if (c.acceptOp('..')) to = c.peek().kind === 'date' ? c.date().text : undefined;
  else to = from;
  if (from === undefined && to === undefined) return c.fail(c.peek(), `expected within(30d) or dates such as 2026-01-01..2026-03-31 after '${after}'`);
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
