import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events } from '../../db/schema/index.js';
import { apiClient, corpState, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';
import { createMoment } from './commands/create-moment.js';
import { buildMomentScene, daysAgoAt, nextShanghai } from './moments.test-support.js';

const image = (n: number) => ({ msgtype: 'image' as const, image: { mediaId: `media${n}` } });
const link = { msgtype: 'link' as const, link: { title: '春节海报', url: 'https://example.com/p', mediaId: 'cover1' } };
const video = { msgtype: 'video' as const, video: { mediaId: 'v1' } };

describeDb('Moments posts over /api/v1/moments', (db) => {
  const app = useTestApp(db, { moments: { run: false } });

  it('refuses every bad post with a coded error naming the field, and changes nothing', async () => {
    const s = await buildMomentScene(db().db, app);
    await s.customer([s.s1], [s.tags.sensitive]);
    const post = (body: object) => () => s.api.post('/moments', { text: '新品上市', ...body });
    const refused = async (body: object, status: number, code: string) => detailPaths(await expectRefused(db().db, s.corpId, post(body), status, code));

    expect(await refused({ text: '字'.repeat(2001) }, 400, 'validation_failed')).toEqual(['body.text']);
    expect(await refused({ attachments: [image(1), link] }, 400, 'validation_failed')).toEqual(['body.attachments']);
    expect(await refused({ attachments: [video, video] }, 400, 'validation_failed')).toEqual(['body.attachments']);
    expect(await refused({ text: '', attachments: [] }, 400, 'validation_failed')).toEqual(['body.text']);
    expect(
      await refused(
        {
          variants: [
            { label: '早', fromHour: 6, toHour: 12, text: '早安' },
            { label: '午', fromHour: 11, toHour: 14, text: '午安' },
          ],
        },
        400,
        'validation_failed',
      ),
    ).toEqual(['body.variants.1.fromHour']);
    expect(await refused({ variants: [{ label: '空', fromHour: 6, toHour: 9 }] }, 400, 'validation_failed')).toEqual(['body.variants.0.text']);
    expect(await refused({ senders: { userids: [s.s1, 'nobody'] } }, 404, 'employee_not_found')).toEqual(['body.senders.userids.1']);
    expect(await refused({ senders: { departmentIds: [99] } }, 404, 'department_not_found')).toEqual(['body.senders.departmentIds.0']);
    const past = new Date(Date.now() - 5 * 60_000).toISOString();
    expect(await refused({ schedule: { mode: 'at', at: past } }, 400, 'validation_failed')).toEqual(['body.schedule.at']);
    expect(await refused({ schedule: { mode: 'best_hour', from: past } }, 400, 'validation_failed')).toEqual(['body.schedule.from']);
    expect(await refused({ audience: { include: { text: 'tag:干皮' } } }, 422, 'audience_empty')).toEqual(['body.audience.include']);
    expect(await refused({ audience: { include: { text: 'tag:敏感肌' }, exclude: { text: 'tag:敏感肌' } } }, 422, 'audience_empty')).toEqual([
      'body.audience.exclude',
    ]);
    expect(await refused({ audience: { include: { text: 'tag:没有这个标签' } } }, 400, 'validation_failed')).toEqual(['body.audience.include.text']);
    // A minute of clock skew is allowed; 2,000 characters count as a person counts them (one emoji is one).
    const ok = await s.api.post('/moments', {
      text: '😀'.repeat(2000),
      draft: true,
      schedule: { mode: 'at', at: new Date(Date.now() - 30_000).toISOString() },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: 'draft', counts: null, deliveries: { planned: 0 }, author: 'app:customer_contact', origin: 'api' });
  });

  it('senders outside the author’s data scope are refused; empty senders are everyone the author reaches', async () => {
    const f = await buildRegionalCorp(db().db);
    const manager = apiClient(app, f.secret, f.people.hdManager);
    const body = (senders: object) => () => manager.post('/moments', { text: '华东活动', senders });
    expect(detailPaths(await expectRefused(db().db, f.corpId, body({ userids: [f.people.bjStaff] }), 403, 'forbidden'))).toEqual(['body.senders.userids.0']);
    expect(detailPaths(await expectRefused(db().db, f.corpId, body({ departmentIds: [5] }), 403, 'forbidden'))).toEqual(['body.senders.departmentIds']);
    // Staff have no moment.publish.
    await expectRefused(db().db, f.corpId, () => apiClient(app, f.secret, f.people.shStaff).post('/moments', { text: 'x' }), 403, 'forbidden');
    // Empty senders: the 华东 manager reaches 上海 customers only, through 华东 senders only.
    const res = await manager.post('/moments', { text: '华东活动' });
    expect(res.status).toBe(201);
    expect(res.body.counts).toMatchObject({ remaining: 2 });
    const list = await manager.get(`/moments/${res.body.momentId}/deliveries`);
    expect(list.body.deliveries.map((d: { externalUserid: string }) => d.externalUserid).sort()).toEqual([f.shCustomer, f.internCustomer].sort());
  });

  it('include and exclude: 敏感肌 customers get the post, never one marked 投诉客户; deliveries carry the include tags', async () => {
    const s = await buildMomentScene(db().db, app);
    const happy = await s.customer([s.s1], [s.tags.sensitive]);
    const complaining = await s.customer([s.s2], [s.tags.sensitive, s.tags.complaint]);
    await s.customer([s.s1], [s.tags.dry]);
    const res = await s.api.post('/moments', { text: '修护面膜', audience: { include: { text: 'tag:敏感肌' }, exclude: { text: 'tag:投诉客户' } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'scheduled',
      counts: { matched: 2, excluded: 1, suppressed: 0, overCap: 0, noSender: 0, remaining: 1 },
      audience: { include: { text: 'tag:敏感肌' }, exclude: { text: 'tag:投诉客户' } },
      targetGroups: [{ groupId: s.skinGroup, name: '肤质' }],
      deliveries: { planned: 1, sent: 0 },
    });
    const rows = await s.deliveries(res.body.momentId);
    expect(rows.map((r) => [r.externalUserid, r.senderUserid, r.matchedTagIds, r.variant])).toEqual([[happy, s.s1, [s.tags.sensitive], -1]]);
    expect(rows.some((r) => r.externalUserid === complaining)).toBe(false);
    const recorded = await db()
      .db.select({ type: events.type })
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.subjectId, res.body.momentId)));
    expect(recorded.map((e) => e.type)).toEqual(['moment.created', 'moment.scheduled']);
  });

  it('the weekly cap: a 4th post within 7 days skips the customer (default 3)', async () => {
    const s = await buildMomentScene(db().db, app);
    const busy = await s.customer([s.s1], [s.tags.sensitive]);
    const fresh = await s.customer([s.s1], [s.tags.dry]);
    for (let i = 0; i < 3; i += 1) expect((await s.api.post('/moments', { text: `第${i}条`, audience: { include: { text: 'tag:敏感肌' } } })).status).toBe(201);
    const fourth = await s.api.post('/moments', { text: '第四条', audience: { include: { text: 'tag:敏感肌 or tag:干皮' } } });
    expect(fourth.body.counts).toMatchObject({ matched: 2, overCap: 1, remaining: 1 });
    expect((await s.deliveries(fourth.body.momentId)).map((d) => d.externalUserid)).toEqual([fresh]);
    // Only the capped customer left: refused, naming the cap.
    const res = await expectRefused(
      db().db,
      s.corpId,
      () => s.api.post('/moments', { text: '第五条', audience: { include: { text: 'tag:敏感肌' } } }),
      422,
      'audience_empty',
    );
    expect(res.body.error.message).toContain('weekly cap');
    expect(busy).toBeTruthy();
  });

  it('preview counts every reduction in total, per sender (with names) and per variant, and saves nothing', async () => {
    const s = await buildMomentScene(db().db, app);
    await s.customer([s.s1], [s.tags.sensitive]);
    await s.customer([s.s2], [s.tags.sensitive]);
    await s.customer([s.s2], [s.tags.sensitive, s.tags.complaint]);
    const before = await corpState(db().db, s.corpId);
    const res = await s.api.post('/moments/preview', {
      text: '预览',
      variants: [{ label: '晚间版', fromHour: 18, toHour: 24, text: '晚上好' }],
      audience: { include: { text: 'tag:敏感肌' }, exclude: { text: 'tag:投诉客户' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      counts: { matched: 3, excluded: 1, remaining: 2 },
      targetGroups: [{ groupId: s.skinGroup, name: '肤质' }],
      settings: { weeklyCap: 3, notInterestedStreak: 3, quietHours: { start: '22:00', end: '08:00' } },
      includeText: 'tag:敏感肌',
      excludeText: 'tag:投诉客户',
    });
    expect(
      res.body.bySender.map((b: { userid: string; remaining: number; name: string }) => [b.userid, b.remaining, b.name.startsWith('员工')]).sort(),
    ).toEqual(
      [
        [s.s1, 1, true],
        [s.s2, 1, true],
      ].sort(),
    );
    // Nobody has history: the fallback hour (20:00) lies in the evening slot.
    expect(res.body.byVariant).toEqual([
      { variant: -1, label: '', remaining: 0 },
      { variant: 0, label: '晚间版', remaining: 2 },
    ]);
    expect(await corpState(db().db, s.corpId)).toEqual(before);
  });

  it('best hour from view and like facts, variants by the active hour, and quiet hours', async () => {
    const s = await buildMomentScene(db().db, app);
    const evening = await s.customer([s.s1]);
    const morning = await s.customer([s.s1]);
    const unknown = await s.customer([s.s2]);
    const facts = [
      ...[1, 2, 3].map((d) => ({ externalUserid: evening, type: 'moment.viewed', target: 'mo-old', occurredAt: daysAgoAt(d, 21).toISOString() })),
      { externalUserid: evening, type: 'moment.liked', target: 'mo-old', occurredAt: daysAgoAt(4, 9).toISOString() },
      ...[1, 2].map((d) => ({ externalUserid: morning, type: 'moment.liked', target: 'mo-old', occurredAt: daysAgoAt(d, 9).toISOString() })),
      // Outside the 60 days: ignored.
      ...[70, 71, 72].map((d) => ({ externalUserid: morning, type: 'moment.viewed', target: 'mo-old', occurredAt: daysAgoAt(d, 23).toISOString() })),
    ];
    expect((await s.api.post('/customer-events', { events: facts })).status).toBe(200);
    const now = nextShanghai(7, 30);
    const row = await createMoment(
      s.ctx,
      app().audiences,
      {
        text: '主版本',
        attachments: [],
        variants: [
          { label: '早间版', fromHour: 6, toHour: 12, text: '早安' },
          { label: '晚间版', fromHour: 18, toHour: 23, text: '晚上好' },
        ],
        senders: { userids: [], departmentIds: [] },
        audience: {},
        schedule: { mode: 'best_hour', withinHours: 24 },
        draft: false,
      },
      { now },
    );
    const at = (hoursFromNow: number) => new Date(now.getTime() + hoursFromNow * 3_600_000).toISOString();
    const plan = Object.fromEntries((await s.deliveries(row.momentId)).map((d) => [d.externalUserid, [d.plannedAt.toISOString(), d.variant]]));
    // 07:30 now: 21:00 is 13.5 h ahead, 09:00 1.5 h, the 20:00 fallback 12.5 h.
    expect(plan).toEqual({ [evening]: [at(13.5), 1], [morning]: [at(1.5), 0], [unknown]: [at(12.5), 1] });

    // Sent now at 23:30 (quiet hours 22:00–08:00): planned for 08:00 the next morning.
    const late = nextShanghai(23, 30);
    const quiet = await createMoment(
      s.ctx,
      app().audiences,
      {
        text: '深夜',
        attachments: [],
        variants: [],
        senders: { userids: [], departmentIds: [] },
        audience: {},
        schedule: { mode: 'now' },
        draft: false,
      },
      { now: late },
    );
    const planned = (await s.deliveries(quiet.momentId)).map((d) => d.plannedAt.toISOString());
    expect(new Set(planned)).toEqual(new Set([new Date(late.getTime() + 8.5 * 3_600_000).toISOString()]));
  });

  it('sender choice: only chosen senders send, a customer nobody chosen follows falls out', async () => {
    const s = await buildMomentScene(db().db, app);
    const both = await s.customer([s.s1, s.s2]);
    const onlyFirst = await s.customer([s.s1]);
    const res = await s.api.post('/moments', { text: '只由二号发', senders: { userids: [s.s2] } });
    expect(res.body.counts).toMatchObject({ noSender: 1, remaining: 1 });
    expect((await s.deliveries(res.body.momentId)).map((d) => [d.externalUserid, d.senderUserid])).toEqual([[both, s.s2]]);
    expect(onlyFirst).toBeTruthy();
  });

  it('drafts: edit, schedule, delete; a scheduled post is neither edited nor deleted', async () => {
    const s = await buildMomentScene(db().db, app);
    await s.customer([s.s1], [s.tags.sensitive]);
    const draft = (await s.api.post('/moments', { text: '草稿', draft: true })).body;
    const edited = await s.api.patch(`/moments/${draft.momentId}`, { text: '改过的草稿', audience: { include: { text: 'tag:敏感肌' } } });
    expect(edited.body).toMatchObject({ status: 'draft', text: '改过的草稿', audience: { include: { text: 'tag:敏感肌' } } });
    const scheduled = await s.api.post(`/moments/${draft.momentId}/schedule`);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', counts: { remaining: 1 }, deliveries: { planned: 1 } });
    await expectRefused(db().db, s.corpId, () => s.api.patch(`/moments/${draft.momentId}`, { text: 'x' }), 409, 'conflict');
    await expectRefused(db().db, s.corpId, () => s.api.delete(`/moments/${draft.momentId}`), 409, 'conflict');
    await expectRefused(db().db, s.corpId, () => s.api.post(`/moments/${draft.momentId}/schedule`), 409, 'conflict');
    const other = (await s.api.post('/moments', { text: '删掉', draft: true })).body;
    expect((await s.api.delete(`/moments/${other.momentId}`)).status).toBe(204);
    await expectRefused(db().db, s.corpId, () => s.api.get(`/moments/${other.momentId}`), 404, 'not_found');
    const list = await s.api.get('/moments?limit=1');
    expect(list.body.moments.map((m: { momentId: string }) => m.momentId)).toEqual([draft.momentId]);
    expect((await s.api.get('/moments?status=draft')).body.moments).toEqual([]);
    expect((await s.api.get('/moments?q=改过')).body.moments).toHaveLength(1);
    // Content may wait while the audience is worked out (a preview, a draft); scheduling may not.
    expect((await s.api.post('/moments/preview', { audience: { include: { text: 'tag:敏感肌' } } })).body.counts.remaining).toBe(1);
    const blank = (await s.api.post('/moments', { draft: true, audience: { include: { text: 'tag:敏感肌' } } })).body;
    expect(blank).toMatchObject({ status: 'draft', text: '' });
    expect(detailPaths(await expectRefused(db().db, s.corpId, () => s.api.post(`/moments/${blank.momentId}/schedule`), 400, 'validation_failed'))).toEqual([
      'body.text',
    ]);
    expect((await s.api.patch(`/moments/${blank.momentId}`, { text: '写好了' })).body.text).toBe('写好了');
    expect((await s.api.post(`/moments/${blank.momentId}/schedule`)).body).toMatchObject({ status: 'scheduled', counts: { remaining: 1 } });
  });
});
