import fc from 'fast-check';
import type { Db } from '../../../db/client.js';
import { customerEvents, customers, departments, employees, follows, groupChatMembers, groupChats, marks, personalTags } from '../../../db/schema/index.js';
import { dateLiteralArbitrary, poolChats, poolTags, testNow, unknownChat } from '../expression/test-support.js';

// Test-only: a small random corp written straight into the tables (no commands, no events), with
// the awkward cases the evaluators must agree on: several relations per customer, followers
// without an employee row, marks whose relation is gone, mistyped custom attributes, events of
// customers that do not exist, departments without a region inheriting their parent's, chat
// memberships of customers that do not exist and employee members whose userid is a customer's id.

/** The corp's department tree (id → parent), as the expression generators' `dept:N+` expects. */
export const randomCorpTree: [deptId: number, parentId: number][] = [
  [1, 0],
  [2, 1],
  [3, 2],
  [4, 2],
  [5, 1],
  [6, 5],
];
/** The personal tag of the random corp (owned by zhangsan); its marks carry personal = 1. */
export const randomCorpPersonalTag = poolTags[4]!;

const userids = ['zhangsan', 'lisi', 'wangwu'];
const near = fc.integer({ min: -90 * 24 * 60, max: 24 * 60 }).map((m) => new Date(testNow.getTime() + m * 60_000));
const places = ['上海', '杭州', '北京', ''];

const follow = fc.record({
  userid: fc.constantFrom(...userids, 'ghost'),
  addTime: near,
  addWay: fc.constantFrom(0, 1, 2, 201),
  state: fc.constantFrom('', '展会', '官网'),
  tags: fc.subarray(poolTags),
});
const attributes = fc.record(
  {
    level: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('3', null, 2.5, true)),
    tier: fc.constantFrom('gold', 'silver', 'VIP', 7, ''),
    birthday: fc.oneof(dateLiteralArbitrary('pool'), fc.constantFrom('not a date', 20260301, null)),
    note: fc.constantFrom('VIP客户', 'gold', '', false, { nested: 1 }),
    region: fc.constantFrom('华东', '华南', '', 3),
  },
  { requiredKeys: [] },
);
const event = fc.record({
  type: fc.constantFrom('link.clicked', 'live.attended', 'moment.liked', 'message.sent'),
  target: fc.constantFrom('p1', 'p2', ''),
  at: near,
});
const customer = fc.record({
  gender: fc.constantFrom(0, 1, 2),
  province: fc.constantFrom(...places),
  city: fc.constantFrom(...places),
  corpName: fc.constantFrom('上海科技有限公司', '', '杭州贸易', '科技'),
  attributes,
  follows: fc.uniqueArray(follow, { selector: (f) => f.userid, maxLength: 3 }),
  orphanTags: fc.subarray(poolTags, { maxLength: 1 }),
  events: fc.array(event, { maxLength: 6 }),
  chats: fc.uniqueArray(fc.record({ chatId: fc.constantFrom(...poolChats), joinTime: near }), { maxLength: 3, selector: (m) => m.chatId }),
});

/** Random corp data: department regions, employees' departments, customers with everything on them. */
export type RandomCorp = {
  regions: (string | null)[];
  employees: number[][];
  /** Hand-written corps may leave out `chats` (no memberships). */
  customers: (typeof customer extends fc.Arbitrary<infer C extends { chats: unknown }> ? Omit<C, 'chats'> & { chats?: C['chats'] } : never)[];
};

/** A random corp of 15 (fewer when `maxCustomers` is lower) to `maxCustomers` customers: enough that most conditions split them. */
export function randomCorpArbitrary(maxCustomers = 40): fc.Arbitrary<RandomCorp> {
  return fc.record({
    regions: fc.array(fc.constantFrom(null, '华东', '华北', '华南'), { minLength: randomCorpTree.length, maxLength: randomCorpTree.length }),
    employees: fc.array(fc.subarray([0, 1, 2, 3, 4, 5, 6, 7], { maxLength: 2 }), { minLength: userids.length, maxLength: userids.length }),
    customers: fc.array(customer, { minLength: Math.min(15, maxCustomers), maxLength: maxCustomers }),
  });
}

/** Writes the random corp into an existing (empty) corp; customers are `c0`, `c1`…, seqs 1, 2…. */
export async function seedRandomCorp(db: Db, corpId: string, data: RandomCorp): Promise<void> {
  await db
    .insert(departments)
    .values(randomCorpTree.map(([deptId, parentId], i) => ({ corpId, deptId, parentId, name: `部门${deptId}`, region: data.regions[i] ?? null })));
  await db.insert(employees).values(userids.map((userid, i) => ({ corpId, userid, name: userid, departmentIds: data.employees[i] ?? [] })));
  await db.insert(personalTags).values({ corpId, tagId: randomCorpPersonalTag, ownerUserid: 'zhangsan', name: '私人', nameKey: '私人' });
  if (data.customers.length === 0) return;
  const ext = (i: number) => `c${i}`;
  await db.insert(customers).values(
    data.customers.map((c, i) => ({
      corpId,
      externalUserid: ext(i),
      seq: i + 1,
      name: ext(i),
      gender: c.gender,
      province: c.province,
      city: c.city,
      corpName: c.corpName,
      attributes: { ...c.attributes },
    })),
  );
  // (fast-check's records have no prototype, which Drizzle's value check trips on: hence the spread.)
  const relations = data.customers.flatMap((c, i) => c.follows.map((f) => ({ ...f, externalUserid: ext(i) })));
  if (relations.length > 0)
    await db
      .insert(follows)
      .values(relations.map((f) => ({ corpId, userid: f.userid, externalUserid: f.externalUserid, addTime: f.addTime, addWay: f.addWay, state: f.state })));
  const marked = [
    ...relations.flatMap((f) => f.tags.map((tagId) => ({ externalUserid: f.externalUserid, userid: f.userid, tagId }))),
    // Marks left on a relation that no longer exists: 'gone' follows nobody.
    ...data.customers.flatMap((c, i) => c.orphanTags.map((tagId) => ({ externalUserid: ext(i), userid: 'gone', tagId }))),
  ];
  if (marked.length > 0)
    await db.insert(marks).values(marked.map((m) => ({ corpId, ...m, personal: m.tagId === randomCorpPersonalTag ? 1 : 0, createdBy: 'test' })));
  const happened = [
    ...data.customers.flatMap((c, i) => c.events.map((e) => ({ ...e, externalUserid: ext(i) }))),
    { type: 'link.clicked', target: 'p1', at: testNow, externalUserid: 'nobody' },
  ];
  await db.insert(customerEvents).values(happened.map((e) => ({ corpId, externalUserid: e.externalUserid, type: e.type, target: e.target, occurredAt: e.at })));
  await db.insert(groupChats).values(poolChats.map((chatId, i) => ({ corpId, chatId, name: `群${i}`, owner: 'zhangsan' })));
  const members = [
    ...data.customers.flatMap((c, i) => (c.chats ?? []).map((m) => ({ ...m, memberId: ext(i), type: 2 }))),
    // Not customers in the corp: an employee whose userid reads like c0, and a customer nobody knows.
    { chatId: unknownChat, joinTime: new Date(testNow.getTime() - 3_600_000), memberId: ext(0), type: 1 },
    { chatId: poolChats[1]!, joinTime: testNow, memberId: 'nobody', type: 2 },
  ];
  await db
    .insert(groupChatMembers)
    .values(members.map((m) => ({ corpId, chatId: m.chatId, memberId: m.memberId, type: m.type, joinTime: m.joinTime, joinScene: 1 })));
}
