import type { AttrPredicate, EventPredicate, Expr, GroupChatPredicate, Leaf, TimeWindow } from '../../../../contracts/audience-expression/ast.js';
import { addWayCodes, anyChat, chatIdPattern, codeName, genderCodes, idPattern, numberPattern } from '../../../../contracts/audience-expression/vocabulary.js';
import { tokenize } from './lexer.js';
import { normalize } from './normalize.js';

/**
 * Options of `printExpression`: labels print tags, groups and group chats by name
 * (`tag:"客户等级/A级"`, `groupchat:3月活动群`) for people; without them ids are printed, which is
 * the canonical, resolver-free form.
 */
export type PrintOptions = {
  tagLabel?: (id: string) => string | undefined;
  groupLabel?: (id: string) => string | undefined;
  chatLabel?: (id: string) => string | undefined;
};

const controls = /[\u0000-\u001f\u007f]/;

/** True when `s` lexes back as exactly one bare word with the same text. */
function isBareWord(s: string): boolean {
  if (s === '' || controls.test(s)) return false;
  try {
    const tokens = tokenize(s);
    return tokens.length === 2 && tokens[0]?.kind === 'word' && tokens[0].text === s;
  } catch {
    return false;
  }
}

/** A string literal: bare when it lexes as itself, otherwise double-quoted with escapes. */
export function printText(s: string): string {
  return isBareWord(s) ? s : quote(s);
}

function quote(s: string): string {
  const escaped = s.replace(/[\\"\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === '\\' || ch === '"') return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

// An id prints bare only when the parser would read that word as an id; otherwise `#…` says so.
// A label prints bare only when the parser would read it back as a name.
function printRef(id: string, label: string | undefined, pattern = idPattern): string {
  if (label !== undefined) return isBareWord(label) && !pattern.test(label) && label !== anyChat ? label : quote(label);
  return pattern.test(id) ? id : `#${printText(id)}`;
}

function printList<T>(field: string, values: readonly T[], show: (v: T) => string): string {
  return values.length === 1 ? `${field}:${show(values[0] as T)}` : `${field} in (${values.map(show).join(', ')})`;
}

function printRange(w: Extract<TimeWindow, { from?: string }>): string {
  return w.from !== undefined && w.from === w.to ? w.from : `${w.from ?? ''}..${w.to ?? ''}`;
}

function printWindow(w: TimeWindow): string {
  return 'within' in w ? `within(${w.within.amount}${w.within.unit})` : printRange(w);
}

// A string value of an attribute must not read back as a number or a date, or the type would change.
function attrLiteral(v: string | number, type: AttrPredicate['type']): string {
  if (typeof v === 'number') return String(v);
  if (type === 'date') return v;
  return isBareWord(v) && !numberPattern.test(v) ? v : quote(v);
}

function printAttr(a: AttrPredicate): string {
  const name = isBareWord(a.name) && !a.name.startsWith('.') ? `attr.${a.name}` : `attr.${quote(a.name)}`;
  const inferred = a.op === 'exists' ? 'string' : a.type === 'enum' ? 'string' : a.type;
  const head = inferred === a.type ? name : `${name}::${a.type}`;
  const lit = (v: string | number) => attrLiteral(v, a.type);
  const ops = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=', contains: '~' } as const;
  switch (a.op) {
    case 'exists':
      return `${head} exists`;
    case 'in':
      return `${head} in (${a.values.map(lit).join(', ')})`;
    case 'between':
      return `${head} between ${lit(a.from)}..${lit(a.to)}`;
    default:
      return `${head}${ops[a.op]}${lit(a.value)}`;
  }
}

function printEvent(e: EventPredicate): string {
  const options: string[] = [];
  if (e.target !== undefined) options.push(`target=${printText(e.target)}`);
  if (e.count) options.push(`count${{ gte: '>=', lte: '<=', eq: '=' }[e.count.op]}${e.count.n}`);
  if (e.window) options.push('within' in e.window ? `within=${e.window.within.amount}${e.window.within.unit}` : `at=${printRange(e.window)}`);
  return options.length > 0 ? `event:${e.type}(${options.join(', ')})` : `event:${e.type}`;
}

function printGroupChat(g: GroupChatPredicate, label: string | undefined): string {
  const chat = g.id === undefined ? anyChat : printRef(g.id, label, chatIdPattern);
  if (!g.window) return `groupchat:${chat}`;
  return `groupchat:${chat}(${'within' in g.window ? `within=${g.window.within.amount}${g.window.within.unit}` : `at=${printRange(g.window)}`})`;
}

/** One leaf condition in the text syntax. */
export function printLeaf(leaf: Leaf, opts: PrintOptions = {}): string {
  if ('tag' in leaf) return `tag:${printRef(leaf.tag, opts.tagLabel?.(leaf.tag))}`;
  if ('group' in leaf) return `group:${printRef(leaf.group.id, opts.groupLabel?.(leaf.group.id))}:${leaf.group.has}`;
  if ('addWay' in leaf) return printList('source', leaf.addWay, (v) => codeName(addWayCodes, v) ?? String(v));
  if ('gender' in leaf) return printList('gender', leaf.gender, (v) => codeName(genderCodes, v) ?? String(v));
  if ('department' in leaf) return printList('dept', leaf.department, (d) => `${d.id}${d.subtree ? '+' : ''}`);
  if ('added' in leaf) return `added:${printWindow(leaf.added)}`;
  if ('company' in leaf) return `company${leaf.company.op === 'contains' ? '~' : ':'}${printText(leaf.company.value)}`;
  if ('attr' in leaf) return printAttr(leaf.attr);
  if ('event' in leaf) return printEvent(leaf.event);
  if ('groupChat' in leaf) return printGroupChat(leaf.groupChat, leaf.groupChat.id === undefined ? undefined : opts.chatLabel?.(leaf.groupChat.id));
  if ('state' in leaf) return printList('state', leaf.state, printText);
  if ('province' in leaf) return printList('province', leaf.province, printText);
  if ('city' in leaf) return printList('city', leaf.city, printText);
  if ('region' in leaf) return printList('region', leaf.region, printText);
  return printList('follower', leaf.follower, printText);
}

function printNode(e: Expr, nested: boolean, opts: PrintOptions): string {
  if ('all' in e || 'any' in e) {
    const [children, joiner] = 'all' in e ? [e.all, ' and '] : [e.any, ' or '];
    const text = children.map((child) => printNode(child, true, opts)).join(joiner);
    // Parentheses even where precedence makes them optional (an `and` inside an `or`): the
    // grouping is what peers get wrong, so the canonical text spells it out.
    return nested ? `(${text})` : text;
  }
  if ('not' in e) return `not ${printNode(e.not, true, opts)}`;
  return printLeaf(e, opts);
}

/**
 * The canonical text of an expression: normalized first, so two equal expressions print the same,
 * and `parseExpression(printExpression(e))` deep-equals `normalize(e)`.
 * @example printExpression({ all: [{ not: { tag: 'etX0000001' } }, { any: [{ tag: 'etB0000001' }, { tag: 'etA0000001' }] }] })
 * // → 'not tag:etX0000001 and (tag:etA0000001 or tag:etB0000001)'
 */
export function printExpression(e: Expr, opts: PrintOptions = {}): string {
  return printNode(normalize(e), false, opts);
}
