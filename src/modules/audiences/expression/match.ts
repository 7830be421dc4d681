import type { AttrPredicate, EventPredicate, GroupChatPredicate, Leaf } from '../../../../contracts/audience-expression/ast.js';
import { dateInterval, defaultUtcOffsetMinutes, type Interval } from '../../../../contracts/audience-expression/time.js';
import { addWayCodes, codeName, genderCodes } from '../../../../contracts/audience-expression/vocabulary.js';
import { windowInterval } from '../../../../contracts/audience-expression/window.js';
import type { CustomerFacts, FollowFact } from './facts.js';

/** Whether one leaf holds for a customer, and a short reason a person can read in "why in / out". */
export type LeafMatch = { held: boolean; reason: string };

const groupIndex = new WeakMap<ReadonlyMap<string, string>, Map<string, string[]>>();
// Times in reasons read in the corp's zone, as the people asking "why" see them.
const local = (d: Date, offset: number) => new Date(d.getTime() + offset * 60_000).toISOString().slice(0, 16).replace('T', ' ');
const few = (items: readonly string[]) => (items.length > 5 ? `${items.slice(0, 5).join(', ')} …(${items.length})` : items.join(', '));

/** The live tags of a group, from the tag → group map (inverted once per map). */
export function groupTags(tagGroups: ReadonlyMap<string, string>, groupId: string): readonly string[] {
  let index = groupIndex.get(tagGroups);
  if (!index) {
    index = new Map();
    for (const [tag, group] of tagGroups) index.set(group, [...(index.get(group) ?? []), tag]);
    groupIndex.set(tagGroups, index);
  }
  return index.get(groupId) ?? [];
}

// A relation-level predicate holds when some relation satisfies it; the reason names them.
function relations(f: CustomerFacts, test: (r: FollowFact) => boolean, show: (r: FollowFact) => string): LeafMatch {
  const hits = f.follows.filter(test);
  if (hits.length > 0) return { held: true, reason: `relation ${few(hits.map((r) => `${r.userid} (${show(r)})`))}` };
  return {
    held: false,
    reason: f.follows.length === 0 ? 'no follow relations' : `no relation matches: ${few(f.follows.map((r) => `${r.userid} (${show(r)})`))}`,
  };
}

/** Whether `dept` is `root` or below it, walking up `parents` (the index tests its departments the same way). */
export function inSubtree(dept: number, root: number, parents: ReadonlyMap<number, number>): boolean {
  // Bounded walk: a corrupt tree with a cycle must not hang the evaluator.
  for (let d: number | undefined = dept, steps = 0; d !== undefined && steps < 256; d = parents.get(d), steps += 1) if (d === root) return true;
  return false;
}

function value(f: CustomerFacts, field: 'province' | 'city' | 'region', wanted: readonly string[]): LeafMatch {
  // A customer without an own region is in every region of its followers' departments.
  const have = field === 'region' && f.regions ? f.regions : [f[field]];
  const shown = have
    .filter((v) => v !== '')
    .map((v) => JSON.stringify(v))
    .join(', ');
  return { held: have.some((v) => wanted.includes(v)), reason: `${field} is ${shown === '' ? 'empty' : shown}` };
}

const instant = (v: string, offset: number) => dateInterval(v, offset)?.start;

// The value as the attribute's type (a date as its instant), undefined when it is not one.
function typedValue(a: AttrPredicate, raw: unknown, offset: number): string | number | undefined {
  return a.type === 'number'
    ? typeof raw === 'number' && Number.isFinite(raw)
      ? raw
      : undefined
    : a.type === 'date'
      ? typeof raw === 'string'
        ? instant(raw, offset)
        : undefined
      : typeof raw === 'string'
        ? raw
        : undefined;
}

/**
 * Whether a raw attribute value (`undefined` = absent) satisfies an attribute predicate. Pure, so
 * the bitmap index applies the very same test to each distinct stored value. Comparisons need a
 * value of the attribute's type; anything else (absent, null, a string in a number attribute)
 * matches no comparison, `!=` included, as SQL's NULL would not.
 * @example attrValueHolds({ name: 'level', type: 'number', op: 'gte', value: 3 }, 4, 480) // → true
 */
