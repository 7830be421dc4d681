import fc from 'fast-check';
import type { AttrPredicate, Leaf, TimeWindow } from '../../../../contracts/audience-expression/ast.js';
import { dateInterval } from '../../../../contracts/audience-expression/time.js';
import type { Db } from '../../../db/client.js';
import { corps, customerEvents, customers, departments, employees, follows, groupChatMembers, groupChats, marks } from '../../../db/schema/index.js';
import type { EvalContext } from '../context.js';
import { type CustomerFacts, customerFacts } from '../expression/facts.js';
import { dateLiteralArbitrary, poolChats, poolGroups, poolTags, testNow, unknownChat } from '../expression/test-support.js';

/** A relation to seed, with the tags on it (a `pt…` tag is a personal one). */
export type SeedFollow = { userid: string; addTime: Date; addWay: number; state: string; tags: string[] };
/** A customer to seed; `orphanTags` are marks by an employee whose relation is gone. */
export type SeedCustomer = {
  externalUserid: string;
  gender: number;
  province: string;
  city: string;
  corpName: string;
  attributes: Record<string, unknown>;
  follows: SeedFollow[];
  orphanTags: string[];
  events: { type: string; target: string; at: Date }[];
  /** Customer group chats the customer is in now (none when left out). */
  chats?: { chatId: string; joinTime: Date }[];
};
/** A whole small corp: its department tree, employees and customers. */
export type CorpData = {
  departments: { deptId: number; parentId: number; region: string | null }[];
  employees: { userid: string; departmentIds: number[] }[];
  customers: SeedCustomer[];
};

/** The personal tag of the property test, owned by (and only ever on relations of) zhangsan. */
export const personalTag = 'ptMine00001';
/** The owner of `personalTag`. */
export const personalOwner = 'zhangsan';

/** The tree of the pools (1 ← 2 ← 3, 4; 1 ← 5 ← 6) plus a corrupt cycle 8 ⇄ 9 nobody may hang on. */
export const testParents = new Map([
  [1, 0],
  [2, 1],
  [3, 2],
  [4, 2],
  [5, 1],
  [6, 5],
  [8, 9],
  [9, 8],
]);

// Stored date strings the reference evaluator must reject, or accept at the edge of a day.
const oddDates = [
  '2026-02-30',
  '2026-02-29',
  '2024-02-29',
  '2026-13-01',
  '2026-00-10',
  '0999-03-01',
  '2026-3-5',
  '２０２６-03-05',
  '2026-03-05\n',
  ' 2026-03-05',
  '2026-03-05t10:00',
  '2026-03-05T10:00z',
  '2026-03-05T24:00',
  '2026-03-05T23:60',
  '2026-03-05T10:00:60',
  '2026-03-05T10:00+15:00',
  '2026-03-05T10:00+14:00',
  '2026-03-05T10:00-05:61',
  '2026-03-05T10:00:00.123456789Z',
  '2026-03-05T10:00:00.5Z',
  '2026-03-05T10:00:00.0004Z',
  '2026-03-05T10',
  '2026-03-05T10:00:00.',
];
// Instants at the edges of 2026-03-05 in the zones the property test draws (+08:00, UTC, -05:30).
const edgeDates = [
  '2026-03-04',
  '2026-03-05',
  '2026-03-06',
  '2026-03-05T00:00',
  '2026-03-05T00:00+08:00',
  '2026-03-04T16:00:00Z',
  '2026-03-04T15:59:59.999Z',
  '2026-03-05T23:59:59.999',
  '2026-03-05T16:00Z',
  '2026-03-05T00:00:00Z',
  '2026-03-05T05:30+05:30',
  '2026-03-04T18:30-05:30',
  '2026-03-05T10:00:00Z',
  '2026-03-05T10:00',
];
/** Date literals for expressions about `birthday`, on the days `edgeDates` straddle. */
export const focusDates = ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-05T10:00:00Z', '2026-03-05T10:00', '2026-03-05T00:00Z'];
const storedValue = fc.oneof(
  fc.integer({ min: 0, max: 5 }),
  fc.constantFrom(2.5, -1, 1e21, 0.1, 3.0000000000000004),
  fc.constantFrom('gold', 'silver', 'VIP', '', 'VIP客户', '3', '5', '100%_off'),
  dateLiteralArbitrary('pool'),
  fc.constantFrom(...oddDates),
  fc.constantFrom(null, true, false, [], { a: 1 }, [3]),
);
const birthday = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...edgeDates) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(...oddDates, null) },
  { weight: 1, arbitrary: storedValue },
);
const attributes = fc
  .record(
    { level: storedValue, tier: storedValue, birthday, note: storedValue, region: fc.constantFrom<unknown>('华东', '华北', '', null, 5) },
    { requiredKeys: [] },
  )
  .map((a): Record<string, unknown> => ({ ...a }));

