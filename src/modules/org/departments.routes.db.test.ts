import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { corps, events } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { expectOrgRefused, givePassword, loginCookie, sessionClient } from '../../test/session.js';

describeDb('department routes', (db) => {
  const app = useTestApp(db);

  it('POST /departments: 401 → 400 → 403 → 400 bad parent → 409 → 201; GET shows the tree with inherited regions', async () => {
    const s = await buildApiScene(db().db);
    const post =
      (body: unknown, key: string | null = s.key, as?: string) =>
      () =>
        apiClient(app, key, as).post('/departments', body);
    await expectOrgRefused(db().db, s.corpId, post({ name: '总部', parentId: 0 }, null), 401, 'unauthorized');
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, post({ name: '', parentId: -1, region: 5 }), 400, 'validation_failed'))).toEqual([
      'body.name',
      'body.parentId',
      'body.region',
    ]);
    await expectOrgRefused(db().db, s.corpId, post({ name: '总部', parentId: 0 }, s.key, s.staffA), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, post({ name: '孤儿', parentId: 7 }), 400, 'validation_failed');

    const [before] = await db().db.select({ v: corps.orgVersion }).from(corps).where(eq(corps.corpId, s.corpId));
    expect((await post({ deptId: 1, name: '总部', parentId: 0 })()).status).toBe(201);
    const [after] = await db().db.select({ v: corps.orgVersion }).from(corps).where(eq(corps.corpId, s.corpId));
    expect(after!.v).toBe(before!.v + 1);
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, post({ name: '第二个根', parentId: 0 }), 400, 'validation_failed'))).toEqual([
      'body.parentId',
    ]);
    const east = await post({ name: '华东大区', parentId: 1, region: '华东', order: 2 })();
    expect(east).toMatchObject({ status: 201, body: { deptId: 2, name: '华东大区', parentId: 1, region: '华东', order: 2 } });
    expect((await post({ name: '上海销售部', parentId: 2 })()).body).toMatchObject({ deptId: 3, region: null });
    expect((await post({ deptId: 10, name: '华北大区', parentId: 1, region: '华北', order: 1 })()).status).toBe(201);
    await expectOrgRefused(db().db, s.corpId, post({ name: '上海销售部', parentId: 2 }), 409, 'name_taken');
    await expectOrgRefused(db().db, s.corpId, post({ deptId: 10, name: '别的', parentId: 1 }), 409, 'conflict');

    const tree = await apiClient(app, s.key, s.intern).get('/departments');
    expect(tree.body.departments.map((d: { deptId: number; depth: number; effectiveRegion: string | null }) => [d.deptId, d.depth, d.effectiveRegion])).toEqual(
      [
        [1, 0, null],
        [2, 1, '华东'],
        [3, 2, '华东'],
        [10, 1, '华北'],
      ],
    );
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'department.created'), eq(events.subjectId, '2')));
    expect(event).toMatchObject({ subjectType: 'department', actor: 'app:customer_contact', after: { name: '华东大区', parentId: 1, region: '华东' } });
  });

  it('PATCH /departments/:deptId: 404 → cycles refused → moves, renames and re-regions', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    for (const body of [
      { deptId: 1, name: '总部', parentId: 0 },
      { deptId: 2, name: '华东', parentId: 1, region: '华东' },
      { deptId: 3, name: '上海', parentId: 2 },
      { deptId: 4, name: '华北', parentId: 1, region: '华北' },
    ])
      await api.post('/departments', body);
    const patch = (id: number, body: unknown, as?: string) => () => apiClient(app, s.key, as).patch(`/departments/${id}`, body);
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, patch(2, {}), 400, 'validation_failed'))).toEqual(['body']);
    await expectOrgRefused(db().db, s.corpId, patch(2, { name: '东' }, s.staffA), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, patch(99, { name: '无' }), 404, 'department_not_found');
    for (const parentId of [2, 3])
      expect(detailPaths(await expectOrgRefused(db().db, s.corpId, patch(2, { parentId }), 400, 'validation_failed'))).toEqual(['body.parentId']);
    await expectOrgRefused(db().db, s.corpId, patch(4, { name: '华东' }), 409, 'name_taken');

    const moved = await patch(3, { parentId: 4, name: '北京' })();
    expect(moved.body).toMatchObject({ deptId: 3, parentId: 4, name: '北京', region: null });
    expect((await patch(4, { region: null })()).body.region).toBeNull();
    const tree = await api.get('/departments');
    expect(tree.body.departments.map((d: { deptId: number; effectiveRegion: string | null }) => [d.deptId, d.effectiveRegion])).toEqual([
      [1, null],
      [2, '华东'],
      [4, null],
      [3, null],
    ]);
  });

  it('DELETE /departments/:deptId: 404 → refused while it has sub-departments or members → 200', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const admin = sessionClient(app, await loginCookie(app, s.corpId, s.admin, await givePassword(db().db, s.corpId, s.admin)));
    for (const body of [
      { deptId: 1, name: '总部', parentId: 0 },
      { deptId: 2, name: '华东', parentId: 1 },
      { deptId: 3, name: '上海', parentId: 2 },
    ])
      await api.post('/departments', body);
    await expectOrgRefused(db().db, s.corpId, () => admin.delete('/departments/77'), 404, 'department_not_found');
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, s.key, s.intern).delete('/departments/3'), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, () => api.delete('/departments/2'), 409, 'conflict');
    // The scene's employees sit in department 1.
    const busy = await expectOrgRefused(db().db, s.corpId, () => api.delete('/departments/1'), 409, 'conflict');
    expect(busy.body.error.message).toContain('sub-departments');
    await api.post('/employees', { userid: 'sh1', name: '上海一', departmentIds: [3], role: 'staff' });
    expect((await expectOrgRefused(db().db, s.corpId, () => api.delete('/departments/3'), 409, 'conflict')).body.error.message).toContain('sh1');
    await api.patch('/employees/sh1', { departmentIds: [2] });
    expect(await admin.delete('/departments/3')).toMatchObject({ status: 200, body: { deptId: 3 } });
    expect((await api.get('/departments')).body.departments.map((d: { deptId: number }) => d.deptId)).toEqual([1, 2]);
  });
});