export function attrValueHolds(a: AttrPredicate, raw: unknown, offset: number): boolean {
  if (a.op === 'exists') return raw !== undefined && raw !== null;
  const typed = typedValue(a, raw, offset);
  if (typed === undefined) return false;
  const range = (v: string | number): Interval =>
    a.type === 'date' ? (dateInterval(String(v), offset) ?? { start: NaN, end: NaN }) : { start: Number(v), end: Number(v) };
  const t = typed as number;
  const eq = (v: string | number) => (a.type === 'date' ? t >= range(v).start && t < range(v).end : typed === v);
  switch (a.op) {
    case 'eq':
      return eq(a.value);
    case 'ne':
      return !eq(a.value);
    case 'in':
      return a.values.some(eq);
    case 'contains':
      return typeof typed === 'string' && typed.includes(String(a.value));
    // A date literal is a whole day: `> 2026-01-01` starts the next day, `<= 2026-01-01` ends it.
    case 'gt':
      return a.type === 'date' ? t >= range(a.value).end : t > Number(a.value);
    case 'gte':
      return t >= range(a.value).start;
    case 'lt':
      return t < range(a.value).start;
    case 'lte':
      return a.type === 'date' ? t < range(a.value).end : t <= Number(a.value);
    case 'between':
      return t >= range(a.from).start && (a.type === 'date' ? t < range(a.to).end : t <= Number(a.to));
  }
}

function matchAttr(a: AttrPredicate, f: CustomerFacts, offset: number): LeafMatch {
  const raw = Object.hasOwn(f.attributes, a.name) ? f.attributes[a.name] : undefined;
  const shown = `${a.name} ${raw === undefined || raw === null ? 'is not set' : `is ${JSON.stringify(raw)}`}`;
  const held = attrValueHolds(a, raw, offset);
  const mistyped = a.op !== 'exists' && raw !== undefined && raw !== null && typedValue(a, raw, offset) === undefined;
  return { held, reason: mistyped ? `${shown}, not a ${a.type}` : shown };
}

function matchEvent(e: EventPredicate, f: CustomerFacts, offset: number): LeafMatch {
  const span = e.window ? windowInterval(e.window, f.now.getTime(), offset) : { start: -Infinity, end: Infinity };
  const n = f.events.filter(
    (x) => x.type === e.type && (e.target === undefined || x.target === e.target) && x.at.getTime() >= span.start && x.at.getTime() < span.end,
  ).length;
  const count = e.count ?? { op: 'gte', n: 1 };
  const held = count.op === 'gte' ? n >= count.n : count.op === 'lte' ? n <= count.n : n === count.n;
  return { held, reason: `${n} matching event${n === 1 ? '' : 's'}; needs ${{ gte: '≥', lte: '≤', eq: '=' }[count.op]} ${count.n}` };
}

// A join time as a person reads it: the year only when it is not the current one.
function joined(at: Date, now: Date, offset: number): string {
  const [shown, current] = [local(at, offset), local(now, offset)];
  return shown.slice(0, 4) === current.slice(0, 4) ? shown.slice(5) : shown;
}

function matchGroupChat(g: GroupChatPredicate, f: CustomerFacts, offset: number): LeafMatch {
  const span = g.window ? windowInterval(g.window, f.now.getTime(), offset) : { start: -Infinity, end: Infinity };
  const chats = f.chats.filter((c) => g.id === undefined || c.chatId === g.id);
  const show = (c: { chatId: string; name?: string; joinTime: Date }) => `${c.name || c.chatId} since ${joined(c.joinTime, f.now, offset)}`;
  const hits = chats.filter((c) => c.joinTime.getTime() >= span.start && c.joinTime.getTime() < span.end);
  if (hits.length > 0) return { held: true, reason: `member of ${few(hits.map(show))}` };
  if (chats.length > 0) return { held: false, reason: `member of ${few(chats.map(show))}, joined outside the window` };
  return { held: false, reason: g.id === undefined ? 'in no group chat' : 'not a member' };
}