// Instants on the bounds of `focusWindows` in the three zones the property test draws.
const day = 86_400_000;
const edges = [1, 7, 30].map((d) => testNow.getTime() - d * day).concat(testNow.getTime() - 3_600_000, Date.parse('2026-03-05T10:00:00Z'));
for (const offset of [480, 0, -330]) for (const d of ['2026-03-05', '2026-03-06', '2026-03-07']) edges.push(dateInterval(d, offset)!.start);
/** Windows whose bounds `edges` sit on, for `added` and event conditions. */
export const focusWindows: TimeWindow[] = [
  { within: { amount: 1, unit: 'd' } },
  { within: { amount: 7, unit: 'd' } },
  { within: { amount: 30, unit: 'd' } },
  { within: { amount: 1, unit: 'h' } },
  { from: '2026-03-05' },
  { to: '2026-03-05' },
  { from: '2026-03-05', to: '2026-03-06' },
  { from: '2026-03-05T10:00:00Z' },
  { to: '2026-03-05T10:00:00Z' },
];
// Times near testNow: whole hours, or a window bound, sometimes 1 ms off either way.
const near = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: -90 * 24, max: 24 }).map((h) => testNow.getTime() + h * 3_600_000),
      fc.constantFrom(...edges),
    ),
    fc.constantFrom(0, 0, -1, 1),
  )
  .map(([t, ms]) => new Date(t + ms));
const tagsOn = (userid: string) => fc.subarray(userid === personalOwner ? [...poolTags, personalTag] : poolTags);
const follow = fc.constantFrom('zhangsan', 'lisi', 'wangwu', 'ghost').chain((userid) =>
  fc.record({
    userid: fc.constant(userid),
    addTime: near,
    addWay: fc.constantFrom(0, 1, 2, 201),
    state: fc.constantFrom('', '展会', '官网'),
    tags: tagsOn(userid),
  }),
);
const customer = fc.record({
  gender: fc.constantFrom(0, 1, 2),
  province: fc.constantFrom('上海', '杭州', '北京', ''),
  city: fc.constantFrom('上海', '杭州', '北京', ''),
  corpName: fc.constantFrom('上海科技有限公司', '', '杭州贸易', '科技'),
  attributes,
  follows: fc.uniqueArray(follow, { maxLength: 3, selector: (f) => f.userid }),
  orphanTags: fc.oneof({ weight: 4, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.subarray(poolTags, { maxLength: 1 }) }),
  events: fc.array(
    fc.record({ type: fc.constantFrom('link.clicked', 'live.attended', 'moment.liked', 'message.sent'), target: fc.constantFrom('p1', 'p2', ''), at: near }),
    { maxLength: 5 },
  ),
  chats: fc.uniqueArray(fc.record({ chatId: fc.constantFrom(...poolChats), joinTime: near }), { maxLength: 2, selector: (m) => m.chatId }),
});

/** A random corp: regions on random departments, employees in random departments, up to `max` customers. */
export function corpDataArbitrary(max = 40): fc.Arbitrary<CorpData> {
  const region = fc.constantFrom(null, '', '华东', '华北', '华南');
  const depts = fc.tuple(...[...testParents].map(([deptId, parentId]) => region.map((r) => ({ deptId, parentId, region: r }))));
  const employee = (userid: string) =>
    fc.uniqueArray(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8), { maxLength: 2, size: 'max' }).map((departmentIds) => ({ userid, departmentIds }));
  return fc.record({
    departments: depts,
    employees: fc.tuple(employee('zhangsan'), employee('lisi'), employee('wangwu')),
    customers: fc.array(customer, { maxLength: max, size: 'max' }).map((cs) => cs.map((c, i) => ({ ...c, externalUserid: `wm${String(i).padStart(3, '0')}` }))),
  });
}

/** Date conditions on `birthday` at the day edges the stored values sit on. */
export function focusDateLeaf(): fc.Arbitrary<Leaf> {
  const lit = fc.constantFrom(...focusDates);
  const start = (d: string) => dateInterval(d)?.start ?? 0;
  const attr = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ op: fc.constantFrom('eq' as const, 'ne' as const, 'gt' as const, 'gte' as const, 'lt' as const, 'lte' as const), value: lit }),
    },
    fc.record({ op: fc.constant('in' as const), values: fc.uniqueArray(lit, { minLength: 1, maxLength: 2 }) }),
    fc.tuple(lit, lit).map(([a, b]) => ({ op: 'between' as const, from: start(a) <= start(b) ? a : b, to: start(a) <= start(b) ? b : a })),
    fc.constant({ op: 'exists' as const }),
  );
  return attr.map((a) => ({ attr: { name: 'birthday', type: 'date', ...a } as AttrPredicate }));
}

/** `added`, event and group chat conditions over `focusWindows`, with the counts that matter most (none, one, some). */
export function focusWindowLeaf(): fc.Arbitrary<Leaf> {
  const window = fc.constantFrom(...focusWindows);
  const count = fc.option(
    fc.constantFrom({ op: 'gte' as const, n: 2 }, { op: 'lte' as const, n: 0 }, { op: 'eq' as const, n: 1 }, { op: 'lte' as const, n: 1 }),
    { nil: undefined },
  );
  const event = fc
    .tuple(fc.constantFrom('link.clicked', 'live.attended', 'moment.liked', 'message.sent'), count, window)
    .map(([type, n, w]) => ({ event: { type, window: w, ...(n ? { count: n } : {}) } }));
  const chat = fc
    .tuple(fc.option(fc.constantFrom(...poolChats, unknownChat), { nil: undefined }), window)
    .map(([id, w]): Leaf => ({ groupChat: { ...(id === undefined ? {} : { id }), window: w } }));
  return fc.oneof(
    window.map((added) => ({ added })),
    event,
    chat,
  );
}

