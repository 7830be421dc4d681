import fc from 'fast-check';
import type { AttrPredicate, Expr, Leaf, TimeWindow } from '../../../../contracts/audience-expression/ast.js';
import { dateInterval } from '../../../../contracts/audience-expression/time.js';
import { type CustomerFacts, customerFacts } from './facts.js';
import type { NameResolver } from './parse.js';

/**
 * fast-check generators for the expression tests. `wild` draws awkward strings (keywords, quotes,
 * dates, CJK, control characters) to stress the printer and parser; `pool` draws from the small
 * vocabularies that `factsArbitrary` uses, so generated conditions actually hit customers.
 */
export type Mode = 'wild' | 'pool';

/** The fixed evaluation time of the semantic tests: 2026-04-01 00:00 in Shanghai. */
export const testNow = new Date('2026-04-01T00:00:00+08:00');
/** The tag ids `pool` expressions and generated customers share. */
export const poolTags = ['etTagA00001', 'etTagB00001', 'etTagC00001', 'etTagD00001', 'etTagE00001'];
/** Tag → group of the pool; group etGrpZ00001 has no tags, so its any / all / none are exercised. */
export const poolGroups = new Map([
  ['etTagA00001', 'etGrpX00001'],
  ['etTagB00001', 'etGrpX00001'],
  ['etTagC00001', 'etGrpY00001'],
]);
const poolGroupIds = ['etGrpX00001', 'etGrpY00001', 'etGrpZ00001'];
/** The group chat ids `pool` expressions and generated customers share. */
export const poolChats = ['wrChatA00001', 'wrChatB00001', 'wrChatC00001'];
/** A chat id no generated customer is in (and, in the index, never interned). */
export const unknownChat = 'wrChatZ00001';
const userids = ['zhangsan', 'lisi', 'wangwu'];
const places = ['上海', '杭州', '北京', ''];
const eventTypes = ['link.clicked', 'live.attended', 'moment.liked', 'message.sent'];
const tricky = [
  'and',
  'OR',
  'not',
  'in',
  'exists',
  '2026-01-01',
  '2026-01-01T09:00',
  '1',
  '-3.5',
  '1e+21',
  'a..b',
  'a.',
  '.a',
  'a b',
  'x"y',
  "it's",
  'back\\slash',
  'tag:x',
  '#x',
  '(',
  '购房意向',
  '客户等级/A级',
  '（全角）',
  '',
  'etAJ2GCAAAXtWyujaWJ',
  'students',
  '\n\t',
  '\u0001',
  '3+',
  '“引号”',
  '😀',
];

const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 1, maxLength: 3 });

function text(mode: Mode, pool: readonly string[]): fc.Arbitrary<string> {
  if (mode === 'pool') return fc.constantFrom(...pool);
  return fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.string({ unit: 'grapheme', maxLength: 5 }),
    fc.string({ unit: 'binary', maxLength: 5 }),
    fc.constantFrom(...tricky),
  );
}

/** A valid ISO date or date-time literal, in 2026 for `pool`, 1990–2060 otherwise. */
export function dateLiteralArbitrary(mode: Mode): fc.Arbitrary<string> {
  const two = (n: number) => String(n).padStart(2, '0');
  const year = mode === 'pool' ? fc.constant(2026) : fc.integer({ min: 1990, max: 2060 });
  const month = mode === 'pool' ? fc.integer({ min: 2, max: 4 }) : fc.integer({ min: 1, max: 12 });
  const time = fc.tuple(
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.integer({ min: 0, max: 59 })),
    fc.constantFrom('', 'Z', '+08:00', '-05:30'),
  );
  return fc.tuple(year, month, fc.integer({ min: 1, max: 28 }), fc.option(time)).map(([y, m, d, t]) => {
    const date = `${y}-${two(m)}-${two(d)}`;
    return t ? `${date}T${two(t[0])}:${two(t[1])}${t[2] === null ? '' : `:${two(t[2])}`}${t[3]}` : date;
  });
}

