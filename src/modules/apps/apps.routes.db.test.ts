import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { accessTokens, apps, corps } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer } from '../../test/factories.js';
import { expectOrgRefused, givePassword, loginCookie, sessionClient } from '../../test/session.js';
import { callWecom, fetchToken } from '../../wecom/test-support.js';

type Scene = Awaited<ReturnType<typeof buildApiScene>>;

/** Departments 1 (root) → 2 (华东) and 3 (华北), one employee in each, and a customer followed only by each. */
async function orgScene(app: Parameters<typeof apiClient>[0], s: Scene) {
  const api = apiClient(app, s.key);
  for (const body of [
    { deptId: 1, name: '总部', parentId: 0 },
    { deptId: 2, name: '华东', parentId: 1, region: '华东' },
    { deptId: 3, name: '华北', parentId: 1, region: '华北' },
  ]) {
    expect((await api.post('/departments', body)).status).toBe(201);
  }
  for (const [userid, dept] of [
    ['east1', 2],
    ['north1', 3],
  ] as const) {
    expect((await api.post('/employees', { userid, name: userid, departmentIds: [dept], role: 'staff' })).status).toBe(201);
  }
  return { eastCustomer: await buildCustomer(s.ctx, ['east1']), northCustomer: await buildCustomer(s.ctx, ['north1']) };
}

