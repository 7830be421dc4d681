import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { corps, events, momentStreaks, momentSuppressions } from '../../../db/schema/index.js';
import { apiClient, buildApiScene, expectRefused, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { buildMoment, buildSuppression } from './test-support.js';

describeDb('Moments suppression: N "not interested" in a row on a tag group’s posts keep a customer off that group', (db) => {
  const app = useTestApp(db);
  const settle = (corpId: string) => app().consumers.settle(corpId);

  /** A corp with a customer, two tag groups and a client of the customer-contact app. */
  async function scene() {
    const s = await buildApiScene(db().db);
    const other = await buildTagGroup(s.ctx, ['敏感肌'], '肤质');
    const api = apiClient(app, s.key);
    let minute = 0;
    // Interactions a minute apart, in the order sent: the streak follows occurrence order.
    const act = async (momentId: string, kind: string, externalUserid = s.customer) => {
      minute += 1;
      const occurredAt = new Date(Date.UTC(2026, 11, 1, 2, minute)).toISOString();
      const res = await api.post(`/moments/${momentId}/interactions`, { interactions: [{ externalUserid, kind, occurredAt }] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const post = (targetGroupIds = [s.group.groupId], text?: string) => buildMoment(db().db, s.corpId, { targetGroupIds, text });
    const list = async (query = '') => {
      await settle(s.corpId);
      const res = await api.get(`/moments/suppressions${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.suppressions as { groupId: string; externalUserid: string; momentIds: string[]; reason: string; name: string; groupName: string }[];
    };
    const streak = async (groupId = s.group.groupId) => {
      await settle(s.corpId);
      const [row] = await db()
        .db.select()
        .from(momentStreaks)
        .where(and(eq(momentStreaks.corpId, s.corpId), eq(momentStreaks.groupId, groupId), eq(momentStreaks.externalUserid, s.customer)));
      return row?.momentIds ?? [];
    };
    const version = async () => (await db().db.select({ v: corps.momentVersion }).from(corps).where(eq(corps.corpId, s.corpId)))[0]!.v;
    return { ...s, other: other.group, api, act, post, list, streak, version };
  }

  it('the third "not interested" in a row suppresses, explained by the posts, with an event and a new moment version', async () => {
    const s = await scene();
    const [m1, m2, m3] = [await s.post(undefined, '春节海报：全场八折，欢迎到店选购新品'), await s.post(), await s.post()];
    await s.act(m1!, 'not_interested');
    await s.act(m2!, 'not_interested');
    expect(await s.list()).toEqual([]);
    expect(await s.streak()).toEqual([m1, m2]);
    const before = await s.version();

    await s.act(m3!, 'not_interested');
    const [suppression, ...more] = await s.list();
    expect(more).toEqual([]);
    expect(suppression).toMatchObject({ groupId: s.group.groupId, groupName: s.group.name, externalUserid: s.customer, momentIds: [m1, m2, m3] });
    expect(suppression!.name).toMatch(/^客户/);
    expect(suppression!.reason).toBe(`not interested on posts ${m1} “春节海报：全场八折，欢迎到店选购新品”, ${m2} “新品上市${m2}”, ${m3} “新品上市${m3}”`);
    expect(await s.streak()).toEqual([]);
    expect(await s.version()).toBeGreaterThan(before);
    const recorded = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'moment.suppressed')));
    expect(recorded).toMatchObject([
      { actor: 'system:moment-suppression', subjectType: 'customer', subjectId: s.customer, payload: { groupId: s.group.groupId, momentIds: [m1, m2, m3] } },
    ]);
    // Filters: by group and by customer.
    expect(await s.list(`?groupId=${s.other.groupId}`)).toEqual([]);
    expect(await s.list(`?externalUserid=${s.customer}&groupId=${s.group.groupId}`)).toHaveLength(1);
    expect(await s.list('?externalUserid=wmNobody')).toEqual([]);
    // Interactions after the suppression change nothing until it is lifted.
    await s.act(await s.post(), 'not_interested');
    await s.act(m1!, 'liked');
    expect((await s.list())[0]!.momentIds).toEqual([m1, m2, m3]);
    expect(await s.streak()).toEqual([]);
  });

  it('a like, comment or click in between starts the streak over; a view does not', async () => {
    const s = await scene();
    const posts = [];
    for (let i = 0; i < 6; i += 1) posts.push(await s.post());
    const [m1, m2, m3, m4, m5, m6] = posts as [string, string, string, string, string, string];
    await s.act(m1, 'not_interested');
    await s.act(m2, 'not_interested');
    await s.act(m2, 'liked');
    await s.act(m3, 'not_interested');
    await s.act(m1, 'viewed');
    expect(await s.list()).toEqual([]);
    expect(await s.streak()).toEqual([m3]);
    await s.act(m4, 'not_interested');
    await s.act(m6, 'clicked');
    expect(await s.streak()).toEqual([]);
    await s.act(m4, 'not_interested');
    await s.act(m5, 'not_interested');
    await s.act(m6, 'not_interested');
    expect((await s.list()).map((x) => x.momentIds)).toEqual([[m4, m5, m6]]);
  });

  it('the same post twice counts once, and a retried interaction is recorded once', async () => {
    const s = await scene();
    const [m1, m2, m3] = [await s.post(), await s.post(), await s.post()];
    await s.act(m1!, 'not_interested');
    await s.act(m1!, 'not_interested');
    await s.act(m2!, 'not_interested');
    await s.act(m2!, 'not_interested');
    expect(await s.list()).toEqual([]);
    expect(await s.streak()).toEqual([m1, m2]);
    const once = { externalUserid: s.customer, kind: 'not_interested', occurredAt: '2026-12-02T00:00:00Z', dedupKey: 'wecom-cb-1' };
    expect((await s.api.post(`/moments/${m3}/interactions`, { interactions: [once] })).body).toEqual({ recorded: 1, duplicates: 0 });
    expect((await s.api.post(`/moments/${m3}/interactions`, { interactions: [once] })).body).toEqual({ recorded: 0, duplicates: 1 });
    // Without a key, the same interaction at the same instant is the same interaction.
    const bare = { externalUserid: s.customer, kind: 'viewed', occurredAt: '2026-12-02T00:00:00Z' };
    expect((await s.api.post(`/moments/${m3}/interactions`, { interactions: [bare, bare] })).body).toEqual({ recorded: 1, duplicates: 1 });
    expect((await s.list()).map((x) => x.momentIds)).toEqual([[m1, m2, m3]]);
  });

  it('posts of another group do not count, and a post targeting two groups counts for both', async () => {
    const s = await scene();
    const [g1a, g2, g1b, both] = [await s.post(), await s.post([s.other.groupId]), await s.post(), await s.post([s.group.groupId, s.other.groupId])];
    await s.act(g1a!, 'not_interested');
    await s.act(g2!, 'not_interested');
    await s.act(g1b!, 'not_interested');
    expect(await s.list()).toEqual([]);
    expect(await s.streak(s.group.groupId)).toEqual([g1a, g1b]);
    expect(await s.streak(s.other.groupId)).toEqual([g2]);
    await s.act(both!, 'not_interested');
    expect((await s.list()).map((x) => [x.groupId, x.momentIds])).toEqual([[s.group.groupId, [g1a, g1b, both]]]);
    expect(await s.streak(s.other.groupId)).toEqual([g2, both]);
  });

  it('broadcast posts (no target group) suppress nothing', async () => {
    const s = await scene();
    for (let i = 0; i < 4; i += 1) await s.act(await s.post([]), 'not_interested');
    expect(await s.list()).toEqual([]);
    expect(await db().db.select().from(momentStreaks).where(eq(momentStreaks.corpId, s.corpId))).toEqual([]);
  });

  it('an admin lifts a suppression (recorded, version bumped; 404 once lifted), and a new streak suppresses again', async () => {
    const s = await scene();
    const first = [await s.post(), await s.post(), await s.post()];
    for (const m of first) await s.act(m, 'not_interested');
    expect(await s.list()).toHaveLength(1);
    const path = `/moments/suppressions/${s.group.groupId}/${s.customer}`;
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.staffA).delete(path), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, () => s.api.delete(`/moments/suppressions/${s.other.groupId}/${s.customer}`), 404, 'not_found');
    const before = await s.version();
    const lifted = await s.api.delete(path);
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(204);
    expect(await s.version()).toBeGreaterThan(before);
    expect(await s.list()).toEqual([]);
    const [row] = await db().db.select().from(momentSuppressions).where(eq(momentSuppressions.corpId, s.corpId));
    expect(row).toMatchObject({ momentIds: first, liftedBy: 'app:customer_contact' });
    expect(row!.liftedAt).toBeInstanceOf(Date);
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'moment.suppression_lifted')));
    expect(event).toMatchObject({ subjectId: s.customer, payload: { groupId: s.group.groupId, momentIds: first } });
    await expectRefused(db().db, s.corpId, () => s.api.delete(path), 404, 'not_found');

    const again = [await s.post(), await s.post()];
    for (const m of again) await s.act(m, 'not_interested');
    expect(await s.list()).toEqual([]);
    const last = await s.post();
    await s.act(last, 'not_interested');
    expect((await s.list()).map((x) => x.momentIds)).toEqual([[...again, last]]);
  });

  it('follows the corp setting notInterestedStreak', async () => {
    const s = await scene();
    expect((await s.api.patch('/settings', { moments: { notInterestedStreak: 2 } })).status).toBe(200);
    await s.act(await s.post(), 'not_interested');
    await s.act(await s.post(), 'not_interested');
    expect(await s.list()).toHaveLength(1);
  });

  it('interactions on a draft, an unknown post or an unknown customer are refused and change nothing; recording needs customerEvent.record', async () => {
    const s = await scene();
    const draft = await buildMoment(db().db, s.corpId, { status: 'draft', targetGroupIds: [s.group.groupId] });
    const live = await s.post();
    const one = (externalUserid = s.customer) => ({ interactions: [{ externalUserid, kind: 'not_interested', occurredAt: new Date().toISOString() }] });
    const draftRes = await expectRefused(db().db, s.corpId, () => s.api.post(`/moments/${draft}/interactions`, one()), 409, 'conflict');
    expect(draftRes.body.error.message).toMatch(/draft/);
    await expectRefused(db().db, s.corpId, () => s.api.post('/moments/moNoSuchPost/interactions', one()), 404, 'not_found');
    const unknown = await expectRefused(
      db().db,
      s.corpId,
      () =>
        s.api.post(`/moments/${live}/interactions`, {
          interactions: [...one().interactions, ...one('wmNobody').interactions],
        }),
      404,
      'customer_not_found',
    );
    expect(unknown.body.error.details).toMatchObject([{ path: 'body.interactions.1.externalUserid' }]);
    const bad = await expectRefused(
      db().db,
      s.corpId,
      () => s.api.post(`/moments/${live}/interactions`, { interactions: [{ externalUserid: s.customer, kind: 'shared', occurredAt: 'yesterday' }] }),
      400,
      'validation_failed',
    );
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.interactions.0.kind', 'body.interactions.0.occurredAt']);
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.intern).post(`/moments/${live}/interactions`, one()), 403, 'forbidden');
    // Another corp's post is unknown here.
    const elsewhere = await buildApiScene(db().db);
    const theirs = await buildMoment(db().db, elsewhere.corpId, { targetGroupIds: [elsewhere.group.groupId] });
    await expectRefused(db().db, s.corpId, () => s.api.post(`/moments/${theirs}/interactions`, one()), 404, 'not_found');
  });

  it('lists only groups the actor may see and customers in reach, and needs moment.publish', async () => {
    const s = await scene();
    const admin = apiClient(app, s.key, s.admin);
    expect(
      (await s.api.post('/roles', { roleId: 'publisher', name: '发布员', permissions: ['customer.view', 'moment.publish'], dataScope: 'own' })).status,
    ).toBe(201);
    const [publisher] = await buildEmployees(s.ctx, 1, 'publisher');
    expect((await s.api.patch(`/tag-groups/${s.other.groupId}`, { scope: { view: { userids: [s.admin] } } })).status).toBe(200);
    await buildSuppression(db().db, s.corpId, s.group.groupId, s.customer);
    await buildSuppression(db().db, s.corpId, s.other.groupId, s.customer);
    const mine = await buildCustomer(s.ctx, [publisher!]);
    await buildSuppression(db().db, s.corpId, s.group.groupId, mine);
    const asPublisher = apiClient(app, s.key, publisher);
    const seen = (await asPublisher.get('/moments/suppressions')).body.suppressions.map((x: { groupId: string; externalUserid: string }) => [
      x.groupId,
      x.externalUserid,
    ]);
    expect(seen).toEqual([[s.group.groupId, mine]]);
    expect((await admin.get('/moments/suppressions')).body.suppressions).toHaveLength(3);
    await expectRefused(db().db, s.corpId, () => asPublisher.delete(`/moments/suppressions/${s.other.groupId}/${s.customer}`), 404, 'not_found');
    await expectRefused(db().db, s.corpId, () => asPublisher.delete(`/moments/suppressions/${s.group.groupId}/${s.customer}`), 404, 'not_found');
    expect((await asPublisher.delete(`/moments/suppressions/${s.group.groupId}/${mine}`)).status).toBe(204);
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.staffA).get('/moments/suppressions'), 403, 'forbidden');
  });

  it('pages through suppressions with a cursor, and refuses a cursor it did not give out', async () => {
    const s = await scene();
    const customers = [];
    for (let i = 0; i < 5; i += 1) customers.push(await buildCustomer(s.ctx, [s.staffA]));
    for (const c of customers) await buildSuppression(db().db, s.corpId, s.group.groupId, c);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await s.api.get(`/moments/suppressions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...res.body.suppressions.map((x: { externalUserid: string }) => x.externalUserid));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...customers].sort());
    await expectRefused(db().db, s.corpId, () => s.api.get('/moments/suppressions?cursor=bm90LWEtY3Vyc29y'), 400, 'invalid_cursor');
  });
});
