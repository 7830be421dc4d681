import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { customerEvents, events } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, buildEmployees } from '../../test/factories.js';

describeDb('group chat routes', (db) => {
  const app = useTestApp(db);
  const joinedAt = '2026-03-02T08:00:00.000Z';

  it('POST records a chat (201; 409 when recorded already), PATCH changes it keeping what was left out; GET reads it back', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const created = await api.post('/group-chats', { chatId: 'wrChat1', owner: s.staffA, name: '三月看房群', notice: '周三开放日' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ chatId: 'wrChat1', owner: s.staffA, name: '三月看房群', notice: '周三开放日', status: 0, memberVersion: 0 });
    await expectRefused(db().db, s.corpId, () => api.post('/group-chats', { chatId: 'wrChat1', owner: s.staffA }), 409, 'conflict');
    const updated = await api.patch('/group-chats/wrChat1', { owner: s.staffB, status: 1 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ owner: s.staffB, name: '三月看房群', notice: '周三开放日', status: 1 });
    const read = await api.get('/group-chats/wrChat1');
    expect(read.body).toMatchObject({ chatId: 'wrChat1', owner: s.staffB, members: [] });
    const saved = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'group_chat.saved')));
    expect(saved.map((e) => e.after)).toEqual([expect.objectContaining({ owner: s.staffA }), expect.objectContaining({ owner: s.staffB, status: 1 })]);
  });

  it('POST and PATCH refuse bad input naming each field, unknown owners and chats, and change nothing', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const bad = await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats', { chatId: 'wrX', owner: 5, status: 9, name: 'x'.repeat(101), extra: 1 }),
      400,
      'validation_failed',
    );
    expect(detailPaths(bad).sort()).toEqual(['body.extra', 'body.name', 'body.owner', 'body.status']);
    await expectRefused(db().db, s.corpId, () => api.post('/group-chats', { chatId: 'wrX', owner: 'nobody' }), 404, 'employee_not_found');
    await expectRefused(db().db, s.corpId, () => api.post('/group-chats', { chatId: 'w'.repeat(65), owner: s.staffA }), 400, 'validation_failed');
    await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats', { chatId: 'wrX', owner: s.staffA, adminList: ['nobody'] }),
      404,
      'employee_not_found',
    );
    await expectRefused(db().db, s.corpId, () => api.patch('/group-chats/wrNope', { name: '改' }), 404, 'chat_not_found');
    await api.post('/group-chats', { chatId: 'wrX', owner: s.staffA });
    await expectRefused(db().db, s.corpId, () => api.patch('/group-chats/wrX', { owner: 'nobody' }), 404, 'employee_not_found');
  });

  it('a customer joining is a behaviour fact and an event with chat, time, scene and state; the same join again changes nothing', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    await api.post('/group-chats', { chatId: 'wrJoin', owner: s.staffA });
    const join = { externalUserid: s.customer, joinTime: joinedAt, joinScene: 3, state: '三月活动', invitor: s.staffA };
    const first = await api.post('/group-chats/wrJoin/members', join);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      repeated: false,
      member: { memberId: s.customer, type: 'customer', joinTime: joinedAt, joinScene: 3, state: '三月活动', invitor: s.staffA, groupNickname: '', name: '' },
    });
    const again = await api.post('/group-chats/wrJoin/members', join);
    expect(again.status).toBe(200);
    expect(again.body.repeated).toBe(true);

    const facts = await db().db.select().from(customerEvents).where(eq(customerEvents.corpId, s.corpId));
    expect(facts.map((f) => ({ who: f.externalUserid, type: f.type, target: f.target, at: f.occurredAt.toISOString() }))).toEqual([
      { who: s.customer, type: 'group_chat.joined', target: 'wrJoin', at: joinedAt },
    ]);
    const joined = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'group_chat.member_joined')));
    expect(joined.map((e) => e.payload)).toEqual([
      { chatId: 'wrJoin', memberType: 2, externalUserid: s.customer, joinTime: joinedAt, joinScene: 3, state: '三月活动', invitor: s.staffA },
    ]);

    // An employee joins too; the chat lists both in join order and its member version moved.
    expect((await api.post('/group-chats/wrJoin/members', { userid: s.staffB, joinTime: '2026-03-03T00:00:00Z', joinScene: 1 })).status).toBe(201);
    const chat = (await api.get('/group-chats/wrJoin')).body;
    expect(chat.members.map((m: { memberId: string; type: string }) => [m.memberId, m.type])).toEqual([
      [s.customer, 'customer'],
      [s.staffB, 'employee'],
    ]);
    expect(chat.memberVersion).toBe(2);

    // The join is countable in audiences on both evaluators.
    const count = await api.post('/audiences/count', { expression: { event: { type: 'group_chat.joined', target: 'wrJoin' } } });
    expect(count.body.count).toBe(1);
  });

  it('DELETE member records a leave; the member is gone, the join stays in the facts; not a member is 404', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    await api.post('/group-chats', { chatId: 'wrLeave', owner: s.staffA });
    await api.post('/group-chats/wrLeave/members', { externalUserid: s.customer, joinTime: joinedAt, joinScene: 2 });
    const left = await api.delete(`/group-chats/wrLeave/members/${s.customer}`);
    expect(left).toMatchObject({ status: 200, body: { left: true } });
    expect((await api.get('/group-chats/wrLeave')).body.members).toEqual([]);
    const leftEvents = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'group_chat.member_left')));
    expect(leftEvents).toHaveLength(1);
    expect(await db().db.select().from(customerEvents).where(eq(customerEvents.corpId, s.corpId))).toHaveLength(1);
    await expectRefused(db().db, s.corpId, () => api.delete(`/group-chats/wrLeave/members/${s.customer}`), 404, 'not_found');
    await expectRefused(db().db, s.corpId, () => api.delete(`/group-chats/wrNope/members/${s.customer}`), 404, 'chat_not_found');
  });

  it('POST member refuses bad input, unknown chats, customers and invitors, and changes nothing', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    await api.post('/group-chats', { chatId: 'wrBad', owner: s.staffA });
    const both = await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats/wrBad/members', { userid: s.staffA, externalUserid: s.customer, joinTime: joinedAt, joinScene: 3 }),
      400,
      'validation_failed',
    );
    expect(detailPaths(both)).toEqual(['body.externalUserid']);
    const wrong = await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats/wrBad/members', { externalUserid: s.customer, joinTime: 'yesterday', joinScene: 4, state: 's'.repeat(31) }),
      400,
      'validation_failed',
    );
    expect(detailPaths(wrong).sort()).toEqual(['body.joinScene', 'body.joinTime', 'body.state']);
    await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats/wrNope/members', { externalUserid: s.customer, joinTime: joinedAt, joinScene: 3 }),
      404,
      'chat_not_found',
    );
    await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats/wrBad/members', { externalUserid: 'wmNOPE', joinTime: joinedAt, joinScene: 3 }),
      404,
      'customer_not_found',
    );
    await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats/wrBad/members', { userid: 'nobody', joinTime: joinedAt, joinScene: 1 }),
      404,
      'employee_not_found',
    );
    await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/group-chats/wrBad/members', { externalUserid: s.customer, joinTime: joinedAt, joinScene: 1, invitor: 'nobody' }),
      404,
      'employee_not_found',
    );
  });

  it('permissions: staff see only chats they own and record nothing; the read-only intern is refused writes', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    await api.post('/group-chats', { chatId: 'wrOfA', owner: s.staffA });
    await api.post('/group-chats', { chatId: 'wrOfB', owner: s.staffB });
    const asA = apiClient(app, s.key, s.staffA);
    expect((await asA.get('/group-chats')).body.chats.map((c: { chatId: string }) => c.chatId)).toEqual(['wrOfA']);
    expect((await asA.get('/group-chats/wrOfB')).body.error.code).toBe('chat_not_found');
    await expectRefused(db().db, s.corpId, () => asA.patch('/group-chats/wrOfA', { name: '改' }), 403, 'forbidden');
    await expectRefused(
      db().db,
      s.corpId,
      () => asA.post('/group-chats/wrOfA/members', { externalUserid: s.customer, joinTime: joinedAt, joinScene: 3 }),
      403,
      'forbidden',
    );
    const intern = apiClient(app, s.key, s.intern);
    await expectRefused(db().db, s.corpId, () => intern.delete(`/group-chats/wrOfA/members/${s.customer}`), 403, 'forbidden');
  });

  it('GET /group-chats filters by status and owner and pages with a cursor; a foreign cursor is invalid_cursor', async () => {
    const s = await buildApiScene(db().db);
    const [other] = await buildEmployees(s.ctx, 1);
    await buildCustomer(s.ctx, [other!]);
    const api = apiClient(app, s.key);
    for (const [id, owner, status] of [
      ['wr1', s.staffA, 0],
      ['wr2', s.staffB, 1],
      ['wr3', s.staffA, 1],
      ['wr4', other!, 0],
    ] as const)
      await api.post('/group-chats', { chatId: id, owner, status });
    const ids = (res: { body: { chats: { chatId: string }[] } }) => res.body.chats.map((c) => c.chatId);
    await api.post('/group-chats/wr1/members', { externalUserid: s.customer, joinTime: joinedAt, joinScene: 3 });
    await api.post('/group-chats/wr1/members', { userid: s.staffA, joinTime: joinedAt, joinScene: 1 });
    expect((await api.get('/group-chats')).body.chats.map((c: { memberCount: number }) => c.memberCount)).toEqual([2, 0, 0, 0]);
    expect(ids(await api.get('/group-chats?status=1'))).toEqual(['wr2', 'wr3']);
    expect(ids(await api.get(`/group-chats?owner=${s.staffA}`))).toEqual(['wr1', 'wr3']);
    const first = await api.get('/group-chats?limit=3');
    expect(ids(first)).toEqual(['wr1', 'wr2', 'wr3']);
    const second = await api.get(`/group-chats?limit=3&cursor=${first.body.nextCursor}`);
    expect({ ids: ids(second), next: second.body.nextCursor }).toEqual({ ids: ['wr4'], next: '' });
    expect((await api.get('/group-chats?cursor=!!!')).body.error.code).toBe('invalid_cursor');
    expect((await api.get('/group-chats?limit=0')).status).toBe(400);
  });
});