describeDb('app routes', (db) => {
  const app = useTestApp(db);

  it('POST /apps: 401 → 400 → 403 → 201 with the secret once; the secret works for gettoken and as a Bearer key', async () => {
    const s = await buildApiScene(db().db);
    await orgScene(app, s);
    const body = { name: '华东小程序', range: { departments: [2], userids: [] } };
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, null).post('/apps', body), 401, 'unauthorized');
    const bad = await expectOrgRefused(
      db().db,
      s.corpId,
      () => apiClient(app, s.key).post('/apps', { name: '', range: { departments: ['x'] } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(bad)).toEqual(['body.name', 'body.range.departments.0', 'body.range.userids']);
    const unknown = await expectOrgRefused(
      db().db,
      s.corpId,
      () => apiClient(app, s.key).post('/apps', { name: 'x', range: { departments: [2, 99], userids: ['ghost'] } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(unknown)).toEqual(['body.range.departments.1', 'body.range.userids.0']);
    const staff = sessionClient(app, await loginCookie(app, s.corpId, s.staffA, await givePassword(db().db, s.corpId, s.staffA)));
    await expectOrgRefused(db().db, s.corpId, () => staff.post('/apps', body), 403, 'forbidden');

    const created = await apiClient(app, s.key).post('/apps', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      app: { name: '华东小程序', kind: 'app', range: { departments: [2], userids: [] }, rotatedAt: null },
      secret: expect.stringMatching(/^[A-Za-z0-9]{43}$/),
    });
    const [row] = await db().db.select().from(apps).where(eq(apps.appId, created.body.app.appId));
    expect(JSON.stringify(row)).not.toContain(created.body.secret);

    await fetchToken(app(), s.corpId, created.body.secret);
    expect((await apiClient(app, created.body.secret).get('/tag-groups')).status).toBe(200);
    const listed = await apiClient(app, s.key).get('/apps');
    expect(listed.body.apps.map((a: { appId: string; range: unknown }) => [a.appId, a.range])).toEqual([
      ['customer_contact', null],
      [created.body.app.appId, { departments: [2], userids: [] }],
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    // A ranged app may not manage apps: otherwise it could widen its own range or rotate the full secret.
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, created.body.secret).get('/apps'), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, created.body.secret).post('/apps/customer_contact/rotate'), 403, 'forbidden');
  });

  it('a ranged app reaches only the customers of its range, on both surfaces; a new range applies at once', async () => {
    const s = await buildApiScene(db().db);
    const { eastCustomer, northCustomer } = await orgScene(app, s);
    const created = await apiClient(app, s.key).post('/apps', { name: '华东', range: { departments: [2], userids: [] } });
    const ranged = apiClient(app, created.body.secret);
    expect((await ranged.get(`/customers/${eastCustomer}`)).status).toBe(200);
    expect((await ranged.get(`/customers/${northCustomer}`)).body.error.code).toBe('customer_not_found');
    const token = await fetchToken(app(), s.corpId, created.body.secret);
    expect((await callWecom(app(), 'externalcontact/get', { token, query: { external_userid: northCustomer } })).body.errcode).toBe(40096);
    expect((await callWecom(app(), 'externalcontact/get', { token, query: { external_userid: eastCustomer } })).body.errcode).toBe(0);
    // Acting as someone outside the range would borrow their reach; it is refused.
    expect((await apiClient(app, created.body.secret, s.admin).get('/tag-groups')).status).toBe(401);

    const widened = await apiClient(app, s.key).patch(`/apps/${created.body.app.appId}`, { range: { departments: [2], userids: ['north1'] } });
    expect(widened.body.range).toEqual({ departments: [2], userids: ['north1'] });
    expect((await ranged.get(`/customers/${northCustomer}`)).status).toBe(200);
  });

  it('a range changed by another process applies at once, though this process still caches the key', async () => {
    const s = await buildApiScene(db().db);
    const { eastCustomer, northCustomer } = await orgScene(app, s);
    const created = await apiClient(app, s.key).post('/apps', { name: '华东', range: { departments: [2], userids: [] } });
    const ranged = apiClient(app, created.body.secret);
    const token = await fetchToken(app(), s.corpId, created.body.secret);
    expect((await ranged.get(`/customers/${eastCustomer}`)).status).toBe(200);
    // Another process moves the app to 华北 (as updateApp does: the row and the org version), so
    // this process's key and token cache is not cleared.
    await db()
      .db.update(apps)
      .set({ rangeDepartments: [3] })
      .where(eq(apps.appId, created.body.app.appId));
    await db()
      .db.update(corps)
      .set({ orgVersion: sql`${corps.orgVersion} + 1` })
      .where(eq(corps.corpId, s.corpId));
    expect((await ranged.get(`/customers/${eastCustomer}`)).body.error.code).toBe('customer_not_found');
    expect((await ranged.get(`/customers/${northCustomer}`)).status).toBe(200);
    expect((await callWecom(app(), 'externalcontact/get', { token, query: { external_userid: eastCustomer } })).body.errcode).toBe(40096);
  });

  it('PATCH /apps/:appId: 404 for an unknown app; the customer-contact app cannot be given a range', async () => {
    const s = await buildApiScene(db().db);
    await orgScene(app, s);
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, s.key).patch('/apps/apNOPE', { name: 'x' }), 404, 'not_found');
    const res = await expectOrgRefused(
      db().db,
      s.corpId,
      () => apiClient(app, s.key).patch('/apps/customer_contact', { range: { departments: [2], userids: [] } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(res)).toEqual(['body.range']);
    const renamed = await apiClient(app, s.key).patch('/apps/customer_contact', { name: '客户联系（主）' });
    expect(renamed.body).toMatchObject({ appId: 'customer_contact', name: '客户联系（主）', range: null });
  });

  it('rotate: the old secret and its tokens stop working on both surfaces, the new secret works', async () => {
    const s = await buildApiScene(db().db);
    await orgScene(app, s);
    const created = await apiClient(app, s.key).post('/apps', { name: '旧', range: { departments: [1], userids: [] } });
    const appId = created.body.app.appId as string;
    const oldSecret = created.body.secret as string;
    const oldToken = await fetchToken(app(), s.corpId, oldSecret);
    expect((await callWecom(app(), 'externalcontact/get_follow_user_list', { token: oldToken })).body.errcode).toBe(0);
    expect((await apiClient(app, oldSecret).get('/tag-groups')).status).toBe(200);
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, s.key).post('/apps/apNOPE/rotate'), 404, 'not_found');

    const rotated = await apiClient(app, s.key).post(`/apps/${appId}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.app.rotatedAt).not.toBeNull();
    expect(rotated.body.secret).not.toBe(oldSecret);
    expect(await db().db.select().from(accessTokens).where(eq(accessTokens.appId, appId))).toEqual([]);
    expect((await callWecom(app(), 'gettoken', { query: { corpid: s.corpId, corpsecret: oldSecret } })).body.errcode).toBe(40001);
    expect((await callWecom(app(), 'externalcontact/get_follow_user_list', { token: oldToken })).body.errcode).toBe(40014);
    expect((await apiClient(app, oldSecret).get('/tag-groups')).status).toBe(401);

    const newToken = await fetchToken(app(), s.corpId, rotated.body.secret);
    expect(newToken).not.toBe(oldToken);
    expect((await callWecom(app(), 'externalcontact/get_follow_user_list', { token: newToken })).body.errcode).toBe(0);
    expect((await apiClient(app, rotated.body.secret).get('/tag-groups')).status).toBe(200);
  });
});
