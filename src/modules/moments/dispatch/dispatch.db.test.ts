import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import { events, moments } from '../../../db/schema/index.js';
import { corpState, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { createMoment } from '../commands/create-moment.js';
import { buildMomentScene, nextShanghai } from '../moments.test-support.js';
import { dispatchCorp, dispatchDue } from './dispatch-due.js';

const hour = 3_600_000;
const post = (schedule: object, text = '新品上市') => ({
  text,
  attachments: [],
  variants: [],
  senders: { userids: [], departmentIds: [] },
  audience: {},
  schedule: schedule as never,
  draft: false,
});

describeDb('Moments dispatch and cancel', (db) => {
  const app = useTestApp(db, { moments: { run: false } });

  const dispatchedEvents = async (corpId: string, momentId: string) =>
    (
      await db()
        .db.select({ payload: events.payload, actor: events.actor })
        .from(events)
        .where(and(eq(events.corpId, corpId), eq(events.subjectId, momentId), eq(events.type, 'moment.dispatched')))
    ).map((e) => ({ ...(e.payload as { sent: number; remaining: number }), actor: e.actor }));

  it('two pollers at once send every due delivery exactly once; the post goes sending → sent', async () => {
    const s = await buildMomentScene(db().db, app);
    for (let i = 0; i < 23; i += 1) await s.customer([i % 2 ? s.s1 : s.s2]);
    const now = nextShanghai(10);
    const row = await createMoment(s.ctx, app().audiences, post({ mode: 'now' }), { now });
    expect(await dispatchDue(db().db, new Date(now.getTime() - 1000))).toMatchObject({ sent: 0 });
    const runs = await Promise.all([dispatchDue(db().db, now, 5), dispatchDue(db().db, now, 5), dispatchDue(db().db, now, 5)]);
    const delivered = await s.deliveries(row.momentId);
    expect(delivered.every((d) => d.status === 'sent' && d.sentAt?.getTime() === now.getTime())).toBe(true);
    expect(runs.reduce((n, r) => n + (r.byCorp.get(s.corpId) ?? 0), 0)).toBe(23);
    const dispatched = await dispatchedEvents(s.corpId, row.momentId);
    expect(dispatched.reduce((n, e) => n + e.sent, 0)).toBe(23);
    expect(dispatched.every((e) => e.actor === 'system:moments')).toBe(true);
    const [after] = await db()
      .db.select()
      .from(moments)
      .where(and(eq(moments.corpId, s.corpId), eq(moments.momentId, row.momentId)));
    expect(after).toMatchObject({ status: 'sent', finishedAt: now });
    // Nothing is sent twice afterwards.
    expect((await dispatchDue(db().db, new Date(now.getTime() + 48 * hour))).byCorp.get(s.corpId)).toBeUndefined();
  });

  it('cancel: planned deliveries are cancelled, sent ones stay, nothing more goes out', async () => {
    const s = await buildMomentScene(db().db, app);
    const first = await s.customer([s.s1]);
    const second = await s.customer([s.s2]);
    // Posted at 23:30, inside quiet hours: both copies are planned for 08:00.
    const now = nextShanghai(23, 30);
    const row = await createMoment(s.ctx, app().audiences, post({ mode: 'now' }), { now });
    const morning = new Date(now.getTime() + 8.5 * hour);
    expect(await dispatchDue(db().db, new Date(morning.getTime() - 1000))).toMatchObject({ sent: 0 });
    // One claim of one delivery: the post is sending.
    expect(await withTx(systemContext(db().db, s.corpId, 'moments'), (tx) => dispatchCorp(tx, morning, 1))).toBe(1);
    expect((await s.api.get(`/moments/${row.momentId}`)).body).toMatchObject({ status: 'sending', deliveries: { planned: 1, sent: 1 } });
    const res = await s.api.post(`/moments/${row.momentId}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', deliveries: { planned: 0, sent: 1, cancelled: 1 } });
    expect(res.body.cancelledAt).not.toBeNull();
    expect((await dispatchDue(db().db, new Date(morning.getTime() + 48 * hour))).byCorp.get(s.corpId)).toBeUndefined();
    const statuses = Object.fromEntries((await s.deliveries(row.momentId)).map((d) => [d.externalUserid, d.status]));
    expect(Object.values(statuses).sort()).toEqual(['cancelled', 'sent']);
    expect(Object.keys(statuses).sort()).toEqual([first, second].sort());
    // Cancelling again, or a draft, is a conflict that changes nothing.
    const before = await corpState(db().db, s.corpId);
    expect((await s.api.post(`/moments/${row.momentId}/cancel`)).body.error.code).toBe('conflict');
    const draft = (await s.api.post('/moments', { text: '草稿', draft: true })).body;
    const afterDraft = await corpState(db().db, s.corpId);
    expect((await s.api.post(`/moments/${draft.momentId}/cancel`)).body.error.code).toBe('conflict');
    expect(await corpState(db().db, s.corpId)).toEqual(afterDraft);
    expect(before.momentDeliveries).toEqual(afterDraft.momentDeliveries);
  });

  it('a crash mid-schedule leaves nothing: a failing delivery insert rolls back the post, its events and the version', async () => {
    const s = await buildMomentScene(db().db, app);
    await s.customer([s.s1]);
    const doomed = await s.customer([s.s2]);
    const before = await corpState(db().db, s.corpId);
    await db().db.execute(sql.raw(`create function moments_test_fail() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`));
    await db().db.execute(
      sql.raw(
        `create trigger moments_test_fail before insert on moment_deliveries for each row when (new.external_userid = '${doomed}') execute function moments_test_fail()`,
      ),
    );
    try {
      const res = await s.api.post('/moments', { text: '会失败' });
      expect(res.status).toBe(500);
    } finally {
      await db().db.execute(sql.raw('drop trigger moments_test_fail on moment_deliveries'));
      await db().db.execute(sql.raw('drop function moments_test_fail'));
    }
    expect(await corpState(db().db, s.corpId)).toEqual(before);
  });
});
