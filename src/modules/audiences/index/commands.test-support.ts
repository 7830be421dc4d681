import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { type Ctx, systemContext, withTx } from '../../../context.js';
import { type Db, queryRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { buildTagGroup, employeeCtx } from '../../../test/factories.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { bulkMark } from '../../customers/commands/bulk-mark.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { transferCustomers } from '../../customers/commands/transfer-customers.js';
import { updateDepartment } from '../../org/commands/update-department.js';
import { updateEmployee } from '../../org/commands/update-employee.js';
import { deleteTags } from '../../tags/commands/delete-tags.js';
import { createPersonalTag, deletePersonalTag } from '../../tags/commands/personal-tags.js';
import { restoreTags } from '../../tags/commands/restore-tags.js';
import { recordCustomerEventsRaw } from './test-support.js';

// Test-only: random walks of commands over a regional corp, shared by the tail's and the
// snapshot's property tests (each command writes its events, which the index must follow).

/** Runs a command that may be refused (deleted tag, no relation…); refusals are part of the random walk. */
async function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
}

async function relations(db: Db, corpId: string) {
  return queryRows<{ userid: string; external_userid: string }>(
    db,
    sql`select userid, external_userid from follows where corp_id = ${corpId} order by userid, external_userid`,
  );
}

const pick = <T>(items: readonly T[], i: number): T | undefined => items[i % Math.max(items.length, 1)];
const tagIdx = fc.array(fc.nat(5), { maxLength: 3 });
/** One random step of a corp's life: a command (marks, tags, customers, events, org changes) or a `poll` of the tail. */
export const indexOp = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('mark' as const), rel: fc.nat(40), add: tagIdx, remove: tagIdx }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('personal' as const), rel: fc.nat(40), tag: fc.nat(1), remove: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bulk' as const), rels: fc.array(fc.tuple(fc.nat(40), fc.nat(5)), { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), tag: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restore' as const), tag: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deletePersonal' as const), tag: fc.nat(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('customers' as const),
      n: fc.integer({ min: 1, max: 2 }),
      gender: fc.nat(2),
      region: fc.constantFrom('', '华南', '华东'),
      followers: fc.array(fc.nat(3), { minLength: 0, maxLength: 2 }),
      addWay: fc.nat(3),
      days: fc.nat(60),
      company: fc.constantFrom('', '上海科技', '杭州贸易'),
      level: fc.constantFrom(undefined, 1, 2, '2', null),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('events' as const),
      events: fc.array(
        fc.record({ who: fc.nat(40), type: fc.constantFrom('link.clicked', 'live.attended'), target: fc.constantFrom('', 'p1', 'p2'), days: fc.nat(60) }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), rel: fc.nat(40), to: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveEmployee' as const), who: fc.nat(3), dept: fc.constantFrom(1, 2, 3, 5, 6) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reRegion' as const), dept: fc.constantFrom(2, 3, 5, 6), region: fc.constantFrom('华东', '华北', '华南', null) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('poll' as const) }) },
);

/** One random step. */
export type IndexOp = typeof indexOp extends fc.Arbitrary<infer O> ? O : never;

/** A regional corp with two tag groups, an extra group and two personal tags, ready for `runIndexOp`. */
export async function setupIndexCorp(db: Db) {
  const f = await buildRegionalCorp(db);
  const { people } = f;
  const sys = systemContext(db, f.corpId);
  const staff = [people.shStaff, people.bjStaff, people.hdManager, people.bjManager];
  const owner = employeeCtx(db, f.corpId, people.shStaff);
  const extra = await buildTagGroup(f.ctx, ['高', '中', '低'], '意向');
  const tagIds = [...f.grade.tags, ...f.contract.tags, ...extra.tags].map((t) => t.tagId);
  const personal = [
    await withTx(owner, (tx) => createPersonalTag(tx, { name: '老朋友' })),
    await withTx(owner, (tx) => createPersonalTag(tx, { name: '难缠' })),
  ].map((t) => t.tagId);

  return { f, people, sys, staff, owner, tagIds, personal, app: f.ctx as Ctx };
}

/** The corp `setupIndexCorp` made. */
export type IndexCorp = Awaited<ReturnType<typeof setupIndexCorp>>;

