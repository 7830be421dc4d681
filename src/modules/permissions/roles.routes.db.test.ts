import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events, roles } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { expectOrgRefused, givePassword, loginCookie, sessionClient } from '../../test/session.js';

describeDb('role routes', (db) => {
  const app = useTestApp(db);

  it('GET /permissions lists the registry with descriptions and dependencies; GET /roles the four built-ins', async () => {
    const s = await buildApiScene(db().db);
    expect((await apiClient(app, null).get('/permissions')).status).toBe(401);
    const registry = await apiClient(app, s.key, s.intern).get('/permissions');
    expect(registry.body.permissions).toContainEqual({
      permission: 'tag.apply',
      description: 'Put enterprise tags on customers',
      dependsOn: ['customer.view'],
    });
    const listed = await apiClient(app, s.key, s.intern).get('/roles');
    expect(listed.body.roles.map((r: { roleId: string; builtIn: boolean; customized: boolean }) => [r.roleId, r.builtIn, r.customized])).toEqual([
      ['admin', true, false],
      ['manager', true, false],
      ['staff', true, false],
      ['readonly', true, false],
    ]);
  });

  it('POST /roles: 401 → 400 (unknown permissions and missing dependencies listed) → 403 → 409 → 201', async () => {
    const s = await buildApiScene(db().db);
    const post =
      (body: unknown, key: string | null = s.key, as?: string) =>
      () =>
        apiClient(app, key, as).post('/roles', body);
    const body = { roleId: 'east-sales', name: '华东销售经理', permissions: ['customer.view', 'tag.apply', 'tag.remove'], dataScope: 'region' };
    await expectOrgRefused(db().db, s.corpId, post(body, null), 401, 'unauthorized');
    expect(
      detailPaths(
        await expectOrgRefused(db().db, s.corpId, post({ roleId: 'X', name: '', permissions: 'all', dataScope: 'galaxy' }), 400, 'validation_failed'),
      ),
    ).toEqual(['body.roleId', 'body.name', 'body.permissions', 'body.dataScope']);
    const unsound = await expectOrgRefused(
      db().db,
      s.corpId,
      post({ ...body, permissions: ['tag.apply', 'tag.fly', 'customer.export'] }),
      400,
      'validation_failed',
    );
    expect(unsound.body.error.details).toEqual([
      { path: 'body.permissions.1', code: 'unknown_permission', message: 'no permission "tag.fly"' },
      {
        path: 'body.permissions',
        code: 'missing_dependency',
        missing: 'customer.view',
        requiredBy: ['tag.apply', 'customer.export'],
        message: '"customer.view" is required by "tag.apply", "customer.export"',
      },
    ]);
    await expectOrgRefused(db().db, s.corpId, post(body, s.key, s.staffA), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, post({ ...body, roleId: 'staff' }), 409, 'conflict');

    // The admin's own session; an app acting as the admin may not manage roles.
    await expectOrgRefused(db().db, s.corpId, post(body, s.key, s.admin), 403, 'forbidden');
    const admin = sessionClient(app, await loginCookie(app, s.corpId, s.admin, await givePassword(db().db, s.corpId, s.admin)));
    const created = await admin.post('/roles', body);
    expect(created).toMatchObject({ status: 201, body: { ...body, description: '', builtIn: false, customized: false } });
    await expectOrgRefused(db().db, s.corpId, post(body), 409, 'conflict');
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'role.created')));
    expect(event).toMatchObject({ subjectType: 'role', subjectId: 'east-sales', actor: `user:${s.admin}`, source: 'console' });
  });

  it("PATCH /roles/:roleId: editing a built-in stores the corp's own version, which applies to its holders at once", async () => {
    const s = await buildApiScene(db().db);
    const intern = sessionClient(app, await loginCookie(app, s.corpId, s.intern, await givePassword(db().db, s.corpId, s.intern)));
    const patch = (roleId: string, body: unknown, as?: string) => () => apiClient(app, s.key, as).patch(`/roles/${roleId}`, body);
    expect(detailPaths(await expectOrgRefused(db().db, s.corpId, patch('readonly', {}), 400, 'validation_failed'))).toEqual(['body']);
    const missing = await expectOrgRefused(db().db, s.corpId, patch('readonly', { permissions: ['tagGroup.create'] }), 400, 'validation_failed');
    expect(missing.body.error.details).toMatchObject([{ code: 'missing_dependency', missing: 'customer.view' }]);
    await expectOrgRefused(db().db, s.corpId, patch('readonly', { name: '实习' }, s.intern), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, patch('ghost', { name: '鬼' }), 404, 'not_found');

    expect((await intern.post('/tag-groups', { name: '组', tags: [{ name: '签' }] })).status).toBe(403);
    const edited = await patch('readonly', { permissions: ['customer.view', 'tagGroup.create', 'tag.create'] })();
    expect(edited.body).toMatchObject({ roleId: 'readonly', name: '只读（实习生）', dataScope: 'own', builtIn: true, customized: true });
    expect(
      await db()
        .db.select({ builtIn: roles.builtIn })
        .from(roles)
        .where(and(eq(roles.corpId, s.corpId), eq(roles.roleId, 'readonly'))),
    ).toEqual([{ builtIn: 1 }]);
    expect((await intern.get('/auth/me')).body.abilities).toMatchObject({ 'tagGroup.create': true, 'tag.apply': false });
    expect((await intern.post('/tag-groups', { name: '组', tags: [{ name: '签' }] })).status).toBe(201);
  });

  it('DELETE /roles/:roleId: 403 → 404 → built-ins and held roles refused → 200', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    await api.post('/roles', { roleId: 'temp', name: '临时', permissions: ['customer.view'], dataScope: 'own' });
    await api.post('/roles', { roleId: 'held', name: '在用', permissions: ['customer.view'], dataScope: 'own' });
    await api.patch(`/employees/${s.staffB}`, { role: 'held' });
    await expectOrgRefused(db().db, s.corpId, () => apiClient(app, s.key, s.staffA).delete('/roles/temp'), 403, 'forbidden');
    await expectOrgRefused(db().db, s.corpId, () => api.delete('/roles/ghost'), 404, 'not_found');
    await expectOrgRefused(db().db, s.corpId, () => api.delete('/roles/readonly'), 409, 'conflict');
    expect((await expectOrgRefused(db().db, s.corpId, () => api.delete('/roles/held'), 409, 'conflict')).body.error.message).toContain('1 employee');
    expect(await api.delete('/roles/temp')).toMatchObject({ status: 200, body: { roleId: 'temp' } });
    expect((await api.get('/roles')).body.roles.map((r: { roleId: string }) => r.roleId)).toEqual(['admin', 'manager', 'staff', 'readonly', 'held']);
  });
});
