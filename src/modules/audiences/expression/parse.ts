import { type Expr, type LeafKind, leafKinds } from '../../../../contracts/audience-expression/ast.js';
import { Cursor, type PendingName } from './parse-cursor.js';
import { parsePredicate } from './parse-fields.js';
import { SyntaxProblem, type TextProblem, textError } from './syntax-error.js';
import { checkExpression, type ExpressionIssue } from './validate.js';

/** A tag written by name: `看房` → `{ name: '看房' }`, `客户等级/A级` → `{ group: '客户等级', name: 'A级' }`. */
export type TagNameReference = { name: string; group?: string; text: string };

/**
 * Turns names into ids; the caller loads the corp's tag library (and, for personal tags, only the
 * actor's own). Returning no id makes the name unknown, more than one makes it ambiguous; both are
 * errors at the name's column.
 */
export type NameResolver = {
  tag?: (ref: TagNameReference) => readonly string[];
  group?: (name: string) => readonly string[];
  /**
   * A group chat by name, or by id to check that it exists (`[id]` when it does, `[]` when not).
   * Without it, chat ids pass unchecked and chat names are errors.
   */
  chat?: (ref: ChatReference) => readonly string[];
};

/** A group chat as the text names it: by id (`groupchat:wr…`, `groupchat:#…`) or by name. */
export type ChatReference = { id: string } | { name: string };

/** Options of `parseExpression`: the name resolver, and the path to put on error details. */
export type ParseOptions = { resolve?: NameResolver; path?: string };

/** Longest expression text accepted, in UTF-16 units; the node and value limits bite well before. */
export const maxExpressionText = 100_000;
// Parentheses and `not` nest the recursive descent; this bounds the stack before the AST depth
// limit (12) is checked on the finished tree.
const maxNesting = 64;

const isKeyword = (c: Cursor, word: string, op: string) => c.isWord(word) || (c.peek().kind === 'op' && c.peek().text === op);

function parseOr(c: Cursor, depth: number): Expr {
  const start = c.peek().start;
  const items = [parseAnd(c, depth)];
  while (isKeyword(c, 'or', '||')) {
    c.next();
    items.push(parseAnd(c, depth));
  }
  return items.length === 1 ? (items[0] as Expr) : c.mark({ any: items }, start);
}

function parseAnd(c: Cursor, depth: number): Expr {
  const start = c.peek().start;
  const items = [parseUnary(c, depth)];
  while (isKeyword(c, 'and', '&&')) {
    c.next();
    items.push(parseUnary(c, depth));
  }
  return items.length === 1 ? (items[0] as Expr) : c.mark({ all: items }, start);
}

function parseUnary(c: Cursor, depth: number): Expr {
  const start = c.peek();
  if (depth > maxNesting) c.fail(start, `nested more than ${maxNesting} levels`);
  if (isKeyword(c, 'not', '!')) {
    c.next();
    return c.mark({ not: parseUnary(c, depth + 1) }, start.start);
  }
  if (c.acceptOp('(')) {
    const inner = parseOr(c, depth + 1);
    if (!c.acceptOp(')'))
      c.fail(c.peek(), `expected ')' to close the '(' of column ${[...c.source.slice(c.source.lastIndexOf('\n', start.start) + 1, start.start)].length + 1}`);
    return inner;
  }
  return parsePredicate(c);
}

function trailing(c: Cursor): never {
  const t = c.peek();
  if (t.kind === 'op' && t.text === ')') return c.fail(t, "unexpected ')' without a matching '('");
  if (t.kind === 'word') return c.fail(t, `expected 'and' or 'or' before '${t.text}'`);
  return c.fail(t, `unexpected '${t.text}'; expected 'and', 'or' or the end`);
}

function resolveNames(c: Cursor, resolver: NameResolver | undefined): TextProblem[] {
  const problems: TextProblem[] = [];
  for (const p of c.pending) {
    if (p.kind === 'chat') {
      const problem = resolveChat(p, resolver);
      if (problem) problems.push(problem);
      continue;
    }
    const resolve = p.kind === 'tag' ? resolver?.tag : resolver?.group;
    if (!resolve) {
      problems.push({ offset: p.offset, message: `${p.kind} names cannot be looked up here; write the id as ${p.kind}:#id` });
      continue;
    }
    const slash = p.text.indexOf('/');
    const ref =
      slash > 0 && slash < p.text.length - 1 ? { group: p.text.slice(0, slash), name: p.text.slice(slash + 1), text: p.text } : { name: p.text, text: p.text };
    const ids = [...new Set(p.kind === 'tag' ? (resolver?.tag?.(ref) ?? []) : (resolver?.group?.(p.text) ?? []))];
    if (ids.length === 1) {
      if (p.kind === 'tag') p.node.tag = ids[0] as string;
      else p.node.group.id = ids[0] as string;
    } else if (ids.length === 0) problems.push({ offset: p.offset, message: `unknown ${p.kind} '${p.text}'` });
    else
      problems.push({
        offset: p.offset,
        message: `'${p.text}' names ${ids.length} ${p.kind}s; write it ${p.kind === 'tag' && !('group' in ref) ? 'as "group/name" or ' : ''}by id`,
      });
  }
  return problems;
}

