import type { AttrPredicate, EventPredicate, Leaf } from '../../../../contracts/audience-expression/ast.js';
import { isDateLiteral } from '../../../../contracts/audience-expression/time.js';
import { numberPattern } from '../../../../contracts/audience-expression/vocabulary.js';
import type { Token } from './lexer.js';
import { type Cursor, parseRange } from './parse-cursor.js';

type AttrType = AttrPredicate['type'];
const attrTypes: AttrType[] = ['string', 'number', 'date', 'enum'];
const comparisons: Record<string, 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains'> = {
  '=': 'eq',
  '!=': 'ne',
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
  '~': 'contains',
};

/**
 * `attr.NAME[::TYPE] OP …`. Without `::TYPE` the literals decide: all numbers → number, all dates →
 * date, otherwise string (a quoted literal is always a string); `enum` must be written out.
 */
export function parseAttr(c: Cursor, field: Token): Leaf {
  let name = field.text.slice('attr.'.length);
  if (name === '') name = c.peek().kind === 'string' ? c.next().text : c.fail(c.peek(), "expected an attribute name after 'attr.'");
  let type: AttrType | undefined;
  if (c.acceptOp('::')) {
    const t = c.value('::');
    type = attrTypes.find((a) => a === t.text.toLowerCase()) ?? c.fail(t, `unknown attribute type '${t.text}'; expected ${attrTypes.join(', ')}`);
  }
  const label = `attr.${name}`;
  const op = c.acceptOp(...Object.keys(comparisons));
  if (op) {
    const literal = c.value(`${label}${op.text}`);
    // `~` is a text match, so its literal is text even when it looks like a number.
    const [value, inferred] = literals(c, [literal], type ?? (op.text === '~' ? 'string' : undefined));
    if (['>', '>=', '<', '<='].includes(op.text)) ordered(c, literal, op.text, inferred);
    return { attr: { name, type: inferred, op: comparisons[op.text] ?? 'eq', value: value[0] ?? '' } };
  }
  if (c.acceptWord('exists')) return { attr: { name, type: type ?? 'string', op: 'exists' } };
  if (c.acceptWord('in')) {
    c.expectOp('(', `after '${label} in'`);
    const tokens = [c.value(`${label} in (`)];
    while (c.acceptOp(',')) tokens.push(c.value(','));
    c.expectOp(')', `to close the list of ${label} values`);
    const [values, inferred] = literals(c, tokens, type);
    return { attr: { name, type: inferred, op: 'in', values } };
  }
  if (c.acceptWord('between')) {
    const lo = c.value(`${label} between`);
    c.expectOp('..', `between the bounds (${label} between 1..5)`);
    const [[from, to], inferred] = literals(c, [lo, c.value('..')], type);
    ordered(c, lo, 'between', inferred);
    return { attr: { name, type: inferred, op: 'between', from: from ?? '', to: to ?? '' } };
  }
  return c.fail(c.peek(), `expected an operator after '${label}': = != > >= < <= ~ in between exists`);
}

// Said at the literal, where the mistake is, rather than by the schema at the condition's start.
function ordered(c: Cursor, literal: Token, op: string, type: AttrType): void {
  if (type !== 'number' && type !== 'date') c.fail(literal, `'${op}' compares numbers or dates, and '${literal.text}' is neither`);
}

/** Literal tokens as values of the given (or inferred) attribute type. */
function literals(c: Cursor, tokens: Token[], type: AttrType | undefined): [(string | number)[], AttrType] {
  const isNumber = (t: Token) => t.kind === 'word' && numberPattern.test(t.text);
  const effective = type ?? (tokens.every(isNumber) ? 'number' : tokens.every((t) => t.kind === 'date') ? 'date' : 'string');
  const values = tokens.map((t) => {
    if (effective === 'number') {
      const n = Number(t.text);
      if (!isNumber(t) || !Number.isFinite(n)) return c.fail(t, `expected a number for a number attribute, found '${t.text}'`);
      return n;
    }
    if (effective === 'date' && !isDateLiteral(t.text)) return c.fail(t, `'${t.text}' is not a date such as 2026-01-31`);
    return t.text;
  });
  return [values, effective];
}

/**
 * `event:TYPE` with optional `(target=X, count>=2, within=7d)` or `at=FROM..TO`; every option at
 * most once, and `within` or `at`, not both.
 */
export function parseEvent(c: Cursor): Leaf {
  c.expectOp(':', "after 'event'");
  const t = c.value('event:');
  const event: EventPredicate = { type: t.text.toLowerCase() };
  if (!c.acceptOp('(')) return { event };
  const seen = new Set<string>();
  do {
    const key = c.peek();
    const option = key.kind === 'word' ? key.text.toLowerCase() : '';
    if (!['target', 'count', 'within', 'at'].includes(option)) c.fail(key, `expected an event option: target=, count>=, count<=, count=, within= or at=`);
    c.next();
    if (seen.has(option)) c.fail(key, `'${option}' is given twice`);
    if ((option === 'within' && seen.has('at')) || (option === 'at' && seen.has('within'))) c.fail(key, 'give within= or at=, not both');
    seen.add(option);
    if (option === 'count') {
      const op = c.acceptOp('>=', '<=', '=') ?? c.fail(c.peek(), "expected >=, <= or = after 'count'");
      const n = c.peek();
      if (n.kind !== 'word' || !/^\d{1,7}$/.test(n.text)) c.fail(n, `expected a whole number after 'count${op.text}'`);
      c.next();
      event.count = { op: op.text === '>=' ? 'gte' : op.text === '<=' ? 'lte' : 'eq', n: Number(n.text) };
      continue;
    }
    c.expectOp('=', `after '${option}'`);
    if (option === 'target') event.target = c.value('target=').text;
    else if (option === 'within') event.window = { within: c.duration('within=') };
    else event.window = parseRange(c, 'at=');
  } while (c.acceptOp(','));
  c.expectOp(')', `to close the options of event:${event.type}`);
  return { event };
}