/**
 * Evaluates one leaf for one customer. Customer-level fields compare the customer's value;
 * relation-level ones (source, state, added, follower, dept) ask whether any relation matches.
 * @example matchLeaf({ tag: 'etA' }, facts) // → { held: true, reason: 'carried by zhangsan' }
 */
export function matchLeaf(leaf: Leaf, f: CustomerFacts): LeafMatch {
  const offset = f.utcOffsetMinutes ?? defaultUtcOffsetMinutes;
  if ('tag' in leaf) {
    const carriers = f.follows.filter((r) => r.tags?.includes(leaf.tag)).map((r) => r.userid);
    if (!f.tags.has(leaf.tag)) return { held: false, reason: 'no relation carries it' };
    return { held: true, reason: carriers.length > 0 ? `carried by ${few(carriers)}` : 'the customer has it' };
  }
  if ('group' in leaf) {
    const members = groupTags(f.tagGroups, leaf.group.id);
    const had = members.filter((t) => f.tags.has(t));
    const missing = members.filter((t) => !f.tags.has(t));
    const has = had.length > 0 ? `has ${few(had)}` : `has none of its ${members.length} tags`;
    if (leaf.group.has === 'any') return { held: had.length > 0, reason: has };
    if (leaf.group.has === 'none') return { held: had.length === 0, reason: has };
    return { held: missing.length === 0, reason: missing.length === 0 ? `has all ${members.length} tags` : `lacks ${few(missing)}` };
  }
  if ('addWay' in leaf)
    return relations(
      f,
      (r) => leaf.addWay.includes(r.addWay),
      (r) => codeName(addWayCodes, r.addWay) ?? `add_way ${r.addWay}`,
    );
  if ('state' in leaf)
    return relations(
      f,
      (r) => leaf.state.includes(r.state),
      (r) => `state ${JSON.stringify(r.state)}`,
    );
  if ('follower' in leaf)
    return relations(
      f,
      (r) => leaf.follower.includes(r.userid),
      () => 'follows',
    );
  if ('added' in leaf) {
    const span = windowInterval(leaf.added, f.now.getTime(), offset);
    return relations(
      f,
      (r) => r.addTime.getTime() >= span.start && r.addTime.getTime() < span.end,
      (r) => `added ${local(r.addTime, offset)}`,
    );
  }
  if ('department' in leaf) {
    const parents = f.departmentParents;
    if (!parents && leaf.department.some((d) => d.subtree))
      throw new Error('dept:N+ needs CustomerFacts.departmentParents; did you forget to load the department tree?');
    const test = (dept: number) => leaf.department.some((d) => dept === d.id || (d.subtree && parents !== undefined && inSubtree(dept, d.id, parents)));
    return relations(
      f,
      (r) => r.departmentIds.some(test),
      (r) => `departments ${r.departmentIds.join(', ') || 'none'}`,
    );
  }
  if ('province' in leaf) return value(f, 'province', leaf.province);
  if ('city' in leaf) return value(f, 'city', leaf.city);
  if ('region' in leaf) return value(f, 'region', leaf.region);
  if ('gender' in leaf) return { held: (leaf.gender as number[]).includes(f.gender), reason: `gender is ${codeName(genderCodes, f.gender) ?? f.gender}` };
  if ('company' in leaf) {
    const { op, value: v } = leaf.company;
    return { held: op === 'eq' ? f.company === v : f.company.includes(v), reason: `company is ${f.company === '' ? 'empty' : JSON.stringify(f.company)}` };
  }
  if ('attr' in leaf) return matchAttr(leaf.attr, f, offset);
  if ('groupChat' in leaf) return matchGroupChat(leaf.groupChat, f, offset);
  return matchEvent(leaf.event, f, offset);
}
