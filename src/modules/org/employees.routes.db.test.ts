import { expect, it } from 'vitest';
import { apiClient, buildApiScene, detailPaths, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { expectOrgRefused, givePassword, login, loginCookie, sessionClient } from '../../test/session.js';

type Scene = Awaited<ReturnType<typeof buildApiScene>>;
type Api = ReturnType<typeof apiClient>;

/**
 * Departments 1 → 2 (华东) → 3 (上海) and 1 → 4 (华北); in 华东 a manager, an HR clerk (a custom role with
 * org.manage but not role.manage, region scope), a boss (admin) and a clerk; in 华北 one clerk.
 */
async function orgScene(api: Api) {
  for (const body of [
    { deptId: 1, name: '总部', parentId: 0 },
    { deptId: 2, name: '华东', parentId: 1, region: '华东' },
    { deptId: 3, name: '上海', parentId: 2 },
    { deptId: 4, name: '华北', parentId: 1, region: '华北' },
  ]) {
    expect((await api.post('/departments', body)).status).toBe(201);
  }
  const hr = {
    roleId: 'hr',
    name: '人事',
    permissions: ['org.manage', 'customer.view', 'customer.update', 'tag.apply', 'tag.remove', 'personalTag.manage'],
    dataScope: 'region',
  };
  expect((await api.post('/roles', hr)).status).toBe(201);
  for (const [userid, dept, role] of [
    ['mgr', 2, 'manager'],
    ['hr1', 2, 'hr'],
    ['boss', 2, 'admin'],
    ['sh1', 3, 'staff'],
    ['bj1', 4, 'staff'],
  ] as const) {
    expect((await api.post('/employees', { userid, name: userid, departmentIds: [dept], role })).status).toBe(201);
  }
}

describeDb('employee routes', (db) => {
  const app = useTestApp(db);
  const scene = async () => {
    const s: Scene = await buildApiScene(db().db);
    await orgScene(apiClient(app, s.key));
    return s;
  };
  /** An employee's own console session: managing the org is never done through an app acting as them. */
  const sessionOf = async (s: Scene, userid: string) =>
    sessionClient(app, await loginCookie(app, s.corpId, userid, await givePassword(db().db, s.corpId, userid)));

  it('POST /employees: 401 → 400 (schema, unknown departments and role) → 403 → 409 → 201', async () => {
    const s = await scene();
    const post =
      (body: unknown, key: string | null = s.key, as?: string) =>
      () =>
        apiClient(app, key, as).post('/employees', body);
    const body = { userid: 'new.one', name: '新人', departmentIds: [3], role: 'staff' };
    await expectOrgRefused(db().db, s.corpId, post(body, null), 401, 'unauthorized');
    expect(
      detailPaths(await expectOrgRefused(db().db, s.corpId, post({ userid: 'bad id', name: '', departmentIds: [], role: 'staff' }), 400, 'validation_failed')),
    ).toEqual(['body.userid', 'body.name', 'body.departmentIds']);
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, post({ ...body, departmentIds: [3, 98, 99] }), 400, 'validation_failed'))).toEqual([
      'body.departmentIds.1',
      'body.departmentIds.2',
    ]);
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, post({ ...body, departmentIds: [99], role: 'wizard' }), 400, 'validation_failed'))).toEqual([
      'body.departmentIds.0',
      'body.role',
    ]);
    await expectOrgRefused(db().db, s.corpId, post(body, s.key, 'mgr'), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, post({ ...body, userid: 'sh1' }), 409, 'conflict');
    const created = await post(body)();
    expect(created).toMatchObject({
      status: 201,
      body: { userid: 'new.one', name: '新人', departmentIds: [3], role: 'staff', status: 'active', hasPassword: false },
    });
    expect(JSON.stringify(created.body)).not.toContain('passwordHash');
  });

  it('GET /employees: filters and pages; each caller sees only their reach, and others are 404', async () => {
    const s = await scene();
    const all = async (api: Api, query = '') => (await api.get(`/employees?limit=1000${query}`)).body.employees.map((e: { userid: string }) => e.userid);
    expect(await all(apiClient(app, s.key), '&department=2')).toEqual(['boss', 'hr1', 'mgr']);
    expect(await all(apiClient(app, s.key), '&department=2&recursive=true')).toEqual(['boss', 'hr1', 'mgr', 'sh1']);
    expect(await all(apiClient(app, s.key), '&role=staff&department=4')).toEqual(['bj1']);
    const page1 = await apiClient(app, s.key).get('/employees?department=2&recursive=true&limit=3');
    expect(page1.body.employees).toHaveLength(3);
    const page2 = await apiClient(app, s.key).get(`/employees?department=2&recursive=true&limit=3&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ employees: [{ userid: 'sh1' }], nextCursor: null });
    expect((await apiClient(app, s.key).get('/employees?cursor=!!!')).body.error.code).toBe('invalid_cursor');

    // A regional manager reaches their region; staff only themselves.
    expect(await all(apiClient(app, s.key, 'mgr'))).toEqual(['boss', 'hr1', 'mgr', 'sh1']);
    expect(await all(apiClient(app, s.key, 'sh1'))).toEqual(['sh1']);
    expect((await apiClient(app, s.key, 'mgr').get('/employees/sh1')).body).toMatchObject({ userid: 'sh1', departmentIds: [3] });
    expect((await apiClient(app, s.key, 'mgr').get('/employees/bj1')).body.error.code).toBe('employee_not_found');
    expect((await apiClient(app, s.key).get('/employees/nobody')).status).toBe(404);
  });

  it('PATCH /employees/:userid: 403 → 404 outside reach → role applies at once; leaving ends the sessions', async () => {
    const s = await scene();
    const hr = await sessionOf(s, 'hr1');
    const patch = (userid: string, body: unknown, as?: 'mgr' | 'hr1') => () =>
      (as === 'hr1' ? hr : apiClient(app, s.key, as)).patch(`/employees/${userid}`, body);
    await expectOrgRefused(db().db, s.corpId, patch('sh1', { name: '改' }, 'mgr'), 403, 'forbidden');
    // Even acting as HR, an app may not manage employees; in HR's own session, bj1 is outside their reach.
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, s.key, 'hr1').patch('/employees/sh1', { name: '改' }), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, patch('bj1', { name: '改' }, 'hr1'), 404, 'employee_not_found');
    await expectOrgRefused(db().db, s.corpId, patch('nobody', { name: '改' }), 404, 'employee_not_found');
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, patch('sh1', { role: 'wizard', departmentIds: [42] }), 400, 'validation_failed'))).toEqual([
      'body.departmentIds.0',
      'body.role',
    ]);

    const cookie = await loginCookie(app, s.corpId, 'sh1', await givePassword(db().db, s.corpId, 'sh1'));
    expect((await sessionClient(app, cookie).post('/tag-groups', { name: '组', tags: [{ name: '签' }] })).status).toBe(403);
    expect((await patch('sh1', { role: 'manager', name: '上海一' }, 'hr1')()).status).toBe(403);
    expect((await patch('sh1', { role: 'manager', name: '上海一' })()).body).toMatchObject({ role: 'manager', name: '上海一' });
    expect((await sessionClient(app, cookie).post('/tag-groups', { name: '组', tags: [{ name: '签' }] })).status).toBe(201);

    const left = await patch('sh1', { status: 'left' })();
    expect(left.body.status).toBe('left');
    expect((await sessionClient(app, cookie).get('/auth/me')).status).toBe(401);
  });

  it('an HR role with org.manage but not role.manage manages only roles no stronger than its own', async () => {
    const s = await scene();
    const hr = await sessionOf(s, 'hr1');
    await expectOrgRefused(db().db, s.corpId, () => hr.patch('/employees/hr1', { role: 'admin' }), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, () => hr.post('/employees', { userid: 'x1', name: 'x', departmentIds: [2], role: 'manager' }), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, () => hr.post('/employees/boss/password', { password: 'take-over-the-boss' }), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, () => hr.patch('/employees/mgr', { name: '改' }), 403, 'forbidden');
    expect((await hr.post('/employees', { userid: 'x1', name: 'x', departmentIds: [2], role: 'readonly' })).status).toBe(201);
    expect((await hr.patch('/employees/sh1', { role: 'readonly' })).status).toBe(200);
  });

  it('POST /employees/:userid/password: 400 → 403 → 404 → 409 left → 200; the user logs in and old sessions end', async () => {
    const s = await scene();
    const set = (userid: string, body: unknown, as?: string) => () => apiClient(app, s.key, as).post(`/employees/${userid}/password`, body);
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, set('sh1', { password: 'short' }), 400, 'validation_failed'))).toEqual(['body.password']);
    await expectOrgRefused(db().db, s.corpId, set('sh1', { password: 'long-enough-pw' }, 'mgr'), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, set('ghost', { password: 'long-enough-pw' }), 404, 'employee_not_found');
    await apiClient(app, s.key).patch('/employees/bj1', { status: 'left' });
    await expectOrgRefused(db().db, s.corpId, set('bj1', { password: 'long-enough-pw' }), 409, 'conflict');

    const admin = sessionClient(app, await loginCookie(app, s.corpId, 'boss', await givePassword(db().db, s.corpId, 'boss')));
    expect((await admin.post('/employees/sh1/password', { password: 'first-password' })).body).toEqual({ userid: 'sh1', sessionsEnded: 0 });
    const cookie = await loginCookie(app, s.corpId, 'sh1', 'first-password');
    expect((await admin.post('/employees/sh1/password', { password: 'second-password' })).body).toEqual({ userid: 'sh1', sessionsEnded: 1 });
    expect((await sessionClient(app, cookie).get('/auth/me')).status).toBe(401);
    expect((await login(app, { corpId: s.corpId, username: 'sh1', password: 'first-password' })).status).toBe(401);
    expect((await login(app, { corpId: s.corpId, username: 'sh1', password: 'second-password' })).status).toBe(200);
  });
});
