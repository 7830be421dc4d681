import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type Ctx, systemContext, withTx } from '../../../context.js';
import { type Db, queryRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { describeDb } from '../../../test/db.js';
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
import { buildCorpIndex, tagBitmap } from './corp-index.js';
import { EventTail } from './tail.js';
import { indexSnapshot, recordCustomerEventsRaw, sqlTruth } from './test-support.js';

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
const op = fc.oneof(
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

describeDb('audience index tail', (db) => {
  it('after any sequence of commands and a poll, the index equals a fresh build and SQL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        const f = await buildRegionalCorp(db().db);
        const { people } = f;
        const sys = systemContext(db().db, f.corpId);
        const staff = [people.shStaff, people.bjStaff, people.hdManager, people.bjManager];
        const owner = employeeCtx(db().db, f.corpId, people.shStaff);
        const extra = await buildTagGroup(f.ctx, ['高', '中', '低'], '意向');
        const tagIds = [...f.grade.tags, ...f.contract.tags, ...extra.tags].map((t) => t.tagId);
        const personal = [
          await withTx(owner, (tx) => createPersonalTag(tx, { name: '老朋友' })),
          await withTx(owner, (tx) => createPersonalTag(tx, { name: '难缠' })),
        ].map((t) => t.tagId);

        const index = await buildCorpIndex(db().db, f.corpId);
        const tail = new EventTail(db().db, index, { batchSize: 3, checkpointEveryMs: 0 }); // tiny pages: polls page through the cursor
        const app: Ctx = f.ctx;
        for (const o of ops) {
          const rels = await relations(db().db, f.corpId);
          if (o.kind === 'mark') {
            const r = pick(rels, o.rel)!;
            const add = [...new Set(o.add.map((i) => pick(tagIds, i)!))];
            const remove = [...new Set(o.remove.map((i) => pick(tagIds, i)!))].filter((id) => !add.includes(id));
            if (add.length + remove.length > 0) await attempt(() => markTags(app, { userid: r.userid, externalUserid: r.external_userid, add, remove }));
          } else if (o.kind === 'personal') {
            const mine = rels.filter((r) => r.userid === people.shStaff);
            const r = pick(mine, o.rel);
            const tag = pick(personal, o.tag)!;
            if (r)
              await attempt(() => markTags(owner, { userid: r.userid, externalUserid: r.external_userid, ...(o.remove ? { remove: [tag] } : { add: [tag] }) }));
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
              db().db,
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
            const everyone = await queryRows<{ external_userid: string }>(
              db().db,
              sql`select external_userid from customers where corp_id = ${f.corpId} order by seq`,
            );
            await recordCustomerEventsRaw(
              db().db,
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
              withTx(app, (tx) =>
                transferCustomers(tx, { handoverUserid: r.userid, takeoverUserid: pick(staff, o.to)!, externalUserids: [r.external_userid] }),
              ),
            );
          } else if (o.kind === 'moveEmployee') {
            await attempt(() => withTx(sys, (tx) => updateEmployee(tx, { userid: pick(staff, o.who)!, departmentIds: [o.dept] })));
          } else if (o.kind === 'reRegion') {
            await attempt(() => withTx(sys, (tx) => updateDepartment(tx, { deptId: o.dept, region: o.region })));
          } else {
            await tail.poll();
            expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
          }
        }
        await tail.poll();
        const truth = await sqlTruth(db().db, f.corpId);
        expect(await indexSnapshot(db().db, index)).toEqual(truth);
        expect(await indexSnapshot(db().db, await buildCorpIndex(db().db, f.corpId))).toEqual(truth);
      }),
      { numRuns: 20 },
    );
  });

  it('keeps a tag removed from one relation while another relation of the customer still carries it', async () => {
    const f = await buildRegionalCorp(db().db);
    const [shared] = await withTx(systemContext(db().db, f.corpId), (tx) =>
      addCustomers(tx, [{ name: '共享', follows: [{ userid: f.people.shStaff }, { userid: f.people.bjStaff }] }]),
    );
    const tag = f.grade.tags[0]!.tagId;
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index, { checkpointEveryMs: 0 });
    await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: shared!, add: [tag] });
    await markTags(f.ctx, { userid: f.people.bjStaff, externalUserid: shared!, add: [tag] });
    await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: shared!, remove: [tag] });
    expect(await tail.poll()).toBe(3);
    expect(tagBitmap(index, tag).size).toBe(1);
    await markTags(f.ctx, { userid: f.people.bjStaff, externalUserid: shared!, remove: [tag] });
    expect(await tail.poll()).toBe(1);
    expect(tagBitmap(index, tag).size).toBe(0);
    // The next poll takes a checkpoint and, nothing being in flight, passes it: the scan floor
    // rises to the corp's last event, so later polls read only newer rows.
    expect(await tail.poll()).toBe(0);
    const [last] = await queryRows<{ seq: number }>(db().db, sql`select max(seq)::int4 as seq from events where corp_id = ${f.corpId}`);
    expect(tail.cursor.floor).toBe(Number(last!.seq));
  });

  it('reads every event of a poll whose transaction ids cross a power of ten (999 → 1000)', async ({ skip }) => {
    const f = await buildRegionalCorp(db().db);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index, { batchSize: 2, checkpointEveryMs: 0 });
    // Each statement outside a transaction block burns one xid: walk up to just below the next power of ten.
    const burn = async () => BigInt((await queryRows<{ x: string }>(db().db, sql`select pg_current_xact_id()::text as x`))[0]!.x);
    let xid = await burn();
    const boundary = 10n ** BigInt(xid.toString().length);
    if (boundary - xid > 20_000n) skip(`the next power of ten is ${boundary - xid} xids away`);
    while (xid < boundary - 3n) xid = await burn();
    for (const [userid, externalUserid] of [
      [f.people.shStaff, f.shCustomer],
      [f.people.bjStaff, f.bjCustomer],
    ] as const) {
      for (const tag of [a, b]) await markTags(f.ctx, { userid, externalUserid, add: [tag] });
    }
    const [span] = await queryRows<{ lo: string; hi: string }>(
      db().db,
      sql`select min(txid)::text as lo, max(txid)::text as hi from events where corp_id = ${f.corpId} and type = 'follow.tags_changed'`,
    );
    expect(BigInt(span!.lo)).toBeLessThan(boundary);
    expect(BigInt(span!.hi)).toBeGreaterThanOrEqual(boundary);
    expect(await tail.poll()).toBe(4);
    expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
  });

  it('never skips an event whose transaction commits after a later seq was read', async ({ skip }) => {
    if (db().kind !== 'postgres') skip('needs two concurrent transactions (a PostgreSQL server)');
    const f = await buildRegionalCorp(db().db);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index, { checkpointEveryMs: 0 });
    const gate = () => {
      let open!: () => void;
      return { wait: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
    };
    const [bMayWrite, aMayCommit, aWrote, bHasXid] = [gate(), gate(), gate(), gate()];
    // B takes a txid first but writes its event last; A writes its (lower-seq) event and stays open.
    const txB = withTx(f.ctx, async (tx) => {
      await tx.tx.execute(sql`select pg_current_xact_id()`);
      bHasXid.open();
      await bMayWrite.wait;
      await markTags(tx, { userid: f.people.bjStaff, externalUserid: f.bjCustomer, add: [b] });
    });
    await bHasXid.wait;
    let aXid = 0n;
    const txA = withTx(f.ctx, async (tx) => {
      await markTags(tx, { userid: f.people.shStaff, externalUserid: f.shCustomer, add: [a] });
      const [row] = await queryRows<{ xid: string }>(tx.tx, sql`select pg_current_xact_id()::text as xid`);
      aXid = BigInt(row!.xid);
      aWrote.open();
      await aMayCommit.wait;
    });
    await aWrote.wait;
    // A transaction younger than A completes first, so the next snapshot's xmax lies above A's txid
    // and A is seen in progress below it (what `pending` is for), not merely at or above xmax.
    await db().db.execute(sql`select pg_current_xact_id()`);
    bMayWrite.open();
    await txB;
    await tail.poll(); // B's event (higher seq, lower txid) is readable; A's is still in flight
    expect(tagBitmap(index, b).size).toBe(1);
    expect(tagBitmap(index, a).size).toBe(0);
    // A is below the snapshot's xmax yet unsettled: the cursor keeps it pending, so the next poll
    // reads its event although a later seq (B's) has been applied.
    expect(tail.cursor.xmax).toBeGreaterThan(aXid);
    expect(tail.cursor.pending).toContain(aXid);
    aMayCommit.open();
    await txA;
    await tail.poll();
    expect(tagBitmap(index, a).size).toBe(1);
    expect(tail.cursor.pending).not.toContain(aXid);
    expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
  });
});
