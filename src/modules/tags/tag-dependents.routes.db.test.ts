import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { apiClient, buildApiScene, corpState, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, buildEmployees } from '../../test/factories.js';
import { markTags } from '../customers/commands/mark-tags.js';

describeDb('what a deletion would take away (dependents)', (db) => {
  const app = useTestApp(db);

  it('401 → 404 → 403 for those who may not delete → 200 with customers, marks, smart rules and audiences, changing nothing', async () => {
    const s = await buildApiScene(db().db);
    const [t0, t1] = s.tags.map((t) => t.tagId) as [string, string];
    const other = await buildCustomer(s.ctx, [s.staffA]);
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.staffA, externalUserid: s.customer, add: [t0, t1] }));
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.staffB, externalUserid: s.customer, add: [t0] }));
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.staffA, externalUserid: other, add: [t1] }));
    const api = apiClient(app, s.key);
    const smart = (await api.post('/smart-groups', { name: '自动', tags: [{ name: '高价值', expression: { all: [{ tag: t0 }, { not: { tag: t1 } }] } }] }))
      .body;
    const shared = (await api.post('/audiences', { name: '共享人群', expression: { tag: t0 } })).body.audienceId as string;
    const [manager] = await buildEmployees(s.ctx, 1, 'manager');
    const personal = (await apiClient(app, s.key, manager!).post('/personal-tags', { name: '私' })).body.tagId as string;
    expect((await apiClient(app, s.key, manager!).post('/audiences', { name: '经理私有', expression: { all: [{ tag: t0 }, { tag: personal }] } })).status).toBe(
      201,
    );

    expect((await apiClient(app, null).get(`/tags/${t0}/dependents`)).status).toBe(401);
    await expectRefused(db().db, s.corpId, () => api.get('/tags/etNOPE/dependents'), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, () => api.get('/tag-groups/etNOPE/dependents'), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.staffA).get(`/tags/${t0}/dependents`), 403, 'forbidden');

    const before = await corpState(db().db, s.corpId);
    const tag = await apiClient(app, s.key, s.admin).get(`/tags/${t0}/dependents`);
    expect(tag.body).toEqual({
      customers: 1,
      marks: 2,
      smartTags: [{ tagId: smart.tags[0].tagId, name: '高价值', groupName: '自动' }],
      audiences: [{ audienceId: shared, name: '共享人群' }],
      otherPrivateAudiences: 1,
    });
    expect(await corpState(db().db, s.corpId)).toEqual(before);
    const group = await api.get(`/tag-groups/${s.group.groupId}/dependents`);
    expect(group.body).toMatchObject({ customers: 2, marks: 4, otherPrivateAudiences: 1 });
    expect(group.body.smartTags).toHaveLength(1);
    // The manager sees their own private audience by name.
    const mine = await apiClient(app, s.key, manager!).get(`/tags/${t0}/dependents`);
    expect(mine.body.audiences.map((a: { name: string }) => a.name).sort()).toEqual(['共享人群', '经理私有']);
    expect(mine.body.otherPrivateAudiences).toBe(0);
  });
});