const start = (d: string) => dateInterval(d)?.start ?? 0;
const ordered = (a: fc.Arbitrary<string>) => fc.tuple(a, a).map(([x, y]) => (start(x) <= start(y) ? [x, y] : [y, x]) as [string, string]);

function windowArbitrary(mode: Mode): fc.Arbitrary<TimeWindow> {
  const within = fc.oneof(
    fc.record({ amount: fc.integer({ min: 1, max: mode === 'pool' ? 60 : 3650 }), unit: fc.constant('d' as const) }),
    fc.record({ amount: fc.integer({ min: 1, max: mode === 'pool' ? 1500 : 87_600 }), unit: fc.constant('h' as const) }),
  );
  const range = fc
    .tuple(ordered(dateLiteralArbitrary(mode)), fc.constantFrom('both', 'from', 'to', 'same'))
    .map(([[from, to], which]): TimeWindow => (which === 'both' ? { from, to } : which === 'from' ? { from } : which === 'to' ? { to } : { from, to: from }));
  return fc.oneof(
    within.map((w) => ({ within: w })),
    range,
  );
}

function attrArbitrary(mode: Mode): fc.Arbitrary<AttrPredicate> {
  const name = mode === 'pool' ? fc.constantFrom('level', 'tier', 'birthday', 'note') : text('wild', []).filter((s) => s !== '');
  const num = mode === 'pool' ? fc.integer({ min: 0, max: 5 }) : fc.double({ noNaN: true, noDefaultInfinity: true });
  const str = text(mode, ['gold', 'silver', 'VIP', '']);
  const typed = (type: AttrPredicate['type'], value: fc.Arbitrary<string | number>, ops: string[], sort: (a: string | number, b: string | number) => number) =>
    fc.tuple(name, fc.constantFrom(...ops), value, list(value), fc.tuple(value, value)).map(([n, op, v, vs, pair]): AttrPredicate => {
      if (op === 'exists') return { name: n, type, op };
      if (op === 'in') return { name: n, type, op, values: vs };
      if (op === 'between') {
        const [from, to] = [...pair].sort(sort) as [string | number, string | number];
        return { name: n, type, op, from, to };
      }
      return { name: n, type, op: op as 'eq', value: v };
    });
  return fc.oneof(
    typed('string', str, ['eq', 'ne', 'in', 'contains', 'exists'], () => 0),
    typed('enum', str, ['eq', 'ne', 'in', 'exists'], () => 0),
    typed('number', num, ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'], (a, b) => Number(a) - Number(b)),
    typed('date', dateLiteralArbitrary(mode), ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'], (a, b) => start(String(a)) - start(String(b))),
  );
}

/** One valid leaf condition of any kind. */
export function leafArbitrary(mode: Mode): fc.Arbitrary<Leaf> {
  const id = mode === 'pool' ? fc.constantFrom(...poolTags) : text('wild', []).filter((s) => s !== '');
  const count = fc.record({ op: fc.constantFrom('gte' as const, 'lte' as const, 'eq' as const), n: fc.integer({ min: 0, max: 4 }) });
  const eventType =
    mode === 'pool' ? fc.constantFrom(...eventTypes) : fc.oneof(fc.constantFrom(...eventTypes), fc.stringMatching(/^[a-z][a-z0-9_]{0,3}\.[a-z][a-z_]{0,3}$/));
  const event = fc.record({ type: eventType, target: text(mode, ['p1', 'p2']), count, window: windowArbitrary(mode) }, { requiredKeys: ['type'] });
  return fc.oneof(
    id.map((tag) => ({ tag })),
    fc
      .record({ id: mode === 'pool' ? fc.constantFrom(...poolGroupIds) : id, has: fc.constantFrom('any' as const, 'all' as const, 'none' as const) })
      .map((group) => ({ group })),
    list(fc.constantFrom(0, 1, 2, 3, 201, 202, 7, 999)).map((addWay) => ({ addWay })),
    list(text(mode, ['', '展会', '官网'])).map((state) => ({ state })),
    windowArbitrary(mode).map((added) => ({ added })),
    list(text(mode, places)).map((province) => ({ province })),
    list(text(mode, places)).map((city) => ({ city })),
    list(text(mode, ['华东', '华北', ''])).map((region) => ({ region })),
    list(fc.constantFrom(0 as const, 1 as const, 2 as const)).map((gender) => ({ gender })),
    fc.record({ op: fc.constantFrom('eq' as const, 'contains' as const), value: text(mode, ['科技', '上海科技有限公司', '']) }).map((company) => ({ company })),
    list(mode === 'pool' ? fc.constantFrom(...userids) : id).map((follower) => ({ follower })),
    list(fc.record({ id: fc.integer({ min: 0, max: 6 }), subtree: fc.boolean() })).map((department) => ({ department })),
    attrArbitrary(mode).map((attr) => ({ attr })),
    event.map((e) => ({ event: e })),
    groupChatArbitrary(mode, id),
  );
}

/** A group chat condition: one chat (from the pool, or one nobody is in) or any, with or without a join window. */
export function groupChatArbitrary(mode: Mode, id: fc.Arbitrary<string> = text('wild', []).filter((s) => s !== '')): fc.Arbitrary<Leaf> {
  const chat = mode === 'pool' ? fc.constantFrom(...poolChats, unknownChat) : fc.oneof(id, fc.constantFrom(...poolChats, '*', 'wr1'));
  return fc
    .record({ id: chat, window: windowArbitrary(mode) }, { requiredKeys: [] })
    .map((g): Leaf => ({ groupChat: { ...(g.id === undefined ? {} : { id: g.id }), ...(g.window === undefined ? {} : { window: g.window }) } }));
}

/**
 * A valid expression: nested all / any / not over leaves, within the depth and node limits. `leaf`
 * replaces the leaf generator, e.g. to mix in a personal tag the pools do not know.
 */
export function exprArbitrary(mode: Mode, leaf: fc.Arbitrary<Leaf> = leafArbitrary(mode)): fc.Arbitrary<Expr> {
  const { expr } = fc.letrec<{ expr: Expr; all: Expr; any: Expr; not: Expr }>((tie) => ({
    expr: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('all'), tie('any'), tie('not')),
    all: list(tie('expr')).map((all) => ({ all })),
    any: list(tie('expr')).map((any) => ({ any })),
    not: tie('expr').map((not) => ({ not })),
  }));
  return expr;
}

/** A customer drawn from the same pools, with relations, events and attributes near `testNow`. */
export function factsArbitrary(): fc.Arbitrary<CustomerFacts> {
  const near = fc.integer({ min: -90 * 24, max: 24 }).map((h) => new Date(testNow.getTime() + h * 3_600_000));
  const follow = fc.record({
    userid: fc.constantFrom(...userids),
    departmentIds: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 2 }),
    addTime: near,
    addWay: fc.constantFrom(0, 1, 2, 201),
    state: fc.constantFrom('', '展会', '官网'),
    tags: fc.subarray(poolTags),
  });
  const event = fc
    .record({ type: fc.constantFrom(...eventTypes), target: fc.constantFrom('p1', 'p2', undefined), at: near })
    .map(({ target, ...e }) => (target === undefined ? e : { ...e, target }));
  const attributes = fc.record(
    {
      level: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant('3'), fc.constant(null)),
      tier: fc.constantFrom('gold', 'silver', 'VIP'),
      birthday: dateLiteralArbitrary('pool'),
      note: fc.constantFrom('VIP客户', 'gold', ''),
    },
    { requiredKeys: [] },
  );
  const chats = fc.uniqueArray(fc.record({ chatId: fc.constantFrom(...poolChats), joinTime: near }), { maxLength: 2, selector: (c) => c.chatId });
  return fc
    .record({
      follows: fc.array(follow, { maxLength: 3 }),
      chats,
      province: fc.constantFrom(...places),
      city: fc.constantFrom(...places),
      region: fc.constantFrom('华东', '华北', ''),
      gender: fc.constantFrom(0, 1, 2),
      company: fc.constantFrom('上海科技有限公司', '', '杭州贸易'),
      attributes,
      events: fc.array(event, { maxLength: 5 }),
    })
    .map((f) =>
      customerFacts({
        ...f,
        now: testNow,
        tagGroups: poolGroups,
        departmentParents: new Map([
          [1, 0],
          [2, 1],
          [3, 2],
          [4, 2],
          [5, 1],
          [6, 5],
        ]),
      }),
    );
}

