import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import { describeDb } from '../../../test/db.js';
import { employeeCtx } from '../../../test/factories.js';
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
import { buildCorpIndex, facetBitmap, personalTagBitmap, regionBitmap, tagBitmap } from './corp-index.js';
import { evaluateOnIndex } from './evaluate.js';
import { EventTail } from './tail.js';
import { indexSnapshot, recordCustomerEventsRaw, sqlTruth } from './test-support.js';

describeDb('audience index: each event type', (db) => {
  it('moves the index exactly as SQL moves, one command at a time', async () => {
    const f = await buildRegionalCorp(db().db);
    const { people } = f;
    const sys = systemContext(db().db, f.corpId);
    const owner = employeeCtx(db().db, f.corpId, people.shStaff);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index);
    const step = async (run: () => Promise<unknown>) => {
      await run();
      expect(await tail.poll()).toBeGreaterThan(0);
      expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
    };

    await step(() => markTags(f.ctx, { userid: people.shStaff, externalUserid: f.shCustomer, add: [a] }));
    expect(tagBitmap(index, a).size).toBe(1);
    const mine = await withTx(owner, (tx) => createPersonalTag(tx, { name: '老朋友' }));
    await step(() => markTags(owner, { userid: people.shStaff, externalUserid: f.shCustomer, add: [mine.tagId] }));
    expect(personalTagBitmap(index, mine.tagId).size).toBe(1);
    await step(() =>
      withTx(f.ctx, (tx) =>
        bulkMark(tx, [
          { userid: people.bjStaff, externalUserid: f.bjCustomer, tagId: b },
          { userid: people.shStaff, externalUserid: f.shCustomer, tagId: b },
        ]),
      ),
    );
    expect(tagBitmap(index, b).size).toBe(2);
    await step(() => withTx(f.ctx, (tx) => deleteTags(tx, { tagIds: [a] })));
    expect(tagBitmap(index, a).size).toBe(0);
    await step(() => withTx(f.ctx, (tx) => restoreTags(tx, { tagId: a })));
    expect(tagBitmap(index, a).size).toBe(1);
    await step(() => withTx(owner, (tx) => deletePersonalTag(tx, { tagId: mine.tagId })));
    expect(index.personalTags.has(mine.tagId)).toBe(false);
    await step(() =>
      withTx(sys, (tx) =>
        addCustomers(tx, [
          {
            name: '新客',
            gender: 2,
            city: '杭州',
            corpName: '杭州某某',
            attributes: { region: '华南', level: 2 },
            follows: [{ userid: people.bjStaff, addWay: 5, state: 'qr-9' }],
          },
        ]),
      ),
    );
    expect(index.universe.size).toBe(4);
    expect(facetBitmap(index, 'state', 'qr-9').size).toBe(1);
    expect(facetBitmap(index, 'company', '杭州某某').size).toBe(1);
    expect(index.attributes.get('level')?.get('2')?.size).toBe(1);
    const clicked = { event: { type: 'link.clicked', target: 'p1', count: { op: 'gte' as const, n: 2 } } };
    const ctx = { now: new Date(), tagGroups: new Map(), departmentParents: new Map() };
    await step(() =>
      recordCustomerEventsRaw(db().db, f.corpId, [
        { externalUserid: f.shCustomer, type: 'link.clicked', target: 'p1', at: new Date('2026-03-01T00:00:00Z') },
        { externalUserid: f.bjCustomer, type: 'live.attended', at: new Date('2026-03-01T00:00:00Z') },
      ]),
    );
    expect(evaluateOnIndex(index, clicked, ctx).size).toBe(0);
    // A second click adds to the first: the customer's events are re-read, not appended twice.
    await step(() =>
      recordCustomerEventsRaw(db().db, f.corpId, [{ externalUserid: f.shCustomer, type: 'link.clicked', target: 'p1', at: new Date('2026-03-02T00:00:00Z') }]),
    );
    expect(evaluateOnIndex(index, clicked, ctx).size).toBe(1);
    expect(evaluateOnIndex(index, { event: { ...clicked.event, count: { op: 'eq', n: 0 } } }, ctx).size).toBe(3);
    // Hand-over moves the relation (and its marks) from shStaff (华东) to bjStaff (华北).
    await step(() =>
      withTx(f.ctx, (tx) => transferCustomers(tx, { handoverUserid: people.shStaff, takeoverUserid: people.bjStaff, externalUserids: [f.shCustomer] })),
    );
    expect(facetBitmap(index, 'follower', people.shStaff).size).toBe(0);
    expect(tagBitmap(index, a).size).toBe(1);
    await step(() => withTx(sys, (tx) => updateEmployee(tx, { userid: people.bjStaff, departmentIds: [3] })));
    expect(regionBitmap(index, '华北').size).toBe(0);
    await step(() => withTx(sys, (tx) => updateDepartment(tx, { deptId: 2, region: '华中' })));
    expect(regionBitmap(index, '华中').size).toBe(3); // sh, bj and intern customers; the new one keeps its own 华南
  });

  it('a refresh replaces the values of a customer row, not only adds to them', async () => {
    // No command edits a customer's row yet; written directly, then announced by an event that
    // refreshes the customer, as a future "update customer" command would.
    const f = await buildRegionalCorp(db().db);
    await db().db.execute(
      sql`update customers set corp_name = '旧公司', attributes = '{"level": 1, "tier": "gold"}' where corp_id = ${f.corpId} and external_userid = ${f.shCustomer}`,
    );
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index, { checkpointEveryMs: 0 });
    await db().db.execute(
      sql`update customers set corp_name = '新公司', attributes = '{"level": 2}' where corp_id = ${f.corpId} and external_userid = ${f.shCustomer}`,
    );
    await recordCustomerEventsRaw(db().db, f.corpId, [{ externalUserid: f.shCustomer, type: 'link.clicked', at: new Date('2026-03-01T00:00:00Z') }]);
    await tail.poll();
    expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
    expect(index.attributes.has('tier')).toBe(false);
    expect(index.facets.company.has('旧公司')).toBe(false);
  });
});
