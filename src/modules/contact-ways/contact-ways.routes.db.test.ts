import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { events, marks } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildEmployees, buildTagGroup } from '../../test/factories.js';
import { addCustomers } from '../customers/commands/add-customers.js';
import { addFollows } from '../customers/commands/add-follows.js';
import { updateTagGroup } from '../tags/commands/update-tag-group.js';

describeDb('contact-way routes (/api/v1/contact-ways)', (db) => {
  const app = useTestApp(db);
  const hour = 3600_000;

  /** Adds a customer as contact sync would: followed by `userid`, added with `state` at `addTime`. */
  async function addThrough(corpId: string, userid: string, state: string, addTime = new Date()) {
    const [id] = await withTx(systemContext(db().db, corpId), (tx) => addCustomers(tx, [{ name: '扫码客户', follows: [{ userid, state, addTime }] }]));
    return id!;
  }
  const tagsOf = async (corpId: string, externalUserid: string) =>
    (
      await db()
        .db.select()
        .from(marks)
        .where(and(eq(marks.corpId, corpId), eq(marks.externalUserid, externalUserid)))
    ).map((m) => ({ tagId: m.tagId, source: m.source, createdBy: m.createdBy }));

  it('POST → GET list → GET one → PATCH → DELETE, with counts and who came in', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const created = await admin.post('/contact-ways', {
      type: 'single',
      scene: 'qrcode',
      state: 'spring',
      remark: '春季',
      userids: [s.staffA],
      defaultTagIds: [s.tags[0]!.tagId],
      startsAt: new Date(Date.now() - hour).toISOString(),
    });
    expect(created.status).toBe(201);
    const configId = created.body.configId as string;
    expect(created.body).toMatchObject({
      type: 'single',
      scene: 'qrcode',
      state: 'spring',
      qrCode: `/c/${configId}`,
      userids: [s.staffA],
      departments: [],
      skipVerify: true,
      endsAt: null,
      customers: 0,
    });

    const first = await addThrough(s.corpId, s.staffA, 'spring');
    const second = await addThrough(s.corpId, s.staffA, 'spring');
    await addThrough(s.corpId, s.staffA, 'other-state');
    const list = await admin.get('/contact-ways');
    expect(list.body.contactWays).toMatchObject([{ configId, customers: 2 }]);

    const page = await admin.get(`/contact-ways/${configId}?limit=1`);
    expect(page.body).toMatchObject({ configId, customers: 2, arrivals: [{ externalUserid: expect.any(String), userid: s.staffA, name: '扫码客户' }] });
    const rest = await admin.get(`/contact-ways/${configId}?limit=1&cursor=${page.body.nextCursor}`);
    expect(rest.body.nextCursor).toBeNull();
    expect([page.body.arrivals[0].externalUserid, rest.body.arrivals[0].externalUserid].sort()).toEqual([first, second].sort());
    // Staff B reaches none of staff A's relations: the way shows, its customers do not.
    expect((await apiClient(app, s.key, s.staffB).get(`/contact-ways/${configId}`)).body).toMatchObject({ customers: 0, arrivals: [] });

    const patched = await admin.patch(`/contact-ways/${configId}`, { remark: '春季2', endsAt: new Date(Date.now() + hour).toISOString() });
    expect(patched.body).toMatchObject({ remark: '春季2', state: 'spring', customers: 2 });
    expect((await admin.delete(`/contact-ways/${configId}`)).status).toBe(204);
    await expectRefused(db().db, s.corpId, () => admin.get(`/contact-ways/${configId}`), 404, 'contact_way_not_found');
    expect((await admin.get('/contact-ways')).body.contactWays).toEqual([]);
  });

  it('GET /arrivals pages who came in, newest first, on relations the caller reaches', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const configId = (await admin.post('/contact-ways', { type: 'single', scene: 'qrcode', state: 'autumn', userids: [s.staffA] })).body.configId as string;
    const older = await addThrough(s.corpId, s.staffA, 'autumn', new Date(Date.now() - 2 * hour));
    const newer = await addThrough(s.corpId, s.staffA, 'autumn', new Date(Date.now() - hour));
    const first = await admin.get(`/contact-ways/${configId}/arrivals?limit=1`);
    expect(first.body).toMatchObject({ total: 2, arrivals: [{ externalUserid: newer, userid: s.staffA, name: '扫码客户' }] });
    const rest = await admin.get(`/contact-ways/${configId}/arrivals?limit=1&cursor=${first.body.nextCursor}`);
    expect(rest.body).toMatchObject({ total: 2, nextCursor: null, arrivals: [{ externalUserid: older }] });
    expect((await apiClient(app, s.key, s.staffB).get(`/contact-ways/${configId}/arrivals`)).body).toEqual({ total: 0, arrivals: [], nextCursor: null });
    await expectRefused(db().db, s.corpId, () => admin.get('/contact-ways/nope/arrivals'), 404, 'contact_way_not_found');
  });

  it('puts default tags on a customer added inside the window only, as the way, with an event naming it', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [open, later] = s.tags.map((t) => t.tagId);
    const now = Date.now();
    const current = (
      await admin.post('/contact-ways', {
        type: 'multi',
        scene: 'qrcode',
        state: 'march',
        userids: [s.staffA, s.staffB],
        defaultTagIds: [open],
        startsAt: new Date(now - hour).toISOString(),
        endsAt: new Date(now + hour).toISOString(),
      })
    ).body.configId as string;
    const upcoming = (
      await admin.post('/contact-ways', {
        type: 'single',
        scene: 'miniprogram',
        state: 'april',
        userids: [s.staffA],
        defaultTagIds: [later],
        startsAt: new Date(now + hour).toISOString(),
      })
    ).body.configId as string;

    const inside = await addThrough(s.corpId, s.staffA, 'march');
    expect(await tagsOf(s.corpId, inside)).toEqual([{ tagId: open, source: 'rule', createdBy: `system:contact-way:${current}` }]);
    const outside = await addThrough(s.corpId, s.staffA, 'april');
    expect(await tagsOf(s.corpId, outside)).toEqual([]);
    // An add dated after the window (a late sync) is outside it too.
    const late = await addThrough(s.corpId, s.staffA, 'march', new Date(now + 2 * hour));
    expect(await tagsOf(s.corpId, late)).toEqual([]);
    // A relation added later to an existing customer (addFollows) counts as an arrival as well.
    await withTx(systemContext(db().db, s.corpId), (tx) => addFollows(tx, [{ externalUserid: outside, userid: s.staffB, state: 'march' }]));
    expect(await tagsOf(s.corpId, outside)).toEqual([{ tagId: open, source: 'rule', createdBy: `system:contact-way:${current}` }]);

    const recorded = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'contact_way.customer_added')));
    expect(recorded.map((e) => e.payload)).toEqual([
      expect.objectContaining({ configId: current, state: 'march', externalUserid: inside, inWindow: true, defaultTagsApplied: [open] }),
      expect.objectContaining({ configId: upcoming, state: 'april', externalUserid: outside, inWindow: false, defaultTagsApplied: [] }),
      expect.objectContaining({ configId: current, state: 'march', externalUserid: late, inWindow: false, defaultTagsApplied: [] }),
      expect.objectContaining({ configId: current, state: 'march', externalUserid: outside, userid: s.staffB, inWindow: true, defaultTagsApplied: [open] }),
    ]);
    // A state no live way carries records nothing.
    await addThrough(s.corpId, s.staffA, 'nobody-uses-this');
    expect(
      (
        await db()
          .db.select()
          .from(events)
          .where(and(eq(events.corpId, s.corpId), eq(events.type, 'contact_way.customer_added')))
      ).length,
    ).toBe(4);
  });

  it('refuses bad input (400 naming the field), non-managers (403), foreign or unknown ways (404), a taken state (409)', async () => {
    const s = await buildApiScene(db().db);
    const other = await buildApiScene(db().db);
    const [manager] = await buildEmployees(s.ctx, 1, 'manager');
    const admin = apiClient(app, s.key, s.admin);
    const post =
      (body: unknown, as = s.admin) =>
      () =>
        apiClient(app, s.key, as).post('/contact-ways', body);
    const ok = { type: 'single', scene: 'qrcode', userids: [s.staffA] };

    expect(
      detailPaths(await expectRefused(db().db, s.corpId, post({ scene: 'qrcode', state: 'x'.repeat(31), userids: 'u' }), 400, 'validation_failed')),
    ).toEqual(['body.type', 'body.state', 'body.userids']);
    await expectRefused(db().db, s.corpId, post({ ...ok, userids: [s.staffA, s.staffB] }), 400, 'validation_failed');
    await expectRefused(db().db, s.corpId, post({ ...ok, startsAt: '2026-03-02T00:00:00Z', endsAt: '2026-03-01T00:00:00Z' }), 400, 'validation_failed');
    await expectRefused(db().db, s.corpId, post({ ...ok, userids: [other.staffA] }), 404, 'employee_not_found');
    await expectRefused(db().db, s.corpId, post({ ...ok, defaultTagIds: [other.tags[0]!.tagId] }), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, post({ ...ok, departments: [424242], type: 'multi' }), 404, 'department_not_found');
    // Staff may not manage ways; a manager may not make one for people outside their reach, nor
    // give it a default tag they may not apply themselves.
    await expectRefused(db().db, s.corpId, post(ok, s.staffA), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, post(ok, manager), 403, 'forbidden');
    const guarded = await buildTagGroup(s.ctx, ['协议价']);
    await withTx(s.ctx, (tx) => updateTagGroup(tx, { groupId: guarded.group.groupId, scope: { apply: { userids: [s.admin] } } }));
    await expectRefused(db().db, s.corpId, post({ ...ok, userids: [manager], defaultTagIds: [guarded.tags[0]!.tagId] }, manager), 403, 'forbidden');
    expect((await apiClient(app, s.key, manager).post('/contact-ways', { ...ok, userids: [manager], defaultTagIds: [s.tags[0]!.tagId] })).status).toBe(201);

    const mine = (await admin.post('/contact-ways', { ...ok, state: 'taken' })).body.configId as string;
    await expectRefused(db().db, s.corpId, post({ ...ok, state: 'taken' }), 409, 'conflict');
    const foreign = (await apiClient(app, other.key, other.admin).post('/contact-ways', { ...ok, userids: [other.staffA], state: 'theirs' })).body
      .configId as string;
    for (const send of [
      () => admin.get(`/contact-ways/${foreign}`),
      () => admin.patch(`/contact-ways/${foreign}`, { remark: '偷改' }),
      () => admin.delete(`/contact-ways/${foreign}`),
    ]) {
      await expectRefused(db().db, s.corpId, send, 404, 'contact_way_not_found');
    }
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.staffA).patch(`/contact-ways/${mine}`, { remark: '改' }), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.intern).delete(`/contact-ways/${mine}`), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, () => admin.patch(`/contact-ways/${mine}`, {}), 400, 'validation_failed');
    await expectRefused(db().db, s.corpId, () => admin.patch(`/contact-ways/${mine}`, { type: 'multi' }), 400, 'validation_failed');
    await expectRefused(db().db, s.corpId, () => admin.get(`/contact-ways/${mine}?cursor=!!!`), 400, 'invalid_cursor');
    await expectRefused(db().db, s.corpId, () => apiClient(app, null).get('/contact-ways'), 401, 'unauthorized');
  });
});
