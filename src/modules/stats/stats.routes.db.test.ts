import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';
import { gradedScene } from '../audiences/graded-scene.test-support.js';
import { addCustomers } from '../customers/commands/add-customers.js';
import { calendarDays } from './calendar-days.js';

const dayMs = 86_400_000;

describeDb('statistics API: customers per tag and new customers per day', (db) => {
  const app = useTestApp(db);

  const scene = () => gradedScene(app, db);

  it('counts the customers carrying each tag of a group, and those with none of them', async () => {
    const { f, admin, a, b } = await scene();
    const res = await admin.get(`/stats/tags?groupId=${f.grade.group.groupId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ groupId: f.grade.group.groupId, groupName: '客户等级', withoutGroupTags: 1, visibleCustomers: 3 });
    expect(Object.fromEntries(res.body.tags.map((t: { name: string; customers: number }) => [t.name, t.customers]))).toEqual({ A级: 2, B级: 1 });
    expect(res.body.tags.map((t: { tagId: string }) => t.tagId).sort()).toEqual([a, b].sort());
  });

  it('counts only within the caller’s data scope: a staff member sees their own customers’ counts', async () => {
    const { f, as } = await scene();
    const url = `/stats/tags?groupId=${f.grade.group.groupId}`;
    const manager = await as('hdManager').get(url);
    expect(manager.body).toMatchObject({ withoutGroupTags: 1, visibleCustomers: 2 });
    expect(manager.body.tags.map((t: { customers: number }) => t.customers)).toEqual(expect.arrayContaining([1, 0]));
    const staff = await as('shStaff').get(url);
    expect(staff.body).toMatchObject({ withoutGroupTags: 0, visibleCustomers: 1 });
    expect(Object.fromEntries(staff.body.tags.map((t: { name: string; customers: number }) => [t.name, t.customers]))).toEqual({ A级: 1, B级: 0 });
  });

  it('answers 404 for a group the caller may not see or another corp’s, 400 for bad parameters, and changes nothing', async () => {
    const { f, as, admin } = await scene();
    const other = await buildRegionalCorp(db().db);
    await expectRefused(db().db, f.corpId, () => admin.get(`/stats/tags?groupId=${other.grade.group.groupId}`), 404, 'tag_not_found');
    // 协议价客户, once seen by 华东 only, does not exist for 北京 staff.
    expect((await admin.patch(`/tag-groups/${f.contract.group.groupId}`, { scope: { view: { regions: ['华东'] } } })).status).toBe(200);
    await expectRefused(db().db, f.corpId, () => as('bjStaff').get(`/stats/tags?groupId=${f.contract.group.groupId}`), 404, 'tag_not_found');
    expect((await as('hdManager').get(`/stats/tags?groupId=${f.contract.group.groupId}`)).status).toBe(200);
    const missing = await expectRefused(db().db, f.corpId, () => admin.get('/stats/tags'), 400, 'validation_failed');
    expect(detailPaths(missing)).toContain('query.groupId');
    await expectRefused(db().db, f.corpId, () => admin.get(`/stats/tags?groupId=${f.grade.group.groupId}&extra=1`), 400, 'validation_failed');
    for (const days of ['0', '367', 'abc', '1.5'])
      await expectRefused(db().db, f.corpId, () => admin.get(`/stats/customers?days=${days}`), 400, 'validation_failed');
  });

  it('counts new customers per day by their first add time, within the caller’s scope', async () => {
    const { f, admin, as } = await scene();
    const now = Date.now();
    const [threeDaysAgo, longAgo] = await withTx(systemContext(db().db, f.corpId), (tx) =>
      addCustomers(tx, [
        // First added by bjStaff three days ago, then by shStaff today: new three days ago only.
        {
          name: '老客户',
          follows: [
            { userid: f.people.bjStaff, addTime: new Date(now - 3 * dayMs) },
            { userid: f.people.shStaff, addTime: new Date(now) },
          ],
        },
        { name: '很久以前', follows: [{ userid: f.people.shStaff, addTime: new Date(now - 40 * dayMs) }] },
      ]),
    );
    expect(threeDaysAgo && longAgo).toBeTruthy();
    const days = calendarDays(now, 30, 480);
    const onDay = (body: { days: { date: string; customers: number }[] }, back: number) => body.days.find((d) => d.date === days[29 - back]!.date)?.customers;

    const res = await admin.get('/stats/customers?days=30');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.days).toHaveLength(30);
    expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(days.map((d) => d.date));
    expect(onDay(res.body, 0)).toBe(3);
    expect(onDay(res.body, 3)).toBe(1);
    expect(res.body).toMatchObject({ newCustomers: 4, visibleCustomers: 5 });

    const staff = await as('shStaff').get('/stats/customers?days=30');
    expect(onDay(staff.body, 0)).toBe(1);
    expect(onDay(staff.body, 3)).toBe(1);
    expect(staff.body).toMatchObject({ newCustomers: 2, visibleCustomers: 3 });
    expect((await admin.get('/stats/customers')).body.days).toHaveLength(30);
    expect((await admin.get('/stats/customers?days=7')).body.days).toHaveLength(7);
  });
});
