import { expect, it } from 'vitest';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { systemContext, withTx } from '../../../context.js';
import { describeDb } from '../../../test/db.js';
import { employeeCtx } from '../../../test/factories.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { transferCustomers } from '../../customers/commands/transfer-customers.js';
import { updateDepartment } from '../../org/commands/update-department.js';
import { updateEmployee } from '../../org/commands/update-employee.js';
import type { EvalContext } from '../context.js';
import { loadCatalog } from '../service/catalog.js';
import { membersIn } from '../service/evaluate-audience.js';
import { audienceCount } from '../sql/compile.js';
import { buildCorpIndex } from './corp-index.js';
import { evaluateOnIndex } from './evaluate.js';
import { EventTail } from './tail.js';

// Region bitmaps are cached per index state: every command that moves a customer between regions
// must show in the very next count, as PostgreSQL counts it, never an answer from before it.
describeDb('audience index: cached region bitmaps', (db) => {
  it('counts a region change on the next evaluation after the tail took it in', async () => {
    const f = await buildRegionalCorp(db().db);
    const { people } = f;
    const sys = systemContext(db().db, f.corpId);
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index);
    const ctx: EvalContext = { now: new Date(), tagGroups: new Map(), departmentParents: new Map() };
    const east: Expr = { region: ['华东'] };
    const north: Expr = { region: ['华北'] };
    const central: Expr = { region: ['华中'] };
    const counts = async () => {
      const onIndex = [east, north, central].map((e) => evaluateOnIndex(index, e, ctx).size);
      const inSql = [];
      for (const e of [east, north, central]) inSql.push(await audienceCount(db().db, f.corpId, e, ctx));
      expect(onIndex).toEqual(inSql);
      return onIndex;
    };
    const step = async (run: () => Promise<unknown>) => {
      await run();
      expect(await tail.poll()).toBeGreaterThan(0);
      return counts();
    };

    expect(await counts()).toEqual([2, 1, 0]); // sh and intern customers in 华东, bj in 华北
    // The answer belongs to the caller: emptying it leaves the cached region as it was.
    evaluateOnIndex(index, east, ctx).clear();
    expect(evaluateOnIndex(index, east, ctx).size).toBe(2);

    // A mark moves no one between regions (and keeps the cache), but counts with the region at once.
    const a = f.grade.tags[0]!.tagId;
    expect(await step(() => markTags(f.ctx, { userid: people.shStaff, externalUserid: f.shCustomer, add: [a] }))).toEqual([2, 1, 0]);
    expect(evaluateOnIndex(index, { all: [{ tag: a }, east] }, ctx).size).toBe(1);
    // A follow moves: the customer leaves 华东 for 华北 (no department changed).
    expect(
      await step(() =>
        withTx(f.ctx, (tx) => transferCustomers(tx, { handoverUserid: people.shStaff, takeoverUserid: people.bjStaff, externalUserids: [f.shCustomer] })),
      ),
    ).toEqual([1, 2, 0]);
    // An employee changes department: their customers follow them into 华东.
    expect(await step(() => withTx(sys, (tx) => updateEmployee(tx, { userid: people.bjStaff, departmentIds: [3] })))).toEqual([3, 0, 0]);
    // A department is re-regioned: everyone under it moves at once.
    expect(await step(() => withTx(sys, (tx) => updateDepartment(tx, { deptId: 2, region: '华中' })))).toEqual([0, 0, 3]);
    // A new customer with an own region counts there, whoever follows them.
    expect(
      await step(() => withTx(sys, (tx) => addCustomers(tx, [{ name: '新客', attributes: { region: '华北' }, follows: [{ userid: people.shStaff }] }]))),
    ).toEqual([0, 1, 3]);
  });

  it("counts within an employee's data scope as it is after each follow change", async () => {
    const f = await buildRegionalCorp(db().db);
    const { people } = f;
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index);
    const staff = await loadCatalog(employeeCtx(db().db, f.corpId, people.shStaff));
    const everyone: Expr = { not: { tag: 'no-such-tag' } };
    const visible = () => membersIn(index, staff, everyone).toArray();

    expect(visible()).toHaveLength(1); // the customer shStaff follows
    const emptied = membersIn(index, staff, everyone);
    emptied.clear(); // the answer is the caller's, the cached scope is not touched
    expect(visible()).toHaveLength(1);
    await withTx(f.ctx, (tx) => transferCustomers(tx, { handoverUserid: people.bjStaff, takeoverUserid: people.shStaff, externalUserids: [f.bjCustomer] }));
    await tail.poll();
    expect(visible()).toHaveLength(2);
    await withTx(f.ctx, (tx) =>
      transferCustomers(tx, { handoverUserid: people.shStaff, takeoverUserid: people.bjStaff, externalUserids: [f.shCustomer, f.bjCustomer] }),
    );
    await tail.poll();
    expect(visible()).toEqual([]);
  });
});