/** Writes a corp's data (the corp row first) straight into the tables, bypassing the commands. */
export async function seedCorp(db: Db, corpId: string, data: CorpData): Promise<void> {
  await db.insert(corps).values({ corpId, name: corpId });
  await db
    .insert(departments)
    .values(data.departments.map((d) => ({ corpId, deptId: d.deptId, name: `部门${d.deptId}`, parentId: d.parentId, region: d.region })));
  await db.insert(employees).values(data.employees.map((e) => ({ corpId, userid: e.userid, name: e.userid, departmentIds: e.departmentIds })));
  if (data.customers.length === 0) return;
  await db.insert(customers).values(
    data.customers.map((c, i) => ({
      corpId,
      externalUserid: c.externalUserid,
      seq: i + 1,
      name: c.externalUserid,
      gender: c.gender,
      province: c.province,
      city: c.city,
      corpName: c.corpName,
      attributes: c.attributes,
    })),
  );
  const rels = data.customers.flatMap((c) =>
    c.follows.map((f) => ({ corpId, userid: f.userid, externalUserid: c.externalUserid, addTime: f.addTime, addWay: f.addWay, state: f.state })),
  );
  if (rels.length > 0) await db.insert(follows).values(rels);
  const markRows = data.customers.flatMap((c) =>
    [...c.follows.flatMap((f) => f.tags.map((t) => [f.userid, t] as const)), ...c.orphanTags.map((t) => ['gone', t] as const)].map(([userid, tagId]) => ({
      corpId,
      externalUserid: c.externalUserid,
      userid,
      tagId,
      personal: tagId.startsWith('pt') ? 1 : 0,
      createdBy: userid,
    })),
  );
  if (markRows.length > 0) await db.insert(marks).values(markRows);
  const eventRows = data.customers.flatMap((c) =>
    c.events.map((e) => ({ corpId, externalUserid: c.externalUserid, type: e.type, target: e.target, occurredAt: e.at })),
  );
  if (eventRows.length > 0) await db.insert(customerEvents).values(eventRows);
  await db.insert(groupChats).values([...poolChats, unknownChat].map((chatId) => ({ corpId, chatId, name: chatId, owner: 'zhangsan' })));
  const memberRows = [
    ...data.customers.flatMap((c) => (c.chats ?? []).map((m) => ({ ...m, memberId: c.externalUserid, type: 2 }))),
    // An employee member is no customer, even with a customer's id (in a chat no customer is in).
    ...data.customers.slice(0, 1).map((c) => ({ chatId: unknownChat, joinTime: new Date(testNow.getTime() - 3_600_000), memberId: c.externalUserid, type: 1 })),
  ];
  if (memberRows.length > 0)
    await db
      .insert(groupChatMembers)
      .values(memberRows.map((m) => ({ corpId, chatId: m.chatId, memberId: m.memberId, type: m.type, joinTime: m.joinTime, joinScene: 1 })));
}

/** The evaluation context of the property test, in a zone drawn by the caller. */
export function testContext(utcOffsetMinutes?: number): EvalContext {
  return { now: testNow, tagGroups: poolGroups, departmentParents: testParents, ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }) };
}

/**
 * A customer's facts computed from the seed data in memory, independently of facts.ts, so that a
 * loader bug cannot hide behind the compiler agreeing with it.
 */
export function seedFacts(data: CorpData, c: SeedCustomer, ctx: EvalContext): CustomerFacts {
  const depts = new Map(data.departments.map((d) => [d.deptId, d]));
  const regionOf = (id: number): string | null => {
    for (let d = depts.get(id), n = 0; d && n < 64; d = depts.get(d.parentId), n += 1) if (d.region) return d.region;
    return null;
  };
  const deptsOf = (userid: string) => data.employees.find((e) => e.userid === userid)?.departmentIds ?? [];
  const own = c.attributes.region === undefined || c.attributes.region === null ? '' : String(c.attributes.region);
  const regions = own !== '' ? [own] : [...new Set(c.follows.flatMap((f) => deptsOf(f.userid).map(regionOf)).filter((r) => r !== null))];
  return customerFacts({
    now: ctx.now,
    ...(ctx.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: ctx.utcOffsetMinutes }),
    tagGroups: ctx.tagGroups,
    departmentParents: ctx.departmentParents,
    tags: c.orphanTags,
    follows: c.follows.map((f) => ({ userid: f.userid, departmentIds: deptsOf(f.userid), addTime: f.addTime, addWay: f.addWay, state: f.state, tags: f.tags })),
    province: c.province,
    city: c.city,
    region: regions[0] ?? '',
    regions,
    gender: c.gender,
    company: c.corpName,
    attributes: c.attributes,
    events: c.events,
    chats: c.chats ?? [],
  });
}
