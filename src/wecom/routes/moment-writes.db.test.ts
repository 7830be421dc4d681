import { and, eq, gte, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Db } from '../../db/client.js';
import { corps, customerEvents, customers, type events, momentDeliveries, momentSuppressions, moments } from '../../db/schema/index.js';
import { markTags } from '../../modules/customers/commands/mark-tags.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildEmployees, buildTagGroup, unique } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp } from '../test-support.js';

const day = 86_400_000;

/** Everything add_moment_task and cancel_moment_task could change in a corp, for "changed nothing" checks. */
async function snapshotMoments(db: Db, corpId: string) {
  const count = async (table: typeof moments | typeof momentDeliveries | typeof events) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.corpId, corpId)))[0]?.n;
  const statuses = await db
    .select({ status: momentDeliveries.status, n: sql<number>`count(*)::int` })
    .from(momentDeliveries)
    .where(eq(momentDeliveries.corpId, corpId))
    .groupBy(momentDeliveries.status)
    .orderBy(momentDeliveries.status);
  const [corp] = await db.select({ v: corps.momentVersion }).from(corps).where(eq(corps.corpId, corpId));
  return { tags: await snapshotCorp(db, corpId), moments: await count(moments), deliveries: await count(momentDeliveries), statuses, version: corp?.v };
}

