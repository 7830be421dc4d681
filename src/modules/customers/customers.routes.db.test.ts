import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { follows } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, buildEmployees } from '../../test/factories.js';

describeDb('customer routes', (db) => {
  const app = useTestApp(db);

  it('GET /customers: 400 lists every issue → 404 unknown userid → 200 pages with a cursor', async () => {
    const s = await buildApiScene(db().db);
    const [loner] = await buildEmployees(s.ctx, 1);
    const more = [await buildCustomer(s.ctx, [s.staffA]), await buildCustomer(s.ctx, [loner!]), await buildCustomer(s.ctx, [s.staffB, s.staffA])];
    const api = apiClient(app, s.key);
    const bad = await api.get('/customers?limit=1001&cursor=&user=x');
    expect(bad.status).toBe(400);
    expect(detailPaths(bad)).toEqual(['query.limit', 'query.user']);
    expect((await api.get('/customers?cursor=!!!')).body.error.code).toBe('invalid_cursor');
    expect((await api.get('/customers?userid=nobody')).body.error.code).toBe('employee_not_found');

    const first = await api.get('/customers?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.customers.map((c: { externalUserid: string }) => c.externalUserid)).toEqual([s.customer, more[0]]);
    expect(first.body.customers[0].followUserids.sort()).toEqual([s.staffA, s.staffB].sort());
    const second = await api.get(`/customers?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.customers.map((c: { externalUserid: string }) => c.externalUserid)).toEqual([more[1], more[2]]);

    const followedByA = await apiClient(app, s.key, s.staffA).get(`/customers?userid=${s.staffA}&limit=1000`);
    expect(followedByA.body.customers.map((c: { externalUserid: string }) => c.externalUserid)).toEqual([s.customer, more[0], more[2]]);
  });

  it('GET /customers/:externalUserid: 404 unknown → 200 with follows and their tags', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    expect((await api.get('/customers/wmNOPE')).body.error.code).toBe('customer_not_found');
    await api.post(`/customers/${s.customer}/follows/${s.staffB}/tags`, { add: [s.tags[1]!.tagId] });
    const res = await api.get(`/customers/${s.customer}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ externalUserid: s.customer, attributes: {} });
    expect(res.body.follows.map((f: { userid: string }) => f.userid).sort()).toEqual([s.staffA, s.staffB].sort());
    expect(res.body.follows.find((f: { userid: string }) => f.userid === s.staffB).tags).toEqual([
      {
        tagId: s.tags[1]!.tagId,
        name: '低意向',
        groupId: s.group.groupId,
        groupName: s.group.name,
        type: 'corp',
        origin: { source: 'api', by: 'app:customer_contact', byName: null, operationId: null, operationKind: null, at: expect.any(String) },
      },
    ]);
  });

  it('POST …/follows/:userid/tags: 400 → 403 → 404 → 200', async () => {
    const s = await buildApiScene(db().db);
    const mark =
      (userid: string, body: unknown, as?: string, customer = s.customer) =>
      () =>
        apiClient(app, s.key, as).post(`/customers/${customer}/follows/${userid}/tags`, body);
    const [t0, t1] = [s.tags[0]!.tagId, s.tags[1]!.tagId];
    expect(detailPaths(await expectRefused(db().db, s.corpId, mark(s.staffA, { add: 'x', removes: [] }), 400, 'validation_failed'))).toEqual([
      'body.add',
      'body.removes',
    ]);
    expect(detailPaths(await expectRefused(db().db, s.corpId, mark(s.staffA, { add: [] }), 400, 'validation_failed'))).toEqual(['body']);
    await expectRefused(db().db, s.corpId, mark(s.staffA, { add: [t0] }, s.intern), 403, 'forbidden');
    // Staff tag only the customers they follow themselves.
    await expectRefused(db().db, s.corpId, mark(s.staffA, { add: [t0] }, s.staffB), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, mark(s.staffA, { add: [t0, 'etNOPE'] }), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, mark('nobody', { add: [t0] }), 404, 'employee_not_found');
    await expectRefused(db().db, s.corpId, mark(s.staffA, { add: [t0] }, undefined, 'wmNOPE'), 404, 'customer_not_found');
    await expectRefused(db().db, s.corpId, mark(s.intern, { add: [t0] }), 404, 'no_relation');

    const asA = apiClient(app, s.key, s.staffA);
    expect((await asA.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [t0, t1] })).body).toEqual({ added: [t0, t1], removed: [] });
    const again = await asA.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [t0], remove: [t1] });
    expect(again.body).toEqual({ added: [], removed: [t1] });
  });

  it('PATCH …/follows/:userid: 400 lists every issue → 403 → 404 → 200', async () => {
    const s = await buildApiScene(db().db);
    const patch = (userid: string, body: unknown, as?: string) => () => apiClient(app, s.key, as).patch(`/customers/${s.customer}/follows/${userid}`, body);
    const bad = await expectRefused(
      db().db,
      s.corpId,
      patch(s.staffA, { remark: '长'.repeat(21), remarkMobiles: ['1', '2', '3', '4', '5', '6'], remark_company: 'x' }),
      400,
      'validation_failed',
    );
    expect(detailPaths(bad)).toEqual(['body.remark', 'body.remarkMobiles', 'body.remark_company']);
    await expectRefused(db().db, s.corpId, patch(s.staffA, { remark: '张总' }, s.intern), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, patch(s.staffA, { remark: '张总' }, s.staffB), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, patch(s.intern, { remark: '张总' }), 404, 'no_relation');

    const res = await apiClient(app, s.key, s.staffA).patch(`/customers/${s.customer}/follows/${s.staffA}`, {
      remark: '张总',
      remarkCompany: '腾讯',
      remarkMobiles: ['13800000000'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      userid: s.staffA,
      externalUserid: s.customer,
      remark: '张总',
      remarkCompany: '腾讯',
      remarkMobiles: ['13800000000'],
      description: '',
    });
    const [row] = await db()
      .db.select()
      .from(follows)
      .where(and(eq(follows.corpId, s.corpId), eq(follows.userid, s.staffA)));
    expect(row).toMatchObject({ remark: '张总', remarkCorpName: '腾讯' });
  });
});
