import { count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { corps, departments, employees, events } from '../../db/schema/index.js';
import { apiClient, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { unique } from '../../test/factories.js';
import { login } from '../../test/session.js';

const platformKey = 'platform-key-for-tests-0123456789abcdef';

describeDb('platform operator API: opening corps', (db) => {
  const app = useTestApp(db, { platformKey });
  const without = useTestApp(db);
  const platform = (key: string | null) => apiClient(app, key);
  const corpCount = async () => (await db().db.select({ n: count() }).from(corps))[0]!.n;

  it('401 without the key or with a wrong one (or a corp secret), 400 for a bad body, nothing created', async () => {
    const before = await corpCount();
    expect((await platform(null).post('/platform/corps', { corpId: 'wwnokey', name: 'x' })).status).toBe(401);
    expect((await platform(`${platformKey}x`).post('/platform/corps', { corpId: 'wwbadkey', name: 'x' })).body.error.code).toBe('unauthorized');
    const opened = (await platform(platformKey).post('/platform/corps', { corpId: unique('ww'), name: '某公司' })).body;
    expect((await platform(opened.secret).get('/platform/corps')).status).toBe(401);
    const bad = await platform(platformKey).post('/platform/corps', {
      corpId: 'a b',
      name: '',
      admin: { userid: 'x y', name: 'n', password: 'short' },
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.admin.password',
      'body.admin.userid',
      'body.corpId',
      'body.extra',
      'body.name',
    ]);
    const invisible = await platform(platformKey).post('/platform/corps', { corpId: unique('ww'), name: '\u200b\u3000' });
    expect(invisible.status).toBe(400);
    expect(invisible.body.error.details).toMatchObject([{ path: 'name', message: 'blank' }]);
    expect(await corpCount()).toBe(before + 1);
  });

  it('opens a corp whose secret works on both surfaces and whose admin can log in; a taken corpid is 409 and changes nothing', async () => {
    const corpId = unique('ww');
    const res = await platform(platformKey).post('/platform/corps', { corpId, name: '新开企业', admin: { userid: 'boss', name: '老板' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ corpId, name: '新开企业', admin: { userid: 'boss', name: '老板' } });
    expect(res.body.secret).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(res.body.admin.password.length).toBeGreaterThanOrEqual(20);

    const token = await app().inject({ url: `/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${res.body.secret}` });
    expect(token.json()).toMatchObject({ errcode: 0 });
    expect((await apiClient(app, res.body.secret).get('/departments')).body.departments).toMatchObject([{ deptId: 1, name: '新开企业', parentId: 0 }]);
    const session = await login(app, { corpId, username: 'boss', password: res.body.admin.password });
    expect(session.status).toBe(200);
    expect(session.body.user.role).toBe('admin');
    const [employee] = await db().db.select().from(employees).where(eq(employees.corpId, corpId));
    expect(employee).toMatchObject({ userid: 'boss', role: 'admin', departmentIds: [1] });
    expect(JSON.stringify(await db().db.select().from(events).where(eq(events.corpId, corpId)))).not.toContain(res.body.admin.password);

    const eventsBefore = (await db().db.select({ n: count() }).from(events).where(eq(events.corpId, corpId)))[0]!.n;
    const again = await platform(platformKey).post('/platform/corps', { corpId, name: '重名', admin: { userid: 'other', name: '别人' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect((await db().db.select({ n: count() }).from(events).where(eq(events.corpId, corpId)))[0]!.n).toBe(eventsBefore);
    expect(await db().db.select({ name: corps.name }).from(corps).where(eq(corps.corpId, corpId))).toEqual([{ name: '新开企业' }]);
    expect(await db().db.select({ n: count() }).from(departments).where(eq(departments.corpId, corpId))).toEqual([{ n: 1 }]);

    const list = await platform(platformKey).get('/platform/corps');
    expect(list.status).toBe(200);
    expect(list.body.corps).toContainEqual({ corpId, name: '新开企业', createdAt: expect.any(String) });
  });

  it('does not exist when no platform key is configured', async () => {
    const before = await corpCount();
    const res = await without().inject({
      method: 'POST',
      url: '/api/v1/platform/corps',
      headers: { authorization: `Bearer ${platformKey}` },
      payload: { corpId: unique('ww'), name: 'x' },
    });
    // An unknown /api/v1 path asks for a corp's credentials first, like every other.
    expect(res.statusCode).toBe(401);
    expect(await corpCount()).toBe(before);
    expect(without().routeTable.some((r) => r.url.includes('/platform/'))).toBe(false);
  });
});