describeDb('wecom Moments writes (add_moment_task, cancel_moment_task) over the native posts', (db) => {
  // The dispatcher is ticked by hand on a clock the tests move, so "sent" is never a matter of timing.
  let clock = new Date();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ db: db().db, moments: { run: false, now: () => clock } });
  });
  afterAll(async () => {
    await app?.close();
  });
  const post = (token: string, path: string, body: unknown) => callWecom(app, `externalcontact/${path}`, { token, body });
  const taskResult = (token: string, jobid: string) => callWecom(app, 'externalcontact/get_moment_task_result', { token, query: { jobid } });

  /**
   * Two members; u1 follows c1 c2 c3 (tagged 敏感肌) and c4 (untagged), u2 follows c5 (tagged). c2 is
   * on the 肤质 group's suppression list, c3 already got 3 posts this week (the default cap).
   */
  async function scene() {
    const corp = await buildWecomCorp(app, db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const [u1, u2] = (await buildEmployees(ctx, 2)) as [string, string];
    const skin = await buildTagGroup(ctx, ['敏感肌'], '肤质');
    const sensitive = skin.tags[0]!.tagId;
    const c = {
      c1: await buildCustomer(ctx, [u1]),
      c2: await buildCustomer(ctx, [u1]),
      c3: await buildCustomer(ctx, [u1]),
      c4: await buildCustomer(ctx, [u1]),
      c5: await buildCustomer(ctx, [u2]),
    };
    for (const id of [c.c1, c.c2, c.c3]) await markTags(ctx, { externalUserid: id, userid: u1, add: [sensitive] });
    await markTags(ctx, { externalUserid: c.c5, userid: u2, add: [sensitive] });
    return { corp, ctx, u1, u2, sensitive, skinGroup: skin.group.groupId, c };
  }

  /** Puts c2 on the group's suppression list and gives c3 three posts this week, then moves moment_version as writers do. */
  async function suppressAndCap(corpId: string, groupId: string, suppressed: string, capped: string, sender: string) {
    await db()
      .db.insert(momentSuppressions)
      .values({ corpId, groupId, externalUserid: suppressed, momentIds: ['moA', 'moB', 'moC'] });
    const [row] = await db()
      .db.select({ seq: customers.seq })
      .from(customers)
      .where(and(eq(customers.corpId, corpId), eq(customers.externalUserid, capped)));
    await db()
      .db.insert(momentDeliveries)
      .values(
        [1, 2, 3].map((n) => ({
          corpId,
          momentId: `moOld${n}`,
          externalUserid: capped,
          seq: row!.seq,
          senderUserid: sender,
          plannedAt: new Date(Date.now() - n * day),
          status: 'sent' as const,
        })),
      );
    await db()
      .db.update(corps)
      .set({ momentVersion: sql`${corps.momentVersion} + 1` })
      .where(eq(corps.corpId, corpId));
  }

  it('runs the SDK flow: add_moment_task → task result → moment list → task / customers / send result / comments → cancel', async () => {
    const { corp, u1, u2, sensitive, c } = await scene();
    const added = await post(corp.token, 'add_moment_task', {
      text: { content: '敏感肌修护面膜，限时体验' },
      attachments: [{ msgtype: 'link', link: { title: '修护面膜', url: 'https://example.com/mask', media_id: 'COVER1' } }],
      visible_range: {
        sender_list: { user_list: [u1, u2, 'ghost'], department_list: [999] },
        external_contact_list: { tag_list: [sensitive, 'etUNKNOWN'] },
      },
    });
    expect(added.body).toMatchObject({ errcode: 0, errmsg: 'ok', jobid: expect.stringMatching(/^\S{1,64}$/) });

    const result = await taskResult(corp.token, added.body.jobid);
    expect(result.body).toMatchObject({ errcode: 0, status: 3, type: 'add_moment_task' });
    expect(result.body.result).toEqual({
      errcode: 0,
      errmsg: 'ok',
      moment_id: expect.any(String),
      invalid_sender_list: { user_list: ['ghost'], department_list: [999] },
      invalid_external_contact_list: { tag_list: ['etUNKNOWN'] },
    });
    const momentId = result.body.result.moment_id as string;

    const now = Math.floor(Date.now() / 1000);
    const listed = await post(corp.token, 'get_moment_list', { start_time: now - 3600, end_time: now + 3600 });
    expect(listed.body.moment_list).toEqual([
      {
        moment_id: momentId,
        creator: '',
        create_time: expect.any(Number),
        create_type: 0,
        visible_type: 0,
        text: { content: '敏感肌修护面膜，限时体验' },
        link: { title: '修护面膜', url: 'https://example.com/mask' },
      },
    ]);

    const sorted = (ids: string[]) => [...ids].sort();
    const task = await post(corp.token, 'get_moment_task', { moment_id: momentId });
    expect(task.body.task_list.map((t: { userid: string; publish_status: number }) => [t.userid, t.publish_status]).sort()).toEqual(
      sorted([u1, u2]).map((u) => [u, 0]),
    );
    // Tagged customers only: c4 (untagged) is not planned for.
    const planned = await post(corp.token, 'get_moment_customer_list', { moment_id: momentId, userid: u1 });
    expect(planned.body.customer_list).toEqual(sorted([c.c1, c.c2, c.c3]).map((id) => ({ userid: u1, external_userid: id })));
    expect((await post(corp.token, 'get_moment_send_result', { moment_id: momentId, userid: u1 })).body.customer_list).toEqual([]);

    // Two days on every planned delivery (quiet hours or not) is due: the dispatcher sends them.
    clock = new Date(Date.now() + 2 * day);
    await app.momentDispatch.tick();
    const task2 = await post(corp.token, 'get_moment_task', { moment_id: momentId });
    expect(task2.body.task_list.map((t: { publish_status: number }) => t.publish_status)).toEqual([1, 1]);
    const sent = await post(corp.token, 'get_moment_send_result', { moment_id: momentId, userid: u2 });
    expect(sent.body.customer_list).toEqual([{ external_userid: c.c5 }]);

    await db()
      .db.insert(customerEvents)
      .values([
        { corpId: corp.corpId, externalUserid: c.c1, type: 'moment.liked', target: momentId, occurredAt: new Date('2026-11-02T10:00:00Z') },
        { corpId: corp.corpId, externalUserid: c.c2, type: 'moment.commented', target: momentId, occurredAt: new Date('2026-11-02T11:00:00Z') },
      ]);
    const comments = await post(corp.token, 'get_moment_comments', { moment_id: momentId, userid: u1 });
    expect(comments.body).toMatchObject({
      errcode: 0,
      comment_list: [{ external_userid: c.c2, create_time: Date.parse('2026-11-02T11:00:00Z') / 1000 }],
      like_list: [{ external_userid: c.c1, create_time: Date.parse('2026-11-02T10:00:00Z') / 1000 }],
    });

    // A second post, cancelled before it goes out: nothing of it is sent, and it cannot be cancelled twice.
    clock = new Date();
    const second = await post(corp.token, 'add_moment_task', { text: { content: '第二条' }, visible_range: { sender_list: { user_list: [u1] } } });
    expect(second.body.errcode).toBe(0);
    const secondId = (await taskResult(corp.token, second.body.jobid)).body.result.moment_id as string;
    // No tag_list: a public post to all of u1's customers, c4 included.
    expect((await post(corp.token, 'get_moment_customer_list', { moment_id: secondId, userid: u1 })).body.customer_list).toHaveLength(4);
    expect(await post(corp.token, 'cancel_moment_task', { moment_id: secondId })).toMatchObject({ body: { errcode: 0, errmsg: 'ok' } });
    clock = new Date(Date.now() + 2 * day);
    await app.momentDispatch.tick();
    expect((await post(corp.token, 'get_moment_send_result', { moment_id: secondId, userid: u1 })).body.customer_list).toEqual([]);
    expect((await post(corp.token, 'get_moment_task', { moment_id: secondId })).body.task_list).toEqual([{ userid: u1, publish_status: 0 }]);
    const before = await snapshotMoments(db().db, corp.corpId);
    expect((await post(corp.token, 'cancel_moment_task', { moment_id: secondId })).body.errcode).toBe(40058);
    expect(await snapshotMoments(db().db, corp.corpId)).toEqual(before);
    clock = new Date();
  });

  it('keeps a suppressed and a capped customer out of get_moment_customer_list although the tag_list includes them', async () => {
    const { corp, u1, sensitive, skinGroup, c } = await scene();
    await suppressAndCap(corp.corpId, skinGroup, c.c2, c.c3, u1);
    const added = await post(corp.token, 'add_moment_task', {
      text: { content: '敏感肌专享' },
      visible_range: { sender_list: { user_list: [u1] }, external_contact_list: { tag_list: [sensitive] } },
    });
    expect(added.body.errcode).toBe(0);
    const momentId = (await taskResult(corp.token, added.body.jobid)).body.result.moment_id as string;
    const planned = await post(corp.token, 'get_moment_customer_list', { moment_id: momentId, userid: u1 });
    expect(planned.body.customer_list).toEqual([{ userid: u1, external_userid: c.c1 }]);
    // The native view of the same post counts why: one suppressed, one over the cap, and u2's c5 has no sender here.
    const [row] = await db()
      .db.select({ counts: moments.counts, origin: moments.origin })
      .from(moments)
      .where(and(eq(moments.corpId, corp.corpId), eq(moments.momentId, momentId)));
    expect(row).toMatchObject({ origin: 'wecom-api', counts: { matched: 4, excluded: 0, suppressed: 1, overCap: 1, noSender: 1, remaining: 1 } });
  });

  it('refuses bad input with WeCom errcodes, answers jobid "" and changes nothing', async () => {
    const { corp, u1, sensitive } = await scene();
    const other = await buildTagGroup(appCtx(db().db, corp.corpId), ['无人标签'], '空组');
    const image = (n: number) => ({ msgtype: 'image', image: { media_id: `M${n}` } });
    const link = { msgtype: 'link', link: { title: 't', url: 'https://example.com', media_id: 'C' } };
    const cases: [string, unknown, number][] = [
      ['text over 2,000 characters', { text: { content: '字'.repeat(2001) } }, 40058],
      ['images and a link', { text: { content: 'x' }, attachments: [image(1), link] }, 41065],
      ['an unknown msgtype', { attachments: [{ msgtype: 'file', file: { media_id: 'F' } }] }, 41065],
      ['ten images', { attachments: Array.from({ length: 10 }, (_, i) => image(i)) }, 41064],
      ['two links', { attachments: [link, link] }, 41064],
      ['neither text nor attachments', { text: { content: '' }, attachments: [] }, 41089],
      ['an empty body', {}, 41089],
      ['a link without its url', { attachments: [{ msgtype: 'link', link: { media_id: 'C' } }] }, 40058],
      ['a link url that is not http', { attachments: [{ msgtype: 'link', link: { url: 'ftp://x', media_id: 'C' } }] }, 40058],
      ['only unknown senders', { text: { content: 'x' }, visible_range: { sender_list: { user_list: ['ghost'] } } }, 40003],
      ['only unknown tags', { text: { content: 'x' }, visible_range: { external_contact_list: { tag_list: ['etNOPE'] } } }, 40068],
      ['a tag nobody carries', { text: { content: 'x' }, visible_range: { external_contact_list: { tag_list: [other.tags[0]!.tagId] } } }, 40058],
      ['user_list not a list', { text: { content: 'x' }, visible_range: { sender_list: { user_list: u1 } } }, 40058],
    ];
    const before = await snapshotMoments(db().db, corp.corpId);
    for (const [what, body, errcode] of cases) {
      const res = await post(corp.token, 'add_moment_task', body);
      expect(res.status, what).toBe(200);
      expect(res.body, what).toMatchObject({ errcode, jobid: '' });
    }
    expect((await callWecom(app, 'externalcontact/add_moment_task', { token: corp.token, body: '{"text":' })).body.errcode).toBe(40058);
    expect((await callWecom(app, 'externalcontact/add_moment_task', { token: corp.token, method: 'GET' })).body.errcode).toBe(40058);
    expect((await post(corp.token, 'cancel_moment_task', {})).body.errcode).toBe(41059);
    expect((await post(corp.token, 'cancel_moment_task', { moment_id: 'moNOPE' })).body.errcode).toBe(41060);
    expect((await callWecom(app, 'externalcontact/add_moment_task', { body: { text: { content: 'x' } } })).body.errcode).toBe(41001);
    expect(await snapshotMoments(db().db, corp.corpId)).toEqual(before);
    // The same corp still posts once the input is right.
    const ok = await post(corp.token, 'add_moment_task', { text: { content: 'x' }, visible_range: { external_contact_list: { tag_list: [sensitive] } } });
    expect(ok.body.errcode).toBe(0);
  });

  it('answers 45009 to an 11th add_moment_task within a minute, creating nothing; posts older than a minute do not count', async () => {
    const { corp, u1 } = await scene();
    const seed = (count: number, createdAt: Date) =>
      db()
        .db.insert(moments)
        .values(
          Array.from({ length: count }, () => ({
            corpId: corp.corpId,
            momentId: unique('mo'),
            status: 'sent' as const,
            text: '早先的',
            senders: { userids: [], departmentIds: [] },
            schedule: { mode: 'now' as const },
            author: 'app:customer_contact',
            origin: 'wecom-api',
            wecomJobid: unique('job'),
            createdAt,
          })),
        );
    await seed(9, new Date());
    await seed(5, new Date(Date.now() - 120_000));
    const body = { text: { content: '第十条' }, visible_range: { sender_list: { user_list: [u1] } } };
    expect((await post(corp.token, 'add_moment_task', body)).body.errcode).toBe(0);
    const before = await snapshotMoments(db().db, corp.corpId);
    const refused = await post(corp.token, 'add_moment_task', body);
    expect(refused.body).toMatchObject({ errcode: 45009, jobid: '' });
    expect(await snapshotMoments(db().db, corp.corpId)).toEqual(before);
    const recent = await db()
      .db.select({ n: sql<number>`count(*)::int` })
      .from(moments)
      .where(and(eq(moments.corpId, corp.corpId), gte(moments.createdAt, new Date(Date.now() - 60_000))));
    expect(recent[0]?.n).toBe(10);
  });
});
