import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events } from '../../db/schema/index.js';
import { apiClient, buildApiScene, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';

describeDb('join-way routes (/api/v1/join-ways)', (db) => {
  const app = useTestApp(db);

  /** A chat owned by `owner` with a customer who joined at `joinTime` with `state`. */
  async function chatWithJoin(api: ReturnType<typeof apiClient>, chatId: string, owner: string, customer: string, state: string, joinTime: string) {
    expect((await api.post('/group-chats', { chatId, owner, name: `${chatId}群` })).status).toBe(201);
    const joined = await api.post(`/group-chats/${chatId}/members`, { externalUserid: customer, joinTime, joinScene: 3, state, name: '入群客户' });
    expect(joined.status).toBe(201);
  }

  it('POST → GET list → GET one → PATCH → arrivals → DELETE, each change an event', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const admin = apiClient(app, s.key, s.admin);
    await chatWithJoin(api, 'wrA', s.staffA, s.customer, '春季群', '2026-03-01T08:00:00.000Z');
    await chatWithJoin(api, 'wrB', s.staffB, s.customer, '春季群', '2026-03-02T08:00:00.000Z');
    await chatWithJoin(api, 'wrC', s.staffA, s.customer, '别的', '2026-03-03T08:00:00.000Z');

    const created = await admin.post('/join-ways', { scene: 'qrcode', remark: '春季', chatIdList: ['wrA', 'wrB'], state: '春季群' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const configId = created.body.configId as string;
    expect(created.body).toMatchObject({
      scene: 'qrcode',
      remark: '春季',
      autoCreateRoom: true,
      chatIdList: ['wrA', 'wrB'],
      state: '春季群',
      qrCode: `tagloom://join-way/${configId}`,
    });
    expect((await admin.get('/join-ways')).body.joinWays).toMatchObject([{ configId }]);
    expect((await admin.get(`/join-ways/${configId}`)).body).toMatchObject({ configId, remark: '春季' });

    const patched = await admin.patch(`/join-ways/${configId}`, { remark: '春季2', autoCreateRoom: false });
    expect(patched.body).toMatchObject({ remark: '春季2', autoCreateRoom: false, state: '春季群', chatIdList: ['wrA', 'wrB'] });

    const first = await admin.get(`/join-ways/${configId}/arrivals?limit=1`);
    expect(first.body).toMatchObject({ total: 2, arrivals: [{ chatId: 'wrB', chatName: 'wrB群', memberId: s.customer, type: 'customer', joinScene: 3 }] });
    const rest = await admin.get(`/join-ways/${configId}/arrivals?limit=1&cursor=${first.body.nextCursor}`);
    expect(rest.body).toMatchObject({ nextCursor: null, arrivals: [{ chatId: 'wrA', joinTime: '2026-03-01T08:00:00.000Z' }] });
    // Staff A sees only the chats they own: one arrival of the two.
    expect((await apiClient(app, s.key, s.staffA).get(`/join-ways/${configId}/arrivals`)).body).toMatchObject({ total: 1, arrivals: [{ chatId: 'wrA' }] });

    expect((await admin.delete(`/join-ways/${configId}`)).status).toBe(204);
    await expectRefused(db().db, s.corpId, () => admin.get(`/join-ways/${configId}`), 404, 'join_way_not_found');
    const recorded = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.subjectId, configId)));
    expect(recorded.map((e) => e.type).sort()).toEqual(['join_way.created', 'join_way.deleted', 'join_way.updated']);
  });

  it('refuses bad input naming each field, unknown chats and ways, and staff without rule.manage, changing nothing', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const admin = apiClient(app, s.key, s.admin);
    await chatWithJoin(api, 'wrA', s.staffA, s.customer, 'x', '2026-03-01T08:00:00.000Z');
    const bad = await expectRefused(
      db().db,
      s.corpId,
      () => admin.post('/join-ways', { scene: 'poster', chatIdList: [], state: '长'.repeat(31), extra: 1 }),
      400,
      'validation_failed',
    );
    const paths = (bad.body.error.details as { path: string }[]).map((d) => d.path);
    for (const field of ['scene', 'chatIdList', 'state'])
      expect(
        paths.some((p) => p.includes(field)),
        `${field} in ${paths}`,
      ).toBe(true);
    await expectRefused(
      db().db,
      s.corpId,
      () => admin.post('/join-ways', { scene: 'qrcode', chatIdList: ['wr1', 'wr2', 'wr3', 'wr4', 'wr5', 'wr6'] }),
      400,
      'validation_failed',
    );
    await expectRefused(db().db, s.corpId, () => admin.post('/join-ways', { scene: 'qrcode', chatIdList: ['wrNope'] }), 404, 'chat_not_found');
    await expectRefused(db().db, s.corpId, () => admin.patch('/join-ways/jwNope', { remark: 'x' }), 404, 'join_way_not_found');
    await expectRefused(db().db, s.corpId, () => admin.patch('/join-ways/jwNope', {}), 400, 'validation_failed');
    await expectRefused(db().db, s.corpId, () => admin.delete('/join-ways/jwNope'), 404, 'join_way_not_found');
    await expectRefused(db().db, s.corpId, () => admin.get('/join-ways/jwNope/arrivals'), 404, 'join_way_not_found');
    await expectRefused(
      db().db,
      s.corpId,
      () => apiClient(app, s.key, s.staffA).post('/join-ways', { scene: 'qrcode', chatIdList: ['wrA'] }),
      403,
      'forbidden',
    );
    const way = (await admin.post('/join-ways', { scene: 'qrcode', chatIdList: ['wrA'], state: 'x' })).body.configId as string;
    await expectRefused(db().db, s.corpId, () => admin.get(`/join-ways/${way}/arrivals?cursor=bogus`), 400, 'invalid_cursor');
  });
});
