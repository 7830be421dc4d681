import type { Expr, Leaf } from '../../../../contracts/audience-expression/ast.js';
import { addWayCodes, fieldNames, genderCodes, idPattern } from '../../../../contracts/audience-expression/vocabulary.js';
import type { Token } from './lexer.js';
import { parseGroupChat } from './parse-chat.js';
import { type Cursor, parseWindow } from './parse-cursor.js';
import { parseAttr, parseEvent } from './parse-facts.js';

// Field spellings, including aliases, mapped to the parser of what follows the field name.
const fields: Record<string, (c: Cursor, field: Token) => Leaf> = {
  tag: parseTag,
  group: parseGroup,
  source: (c) => ({ addWay: list(c, 'source', (t) => code(c, t, addWayCodes, 'source')) }),
  addway: (c) => ({ addWay: list(c, 'addway', (t) => code(c, t, addWayCodes, 'source')) }),
  state: (c) => ({ state: list(c, 'state', (t) => t.text) }),
  added: (c) => {
    c.expectOp(':', "after 'added'");
    return { added: parseWindow(c, 'added:') };
  },
  province: (c) => ({ province: list(c, 'province', (t) => t.text) }),
  city: (c) => ({ city: list(c, 'city', (t) => t.text) }),
  region: (c) => ({ region: list(c, 'region', (t) => t.text) }),
  gender: (c) => ({ gender: list(c, 'gender', (t) => code(c, t, genderCodes, 'gender')) as (0 | 1 | 2)[] }),
  company: parseCompany,
  follower: (c) => ({ follower: list(c, 'follower', (t) => t.text) }),
  dept: (c) => ({ department: list(c, 'dept', (t) => department(c, t)) }),
  department: (c) => ({ department: list(c, 'department', (t) => department(c, t)) }),
  event: parseEvent,
  groupchat: parseGroupChat,
};

/**
 * One condition, from its field name on: `tag:…`, `province in (…)`, `attr.level>=3`, `event:…`.
 * Field names are case-insensitive; a misspelt one gets a "did you mean".
 */
export function parsePredicate(c: Cursor): Expr {
  const t = c.peek();
  const prev = c.previous();
  if (t.kind !== 'word') {
    const after = prev ? ` after '${prev.text}'` : '';
    return c.fail(t, t.kind === 'end' ? `expected a condition${after}` : `expected a condition${after}, found '${t.text}'`);
  }
  const name = t.text.toLowerCase();
  if (name === 'and' || name === 'or') return c.fail(t, `expected a condition${prev ? ` after '${prev.text}'` : ''}, found '${t.text}'`);
  c.next();
  const parse = name.startsWith('attr.') ? parseAttr : Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (parse) return c.mark(parse(c, t), t.start);
  if (/^[（【「]/.test(t.text)) return c.fail(t, `full-width '${t.text[0]}': group with ASCII parentheses ( )`);
  const guess = fieldNames.find((f) => distance(f, name) <= (f.length > 4 ? 2 : 1));
  if (c.peek().kind === 'op' && [':', '~', '=', '>', '<', '>=', '<='].includes(c.peek().text)) {
    return c.fail(t, `unknown field '${t.text}'${guess ? ` (did you mean '${guess}'?)` : `; expected one of ${fieldNames.join(', ')}`}`);
  }
  return c.fail(t, `expected a condition such as tag:${t.text}, found '${t.text}'`);
}

/** `field:value` or `field in (v1, v2, …)`. */
function list<T>(c: Cursor, field: string, convert: (t: Token) => T): T[] {
  if (c.acceptOp(':')) return [convert(c.value(`${field}:`))];
  if (c.acceptWord('in')) {
    c.expectOp('(', `after '${field} in'`);
    const out = [convert(c.value(`${field} in (`))];
    while (c.acceptOp(',')) out.push(convert(c.value(',')));
    c.expectOp(')', `to close the list of ${field} values`);
    return out;
  }
  return c.fail(c.peek(), `expected ':' or 'in (…)' after '${field}'`);
}

function code(c: Cursor, t: Token, table: Readonly<Record<string, number>>, what: string): number {
  const word = t.text.toLowerCase();
  if (Object.hasOwn(table, word)) return table[word] as number;
  if (/^\d{1,9}$/.test(t.text)) return Number(t.text);
  return c.fail(t, `unknown ${what} '${t.text}'; expected ${Object.keys(table).join(', ')} or a number`);
}

function department(c: Cursor, t: Token): { id: number; subtree: boolean } {
  const m = /^(\d{1,10})(\+?)$/.exec(t.text);
  if (!m) return c.fail(t, `a department is its id, with + for its subtree (dept:3+), not '${t.text}'`);
  return { id: Number(m[1]), subtree: m[2] === '+' };
}

/** A tag or group reference: `#id`, an id-shaped word, or a name for the resolver. */
function reference(c: Cursor, after: string): { id: string } | { name: string; offset: number } {
  if (c.acceptOp('#')) return { id: c.value(`${after}#`).text };
  const t = c.value(after);
  return t.kind === 'word' && idPattern.test(t.text) ? { id: t.text } : { name: t.text, offset: t.start };
}

function parseTag(c: Cursor): Leaf {
  c.expectOp(':', "after 'tag'");
  const ref = reference(c, 'tag:');
  const node = { tag: 'id' in ref ? ref.id : '' };
  if ('name' in ref) c.pending.push({ kind: 'tag', text: ref.name, offset: ref.offset, node });
  return node;
}

function parseGroup(c: Cursor): Leaf {
  c.expectOp(':', "after 'group'");
  const ref = reference(c, 'group:');
  c.expectOp(':', 'after the group, then any, all or none (group:ID:any)');
  const has = c.acceptWord('any', 'all', 'none') ?? c.fail(c.peek(), "expected any, all or none after the group's ':'");
  const node = { group: { id: 'id' in ref ? ref.id : '', has: has.text.toLowerCase() as 'any' | 'all' | 'none' } };
  if ('name' in ref) c.pending.push({ kind: 'group', text: ref.name, offset: ref.offset, node });
  return node;
}

function parseCompany(c: Cursor): Leaf {
  const op = c.acceptOp(':', '~') ?? c.fail(c.peek(), "expected ':' (equals) or '~' (contains) after 'company'");
  return { company: { op: op.text === '~' ? 'contains' : 'eq', value: c.value(`company${op.text}`).text } };
}

// Edit distance with adjacent transpositions (optimal string alignment), so `tga` suggests `tag`.
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
