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
import { EventTail } from './tail.js';
import { indexSnapshot, sqlTruth } from './test-support.js';

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
    await step(() => withTx(f.ctx, (tx) => bulkMark(tx, [{ userid: people.bjStaff, externalUserid: f.bjCustomer, tagId: b }, { userid: people.shStaff, externalUserid: f.shCustomer, tagId: b }])));
    expect(tagBitmap(index, b).size).toBe(2);
    await step(() => withTx(f.ctx, (tx) => deleteTags(tx, { tagIds: [a] })));
    expect(tagBitmap(index, a).size).toBe(0);
    await step(() => withTx(f.ctx, (tx) => restoreTags(tx, { tagId: a })));
    expect(tagBitmap(index, a).size).toBe(1);
    await step(() => withTx(owner, (tx) => deletePersonalTag(tx, { tagId: mine.tagId })));
    expect(index.personalTags.has(mine.tagId)).toBe(false);
    await step(() => withTx(sys, (tx) => addCustomers(tx, [{ name: '新客', gender: 2, city: '杭州', attributes: { region: '华南' }, follows: [{ userid: people.bjStaff, addWay: 5, state: 'qr-9' }] }])));
    expect(index.universe.size).toBe(4);
    expect(facetBitmap(index, 'state', 'qr-9').size).toBe(1);
    // Hand-over moves the relation (and its marks) from shStaff (华东) to bjStaff (华北).
    await step(() => withTx(f.ctx, (tx) => transferCustomers(tx, { handoverUserid: people.shStaff, takeoverUserid: people.bjStaff, externalUserids: [f.shCustomer] })));
    expect(facetBitmap(index, 'follower', people.shStaff).size).toBe(0);
    expect(tagBitmap(index, a).size).toBe(1);
    await step(() => withTx(sys, (tx) => updateEmployee(tx, { userid: people.bjStaff, departmentIds: [3] })));
    expect(regionBitmap(index, '华北').size).toBe(0);
    await step(() => withTx(sys, (tx) => updateDepartment(tx, { deptId: 2, region: '华中' })));
    expect(regionBitmap(index, '华中').size).toBe(3); // sh, bj and intern customers; the new one keeps its own 华南
  });
});
