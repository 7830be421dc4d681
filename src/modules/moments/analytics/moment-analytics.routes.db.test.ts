import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { corps } from '../../../db/schema/index.js';
import { apiClient, detailPaths, expectRefused, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { buildTagGroup } from '../../../test/factories.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { buildCustomers, insertDeliveries, insertPost } from './moment-rows.test-support.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
type Fact = { customer: string; type: string; target?: string; at: number };

describeDb('Moments analytics API: a post’s funnel and the corp’s targeted-against-broadcast summary', (db) => {
  const app = useTestApp(db);

  /** A corp with a 肤质 group (敏感肌, 干皮), `n` customers of 上海销售, and a way to record facts as the app. */
  async function scene(n: number) {
    const f = await buildRegionalCorp(db().db);
    const skin = await buildTagGroup(f.ctx, ['敏感肌', '干皮'], '肤质');
    const [sensitive, dry] = skin.tags.map((t) => t.tagId) as [string, string];
    const c = await buildCustomers(db().db, f.corpId, f.people.shStaff, n);
    const admin = apiClient(app, f.secret);
    const facts = async (list: Fact[]) => {
      const events = list.map((e) => ({ externalUserid: e.customer, type: e.type, target: e.target, occurredAt: new Date(e.at).toISOString() }));
      const res = await admin.post('/customer-events', { events });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    return { f, sensitive, dry, c, admin, facts };
  }

  /**
   * One post to 敏感肌 or 干皮 with a morning and an evening variant. Five customers targeted
   * (c0 c1 c2 c5 sent, c3 still planned), c4 cancelled, c6 never planned; views, likes, orders
   * placed around the 7-day window.
   */
  async function funnelScene() {
    const s = await scene(7);
    const { f, sensitive, dry, c, facts } = s;
    const variants = [
      { label: '早间版', fromHour: 6, toHour: 12, text: '早安' },
      { label: '晚间版', fromHour: 18, toHour: 24, text: '晚安' },
    ];
    const post = await insertPost(db().db, f.corpId, { includeTagIds: [sensitive, dry], variants });
    await insertDeliveries(db().db, f.corpId, post, f.people.shStaff, [
      { customer: c[0]!, variant: -1, matchedTagIds: [sensitive] },
      { customer: c[1]!, variant: 0, matchedTagIds: [sensitive, dry] },
      { customer: c[2]!, variant: 1, matchedTagIds: [dry] },
      { customer: c[3]!, status: 'planned', variant: 0, matchedTagIds: [sensitive] },
      { customer: c[4]!, status: 'cancelled', variant: -1, matchedTagIds: [sensitive] },
      { customer: c[5]!, variant: -1, matchedTagIds: [dry] },
    ]);
    const other = await insertPost(db().db, f.corpId, { includeTagIds: [sensitive] });
    const view = Date.now() - 20 * dayMs;
    await facts([
      // c0: viewed, liked, ordered two days later: converted.
      { customer: c[0]!, type: 'moment.viewed', target: post, at: view },
      { customer: c[0]!, type: 'moment.liked', target: post, at: view + hourMs },
      { customer: c[0]!, type: 'order.placed', target: 'order-1', at: view + 2 * dayMs },
      // c1: viewed twice (the first view counts), commented, ordered exactly 7 days after the first view.
      { customer: c[1]!, type: 'moment.viewed', target: post, at: view },
      { customer: c[1]!, type: 'moment.viewed', target: post, at: view + 5 * dayMs },
      { customer: c[1]!, type: 'moment.commented', target: post, at: view + 5 * dayMs },
      { customer: c[1]!, type: 'order.placed', target: 'order-2', at: view + 7 * dayMs },
      // c2: viewed and clicked, but ordered only an hour before the view and a minute after the window.
      { customer: c[2]!, type: 'moment.viewed', target: post, at: view },
      { customer: c[2]!, type: 'moment.clicked', target: post, at: view },
      { customer: c[2]!, type: 'order.placed', target: 'order-3', at: view - hourMs },
      { customer: c[2]!, type: 'order.placed', target: 'order-4', at: view + 7 * dayMs + 60_000 },
      // c5: not interested, and an order with no view before it.
      { customer: c[5]!, type: 'moment.not_interested', target: post, at: view },
      { customer: c[5]!, type: 'order.placed', target: 'order-5', at: view + dayMs },
      // c4 (cancelled) and c6 (never targeted) viewed and ordered: they are not in the funnel.
      { customer: c[4]!, type: 'moment.viewed', target: post, at: view },
      { customer: c[4]!, type: 'order.placed', target: 'order-6', at: view + dayMs },
      { customer: c[6]!, type: 'moment.viewed', target: post, at: view },
      { customer: c[6]!, type: 'order.placed', target: 'order-7', at: view + dayMs },
      // c3 (planned, not sent yet) liked another post: nothing on this one.
      { customer: c[3]!, type: 'moment.liked', target: other, at: view },
    ]);
    return { ...s, post };
  }

  it('counts the funnel of distinct customers with its rates, per include tag and per variant', async () => {
    const { admin, post, sensitive, dry } = await funnelScene();
    const res = await admin.get(`/moments/${post}/analytics`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.momentId).toBe(post);
    expect(res.body.attributionDays).toBe(7);
    expect(res.body.funnel).toEqual({ targeted: 5, delivered: 4, viewed: 3, liked: 1, commented: 1, clicked: 1, notInterested: 1, converted: 2 });
    expect(res.body.rates).toEqual({
      delivered: 0.8,
      viewed: 0.75,
      liked: 0.25,
      commented: 0.25,
      clicked: 0.25,
      notInterested: 0.25,
      converted: 0.5,
      conversion: 0.6667,
    });
    expect(res.body.byTag.map((t: { tagId: string; name: string; funnel: unknown }) => [t.tagId, t.name, t.funnel])).toEqual([
      [sensitive, '敏感肌', { targeted: 3, delivered: 2, viewed: 2, liked: 1, commented: 1, clicked: 0, notInterested: 0, converted: 2 }],
      [dry, '干皮', { targeted: 3, delivered: 3, viewed: 2, liked: 0, commented: 1, clicked: 1, notInterested: 1, converted: 1 }],
    ]);
    expect(res.body.byTag[1].rates).toMatchObject({ delivered: 1, viewed: 0.6667, notInterested: 0.3333, conversion: 0.5 });
    expect(res.body.byVariant.map((v: { variant: number; label: string; funnel: unknown }) => [v.variant, v.label, v.funnel])).toEqual([
      [-1, 'main', { targeted: 2, delivered: 2, viewed: 1, liked: 1, commented: 0, clicked: 0, notInterested: 1, converted: 1 }],
      [0, '早间版', { targeted: 2, delivered: 1, viewed: 1, liked: 0, commented: 1, clicked: 0, notInterested: 0, converted: 1 }],
      [1, '晚间版', { targeted: 1, delivered: 1, viewed: 1, liked: 0, commented: 0, clicked: 1, notInterested: 0, converted: 0 }],
    ]);
  });

  it('attributes orders within the corp’s attribution window: a shorter window drops the order placed on day 7', async () => {
    const { f, admin, post } = await funnelScene();
    await db()
      .db.update(corps)
      .set({ settings: sql`jsonb_set(${corps.settings}, '{moments}', '{"attributionDays": 3}'::jsonb)` })
      .where(eq(corps.corpId, f.corpId));
    const res = await admin.get(`/moments/${post}/analytics`);
    expect(res.body.attributionDays).toBe(3);
    expect(res.body.funnel).toMatchObject({ viewed: 3, converted: 1 });
    expect(res.body.rates).toMatchObject({ converted: 0.25, conversion: 0.3333 });
  });

  it('answers zeros, not errors, for a post nobody received yet, still listing its tags and variants', async () => {
    const { f, admin, sensitive } = await scene(0);
    const draft = await insertPost(db().db, f.corpId, { includeTagIds: [sensitive], status: 'draft' });
    const res = await admin.get(`/moments/${draft}/analytics`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.funnel).toEqual({ targeted: 0, delivered: 0, viewed: 0, liked: 0, commented: 0, clicked: 0, notInterested: 0, converted: 0 });
    expect(Object.values(res.body.rates).every((r) => r === 0)).toBe(true);
    expect(res.body.byTag.map((t: { name: string; funnel: { targeted: number } }) => [t.name, t.funnel.targeted])).toEqual([['敏感肌', 0]]);
    expect(res.body.byVariant.map((v: { variant: number }) => v.variant)).toEqual([-1]);
  });

  it('compares targeted 敏感肌 posts with broadcast posts: twice the conversion rate is a lift of 2, week by week', async () => {
    const { f, admin, c, sensitive, facts } = await scene(16);
    const sender = f.people.shStaff;
    const at = (iso: string) => new Date(iso);
    // Weeks of the period (Monday 00:00 Asia/Shanghai): 11-02, 11-09, 11-16.
    const from = '2026-11-01T16:00:00.000Z';
    const to = '2026-11-22T16:00:00.000Z';
    // T1: targeted, Sunday 23:59 in Shanghai (still week 1); 2 of 4 convert.
    const t1 = await insertPost(db().db, f.corpId, { includeTagIds: [sensitive], scheduledAt: at('2026-11-08T15:59:00Z') });
    await insertDeliveries(
      db().db,
      f.corpId,
      t1,
      sender,
      [0, 1, 2, 3].map((i) => ({ customer: c[i]!, matchedTagIds: [sensitive] })),
    );
    // B1: broadcast, week 1; 1 of 4 converts.
    const b1 = await insertPost(db().db, f.corpId, { scheduledAt: at('2026-11-04T02:00:00Z') });
    await insertDeliveries(
      db().db,
      f.corpId,
      b1,
      sender,
      [4, 5, 6, 7].map((i) => ({ customer: c[i]! })),
    );
    // C: broadcast, cancelled after 4 went out, Monday 00:00 in Shanghai (week 2); 1 of 4 converts.
    const cancelled = await insertPost(db().db, f.corpId, { status: 'cancelled', scheduledAt: at('2026-11-08T16:00:00Z') });
    await insertDeliveries(db().db, f.corpId, cancelled, sender, [
      ...[8, 9, 10, 11].map((i) => ({ customer: c[i]! })),
      { customer: c[12]!, status: 'cancelled' as const },
    ]);
    // T2: targeted, week 2; 1 of 2 sent converts, one still planned.
    const t2 = await insertPost(db().db, f.corpId, { includeTagIds: [sensitive], scheduledAt: at('2026-11-10T04:00:00Z') });
    await insertDeliveries(db().db, f.corpId, t2, sender, [
      { customer: c[12]!, matchedTagIds: [sensitive] },
      { customer: c[13]!, matchedTagIds: [sensitive] },
      { customer: c[14]!, status: 'planned', matchedTagIds: [sensitive] },
    ]);
    // Left out, though each would change the rates: a draft, a post cancelled before anything went out, a post before the period.
    const draft = await insertPost(db().db, f.corpId, { status: 'draft', includeTagIds: [sensitive] });
    await insertDeliveries(db().db, f.corpId, draft, sender, [{ customer: c[15]!, matchedTagIds: [sensitive] }]);
    const never = await insertPost(db().db, f.corpId, { status: 'cancelled', scheduledAt: at('2026-11-05T02:00:00Z') });
    await insertDeliveries(db().db, f.corpId, never, sender, [{ customer: c[15]!, status: 'cancelled' }]);
    const before = await insertPost(db().db, f.corpId, { scheduledAt: at('2026-11-01T15:59:00Z') });
    await insertDeliveries(db().db, f.corpId, before, sender, [{ customer: c[15]! }]);

    const converts = (customer: string, post: string, viewAt: number): Fact[] => [
      { customer, type: 'moment.viewed', target: post, at: viewAt },
      { customer, type: 'order.placed', target: `order-${customer}`, at: viewAt + dayMs },
    ];
    const nov = (d: number) => Date.parse(`2026-11-${String(d).padStart(2, '0')}T04:00:00Z`);
    await facts([
      ...converts(c[0]!, t1, nov(9)),
      ...converts(c[1]!, t1, nov(9)),
      { customer: c[2]!, type: 'moment.viewed', target: t1, at: nov(9) },
      ...converts(c[4]!, b1, nov(4)),
      { customer: c[5]!, type: 'moment.viewed', target: b1, at: nov(4) },
      ...converts(c[8]!, cancelled, nov(9)),
      ...converts(c[12]!, t2, nov(10)),
      ...converts(c[15]!, draft, nov(3)),
      { customer: c[15]!, type: 'moment.viewed', target: before, at: nov(2) },
    ]);

    const res = await admin.get(`/moments/analytics?from=${from}&to=${to}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ from, to, posts: 4, lift: 2 });
    expect(res.body.targeted).toMatchObject({ posts: 2, conversionRate: 0.5, funnel: { targeted: 7, delivered: 6, viewed: 4, converted: 3 } });
    expect(res.body.broadcast).toMatchObject({ posts: 2, conversionRate: 0.25, funnel: { targeted: 8, delivered: 8, viewed: 3, converted: 2 } });
    expect(res.body.funnel).toMatchObject({ targeted: 15, delivered: 14, viewed: 7, converted: 5 });
    expect(res.body.weeks).toEqual([
      { weekStart: '2026-11-01T16:00:00.000Z', targetedRate: 0.5, broadcastRate: 0.25 },
      { weekStart: '2026-11-08T16:00:00.000Z', targetedRate: 0.5, broadcastRate: 0.25 },
      { weekStart: '2026-11-15T16:00:00.000Z', targetedRate: null, broadcastRate: null },
    ]);

    // Without broadcast deliveries there is nothing to compare with: no lift.
    const onlyTargeted = await admin.get('/moments/analytics?from=2026-11-08T00:00:00.000Z&to=2026-11-08T16:00:00.000Z');
    expect(onlyTargeted.body).toMatchObject({ posts: 1, lift: null, targeted: { conversionRate: 0.5 }, broadcast: { posts: 0, conversionRate: 0 } });
    expect(onlyTargeted.body.weeks).toEqual([{ weekStart: '2026-11-01T16:00:00.000Z', targetedRate: 0.5, broadcastRate: null }]);
  });

  it('covers the last 30 days by default', async () => {
    const { admin } = await scene(0);
    const res = await admin.get('/moments/analytics');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(30 * dayMs);
    expect(res.body).toMatchObject({ posts: 0, lift: null });
    expect(res.body.weeks.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad periods (400), callers without moment.publish (403) and another corp’s or an unknown post (404), changing nothing', async () => {
    const { f, admin } = await scene(0);
    const post = await insertPost(db().db, f.corpId);
    const other = await buildRegionalCorp(db().db);
    const theirs = await insertPost(db().db, other.corpId);
    await expectRefused(db().db, f.corpId, () => admin.get(`/moments/${theirs}/analytics`), 404, 'not_found');
    await expectRefused(db().db, f.corpId, () => admin.get('/moments/moNoSuchPost/analytics'), 404, 'not_found');
    const backwards = await expectRefused(
      db().db,
      f.corpId,
      () => admin.get('/moments/analytics?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z'),
      400,
      'validation_failed',
    );
    expect(detailPaths(backwards)).toEqual(['query.from']);
    const tooLong = await expectRefused(
      db().db,
      f.corpId,
      () => admin.get('/moments/analytics?from=2025-01-01T00:00:00Z&to=2026-11-01T00:00:00Z'),
      400,
      'validation_failed',
    );
    expect(detailPaths(tooLong)).toEqual(['query.from']);
    for (const query of ['from=yesterday', 'to=2026-13-01T00:00:00Z', 'days=7'])
      await expectRefused(db().db, f.corpId, () => admin.get(`/moments/analytics?${query}`), 400, 'validation_failed');
    // Staff may not publish Moments, so they read no analytics; a manager may.
    await expectRefused(db().db, f.corpId, () => apiClient(app, f.secret, f.people.shStaff).get(`/moments/${post}/analytics`), 403, 'forbidden');
    await expectRefused(db().db, f.corpId, () => apiClient(app, f.secret, f.people.shStaff).get('/moments/analytics'), 403, 'forbidden');
    expect((await apiClient(app, f.secret, f.people.hdManager).get(`/moments/${post}/analytics`)).status).toBe(200);
  });
});