/** Runs one command of the walk (refusals, e.g. marking a deleted tag, are part of it); a `poll` is the caller's. */
export async function runIndexOp(db: Db, corp: IndexCorp, o: Exclude<IndexOp, { kind: 'poll' }>): Promise<void> {
  const { f, people, sys, staff, owner, tagIds, personal, app } = corp;
  const rels = await relations(db, f.corpId);
  if (o.kind === 'mark') {
    const r = pick(rels, o.rel)!;
    const add = [...new Set(o.add.map((i) => pick(tagIds, i)!))];
    const remove = [...new Set(o.remove.map((i) => pick(tagIds, i)!))].filter((id) => !add.includes(id));
    if (add.length + remove.length > 0) await attempt(() => markTags(app, { userid: r.userid, externalUserid: r.external_userid, add, remove }));
  } else if (o.kind === 'personal') {
    const mine = rels.filter((r) => r.userid === people.shStaff);
    const r = pick(mine, o.rel);
    const tag = pick(personal, o.tag)!;
    if (r) await attempt(() => markTags(owner, { userid: r.userid, externalUserid: r.external_userid, ...(o.remove ? { remove: [tag] } : { add: [tag] }) }));
  } else if (o.kind === 'bulk') {
    const entries = o.rels.map(([ri, ti]) => ({
      userid: pick(rels, ri)!.userid,
      externalUserid: pick(rels, ri)!.external_userid,
      tagId: pick(tagIds, ti)!,
    }));
    await attempt(() => withTx(app, (tx) => bulkMark(tx, entries)));
  } else if (o.kind === 'delete') {
    await attempt(() => withTx(app, (tx) => deleteTags(tx, { tagIds: [pick(tagIds, o.tag)!] })));
  } else if (o.kind === 'restore') {
    const deleted = await queryRows<{ tag_id: string }>(
      db,
      sql`select tag_id from tags where corp_id = ${f.corpId} and deleted_at is not null order by tag_id`,
    );
    const tagId = pick(deleted, o.tag)?.tag_id;
    if (tagId) await attempt(() => withTx(app, (tx) => restoreTags(tx, { tagId })));
  } else if (o.kind === 'deletePersonal') {
    await attempt(() => withTx(owner, (tx) => deletePersonalTag(tx, { tagId: pick(personal, o.tag)! })));
  } else if (o.kind === 'customers') {
    const follows = [...new Set(o.followers.map((i) => pick(staff, i)!))].map((userid, i) => ({
      userid,
      addWay: (o.addWay + i) % 3,
      state: o.addWay === 2 ? 'qr-1' : '',
      addTime: new Date(Date.UTC(2026, 0, 1 + o.days + i)),
    }));
    const attributes = { ...(o.region ? { region: o.region } : {}), ...(o.level === undefined ? {} : { level: o.level }) };
    await withTx(sys, (tx) =>
      addCustomers(
        tx,
        Array.from({ length: o.n }, (_, i) => ({
          name: `新客户${i}`,
          gender: o.gender,
          province: '浙江',
          city: i ? '杭州' : '宁波',
          corpName: o.company,
          attributes,
          createdAt: new Date(Date.UTC(2026, 1, o.days)),
          follows,
        })),
      ),
    );
  } else if (o.kind === 'events') {
    const everyone = await queryRows<{ external_userid: string }>(db, sql`select external_userid from customers where corp_id = ${f.corpId} order by seq`);
    await recordCustomerEventsRaw(
      db,
      f.corpId,
      o.events.map((e) => ({
        externalUserid: pick(everyone, e.who)!.external_userid,
        type: e.type,
        target: e.target,
        at: new Date(Date.UTC(2026, 2, e.days)),
      })),
    );
  } else if (o.kind === 'transfer') {
    const r = pick(rels, o.rel)!;
    await attempt(() =>
      withTx(app, (tx) => transferCustomers(tx, { handoverUserid: r.userid, takeoverUserid: pick(staff, o.to)!, externalUserids: [r.external_userid] })),
    );
  } else if (o.kind === 'moveEmployee') {
    await attempt(() => withTx(sys, (tx) => updateEmployee(tx, { userid: pick(staff, o.who)!, departmentIds: [o.dept] })));
  } else if (o.kind === 'reRegion') {
    await attempt(() => withTx(sys, (tx) => updateDepartment(tx, { deptId: o.dept, region: o.region })));
  }
}