/** A small tag library: 'A级' exists in two groups, so it is ambiguous without its group. */
export const tags: [group: string, name: string, id: string][] = [
  ['意向', '购房意向', 'etBuy0000001'],
  ['意向', '看房', 'etSee0000001'],
  ['投诉', '投诉客户', 'etCmp0000001'],
  ['客户等级', 'A级', 'etLvA0000001'],
  ['活动', 'A级', 'etActA000001'],
  ['人群', 'students', 'etStu0000001'],
];
/** Resolves names against `tags` as a real caller would against the corp's tag library. */
export const resolve: NameResolver = {
  tag: ({ group, name }) => tags.filter(([g, n]) => n === name && (group === undefined || g === group)).map(([, , id]) => id),
  group: (name) => (name === '客户等级' ? ['etGrpLevel01'] : []),
};

const t = (iso: string) => new Date(iso);

/**
 * 王女士, the table-driven tests' customer: two relations whose tags differ (zhangsan carries
 * 购房意向 and A级, lisi carries 看房 and 投诉客户), the shape on which peers' AND and NOT break.
 */
export const wang = customerFacts({
  now: testNow,
  follows: [
    {
      userid: 'zhangsan',
      departmentIds: [3],
      addTime: t('2026-03-20T10:00:00+08:00'),
      addWay: 1,
      state: '2026春季展会',
      tags: ['etBuy0000001', 'etLvA0000001'],
    },
    { userid: 'lisi', departmentIds: [6], addTime: t('2025-12-01T09:00:00+08:00'), addWay: 202, state: '', tags: ['etSee0000001', 'etCmp0000001'] },
  ],
  tagGroups: new Map([
    ['etBuy0000001', 'etGrpIntent1'],
    ['etSee0000001', 'etGrpIntent1'],
    ['etLvA0000001', 'etGrpLevel01'],
    ['etLvB0000001', 'etGrpLevel01'],
    ['etCmp0000001', 'etGrpCompl01'],
  ]),
  // 1 corp ← 2 华东大区 ← 3 上海销售部 / 4 杭州销售部; 1 ← 5 华北大区 ← 6 北京销售部
  departmentParents: new Map([
    [2, 1],
    [3, 2],
    [4, 2],
    [5, 1],
    [6, 5],
  ]),
  province: '上海',
  city: '上海',
  region: '华东',
  gender: 2,
  company: '上海某某科技有限公司',
  attributes: { level: 3, tier: 'gold', birthday: '1990-05-01', note: 'VIP客户', code: '007', score: '5', empty: null },
  events: [
    { type: 'link.clicked', target: 'p1', at: t('2026-03-28T10:00:00+08:00') },
    { type: 'link.clicked', target: 'p1', at: t('2026-03-30T10:00:00+08:00') },
    { type: 'link.clicked', target: 'p2', at: t('2026-02-01T10:00:00+08:00') },
    { type: 'live.attended', target: 'L1', at: t('2026-03-15T20:00:00+08:00') },
    { type: 'message.sent', target: '退款', at: t('2026-03-31T23:00:00+08:00') },
  ],
});