// A chat id is checked where it was written, so an unknown one is an error at its column, not
// somewhere in the AST; a name becomes the one chat it names.
function resolveChat(p: Extract<PendingName, { kind: 'chat' }>, resolver: NameResolver | undefined): TextProblem | undefined {
  const resolve = resolver?.chat;
  if (!resolve) return p.byId ? undefined : { offset: p.offset, message: 'group chat names cannot be looked up here; write the id as groupchat:#id' };
  const ids = [...new Set(resolve(p.byId ? { id: p.text } : { name: p.text }))];
  if (p.byId) return ids.includes(p.text) ? undefined : { offset: p.offset, message: `unknown group chat '${p.text}'` };
  if (ids.length === 1) {
    p.node.groupChat.id = ids[0] as string;
    return undefined;
  }
  if (ids.length === 0) return { offset: p.offset, message: `unknown group chat '${p.text}'` };
  return { offset: p.offset, message: `'${p.text}' names ${ids.length} group chats; write it by id` };
}

// The start of the deepest node on an issue's path, so a limit or schema problem found on the
// finished tree still points at a column.
function offsetOf(c: Cursor, root: Expr, path: readonly (string | number)[]): number {
  let node: unknown = root;
  let offset = c.starts.get(root) ?? 0;
  for (const key of path) {
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
    if (node !== null && typeof node === 'object') offset = c.starts.get(node) ?? offset;
  }
  return offset;
}

// The AST path means nothing to someone who typed text; the column says where, and the field
// name of the condition says what.
function textMessage(issue: ExpressionIssue): string {
  const key = [...issue.path].reverse().find((k): k is LeafKind => typeof k === 'string' && (leafKinds as string[]).includes(k));
  return key ? `${textFieldNames[key]}: ${issue.message}` : issue.message;
}
const textFieldNames: Record<LeafKind, string> = {
  tag: 'tag',
  group: 'group',
  addWay: 'source',
  state: 'state',
  added: 'added',
  province: 'province',
  city: 'city',
  region: 'region',
  gender: 'gender',
  company: 'company',
  follower: 'follower',
  department: 'dept',
  attr: 'attr',
  event: 'event',
  groupChat: 'groupchat',
};

/**
 * Parses the text syntax into a validated expression (see the grammar in README.md beside this
 * file). Tag and group names go through `opts.resolve`; every error is `validation_failed` with the
 * line, column and a caret excerpt.
 * @example parseExpression('(tag:购房意向 or tag:看房) and not tag:投诉客户', { resolve: { tag: ({ name }) => library.get(name) ?? [] } })
 * // → { all: [{ any: [{ tag: 'etBuy…' }, { tag: 'etSee…' }] }, { not: { tag: 'etComplaint…' } }] }
 */
export function parseExpression(source: string, opts: ParseOptions = {}): Expr {
  if (source.length > maxExpressionText)
    throw textError(source, [{ offset: maxExpressionText, message: `the expression is longer than ${maxExpressionText} characters` }], opts.path);
  try {
    const c = new Cursor(source);
    if (c.peek().kind === 'end') c.fail(c.peek(), 'expected a condition; the expression is empty');
    const expr = parseOr(c, 0);
    if (c.peek().kind !== 'end') trailing(c);
    const unresolved = resolveNames(c, opts.resolve);
    if (unresolved.length > 0) throw textError(source, unresolved, opts.path);
    const checked = checkExpression(expr);
    if (checked.expr) return checked.expr;
    const problems = checked.issues.map((i) => ({ offset: offsetOf(c, expr, i.path), message: textMessage(i) }));
    throw textError(source, problems, opts.path);
  } catch (e) {
    if (e instanceof SyntaxProblem) throw textError(source, [{ offset: e.offset, message: e.message }], opts.path);
    throw e;
  }
}
