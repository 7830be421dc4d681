import { and, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { customerEvents, customers, momentDeliveries, moments } from '../../db/schema/index.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildEmployees, unique } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp, useWecomApp } from '../test-support.js';

type SeedDelivery = { customer: string; sender: string; status: 'planned' | 'sent' | 'cancelled' };

/**
 * A post as the posts module leaves it once planned: the row and its deliveries, written directly so
 * the read endpoints are tested apart from planning.
 */
async function seedMoment(
  db: Db,
  corpId: string,
  opts: {
    createdAt: Date;
    text?: string;
    attachments?: (typeof moments.$inferInsert)['attachments'];
    author?: string;
    restricted?: boolean;
    status?: 'draft' | 'sent';
    jobid?: string;
    deliveries?: SeedDelivery[];
  },
): Promise<string> {
  const momentId = unique('mo');
  await db.insert(moments).values({
    corpId,
    momentId,
    status: opts.status ?? 'sent',
    text: opts.text ?? '春节海报',
    attachments: opts.attachments ?? [],
    senders: { userids: [], departmentIds: [] },
    includeExpr: opts.restricted ? { tag: 'etX' } : null,
    schedule: { mode: 'now' },
    author: opts.author ?? 'app:customer_contact',
    origin: 'wecom-api',
    wecomJobid: opts.jobid ?? null,
    createdAt: opts.createdAt,
  });
  const deliveries = opts.deliveries ?? [];
  if (deliveries.length > 0) {
    const seqs = await db
      .select({ id: customers.externalUserid, seq: customers.seq })
      .from(customers)
      .where(
        and(
          eq(customers.corpId, corpId),
          inArray(
            customers.externalUserid,
            deliveries.map((d) => d.customer),
          ),
        ),
      );
    const seqOf = new Map(seqs.map((r) => [r.id, r.seq]));
    await db.insert(momentDeliveries).values(
      deliveries.map((d) => ({
        corpId,
        momentId,
        externalUserid: d.customer,
        seq: seqOf.get(d.customer)!,
        senderUserid: d.sender,
        plannedAt: opts.createdAt,
        status: d.status,
        sentAt: d.status === 'sent' ? opts.createdAt : null,
      })),
    );
  }
  return momentId;
}

const at = (iso: string) => new Date(iso);
const secs = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describeDb('wecom Moments reads (get_moment_list, get_moment_task, customer list, send result, comments, task result)', (db) => {
  const app = useWecomApp(db);
  const post = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token, body });

  /** Two members, three customers (c1 c2 through u1, c3 through u2) and one post planned to all three. */
  async function scene() {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const [u1, u2] = (await buildEmployees(ctx, 2)) as [string, string];
    const c1 = await buildCustomer(ctx, [u1]);
    const c2 = await buildCustomer(ctx, [u1]);
    const c3 = await buildCustomer(ctx, [u2]);
    const momentId = await seedMoment(db().db, corp.corpId, {
      createdAt: at('2026-11-02T10:00:00Z'),
      restricted: true,
      jobid: unique('job'),
      deliveries: [
        { customer: c1, sender: u1, status: 'sent' },
        { customer: c2, sender: u1, status: 'planned' },
        { customer: c3, sender: u2, status: 'planned' },
      ],
    });
    return { corp, ctx, u1, u2, c1, c2, c3, momentId };
  }

  it('get_moment_list lists the posts of the window oldest first with their content and visibility, and pages with next_cursor', async () => {
    const { corp, momentId } = await scene();
    const image = await seedMoment(db().db, corp.corpId, {
      createdAt: at('2026-11-03T10:00:00Z'),
      text: '',
      author: 'user:zhangsan',
      attachments: [
        { msgtype: 'image', image: { mediaId: 'MEDIA1' } },
        { msgtype: 'image', image: { mediaId: 'MEDIA2' } },
      ],
    });
    const link = await seedMoment(db().db, corp.corpId, {
      createdAt: at('2026-11-04T10:00:00Z'),
      attachments: [{ msgtype: 'link', link: { title: '敏感肌修护', url: 'https://example.com/mask', mediaId: 'COVER' } }],
    });
    await seedMoment(db().db, corp.corpId, { createdAt: at('2026-11-04T11:00:00Z'), status: 'draft' });
    await seedMoment(db().db, corp.corpId, { createdAt: at('2026-12-20T10:00:00Z') });
    const window = { start_time: secs('2026-11-01T00:00:00Z'), end_time: secs('2026-11-30T00:00:00Z') };

    const all = await post(corp.token, 'get_moment_list', window);
    expect(all.body).toMatchObject({ errcode: 0, errmsg: 'ok', next_cursor: '' });
    expect(all.body.moment_list).toEqual([
      { moment_id: momentId, creator: '', create_time: secs('2026-11-02T10:00:00Z'), create_type: 0, visible_type: 0, text: { content: '春节海报' } },
      {
        moment_id: image,
        creator: 'zhangsan',
        create_time: secs('2026-11-03T10:00:00Z'),
        create_type: 0,
        visible_type: 1,
        text: { content: '' },
        image: [{ media_id: 'MEDIA1' }, { media_id: 'MEDIA2' }],
      },
      expect.objectContaining({ moment_id: link, link: { title: '敏感肌修护', url: 'https://example.com/mask' } }),
    ]);

    const ids: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page += 1) {
      const res = await post(corp.token, 'get_moment_list', { ...window, limit: 1, cursor });
      expect(res.body.errcode).toBe(0);
      ids.push(...res.body.moment_list.map((m: { moment_id: string }) => m.moment_id));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(ids).toEqual([momentId, image, link]);
    expect(
      (await post(corp.token, 'get_moment_list', { ...window, creator: 'zhangsan' })).body.moment_list.map((m: { moment_id: string }) => m.moment_id),
    ).toEqual([image]);
    expect((await post(corp.token, 'get_moment_list', { ...window, filter_type: 1 })).body).toMatchObject({ errcode: 0, moment_list: [] });
  });

  it('get_moment_list refuses a window over a month, an inverted one, a missing time, a limit over 100 and a foreign cursor', async () => {
    const { corp, momentId } = await scene();
    const start = secs('2026-11-01T00:00:00Z');
    const before = await snapshotCorp(db().db, corp.corpId);
    const refused: [unknown, number][] = [
      [{ start_time: start, end_time: start + 32 * 86_400 }, 40058],
      [{ start_time: start, end_time: start - 1 }, 40058],
      [{ end_time: start }, 40058],
      [{ start_time: start, end_time: start + 86_400, limit: 101 }, 40058],
      [{ start_time: start, end_time: start + 86_400, limit: -1 }, 40058],
      [{ start_time: start, end_time: start + 86_400, cursor: 'garbage' }, 50100],
    ];
    for (const [body, errcode] of refused) {
      const res = await post(corp.token, 'get_moment_list', body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ errcode, moment_list: [], next_cursor: '' });
    }
    // A cursor of another listing (a sender page of get_moment_task) is not a get_moment_list cursor.
    const taskPage = await post(corp.token, 'get_moment_task', { moment_id: momentId, limit: 1 });
    expect(taskPage.body.task_list).toHaveLength(1);
    expect(taskPage.body.next_cursor).not.toBe('');
    expect((await post(corp.token, 'get_moment_list', { start_time: start, end_time: start + 86_400, cursor: taskPage.body.next_cursor })).body.errcode).toBe(
      50100,
    );
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);
  });

  it("get_moment_task shows each sender's publish_status; customer list and send result page one sender's planned and sent customers", async () => {
    const { corp, u1, u2, c1, c2, c3, momentId } = await scene();
    const task = await post(corp.token, 'get_moment_task', { moment_id: momentId });
    expect(task.body).toMatchObject({ errcode: 0, next_cursor: '' });
    expect([...task.body.task_list].sort((a, b) => a.userid.localeCompare(b.userid))).toEqual(
      [
        { userid: u1, publish_status: 1 },
        { userid: u2, publish_status: 0 },
      ].sort((a, b) => a.userid.localeCompare(b.userid)),
    );

    const planned = await post(corp.token, 'get_moment_customer_list', { moment_id: momentId, userid: u1 });
    expect(planned.body.customer_list).toEqual([c1, c2].sort().map((id) => ({ userid: u1, external_userid: id })));
    const first = await post(corp.token, 'get_moment_customer_list', { moment_id: momentId, userid: u1, limit: 1 });
    expect(first.body.customer_list).toHaveLength(1);
    const second = await post(corp.token, 'get_moment_customer_list', { moment_id: momentId, userid: u1, limit: 1, cursor: first.body.next_cursor });
    expect([...first.body.customer_list, ...second.body.customer_list]).toEqual(planned.body.customer_list);
    expect(second.body.next_cursor).toBe('');
    // A cursor is tied to its listing: u1's page is no cursor for u2.
    expect((await post(corp.token, 'get_moment_customer_list', { moment_id: momentId, userid: u2, cursor: first.body.next_cursor })).body.errcode).toBe(50100);

    expect((await post(corp.token, 'get_moment_send_result', { moment_id: momentId, userid: u1 })).body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      customer_list: [{ external_userid: c1 }],
      next_cursor: '',
    });
    expect((await post(corp.token, 'get_moment_send_result', { moment_id: momentId, userid: u2 })).body.customer_list).toEqual([]);
    expect((await post(corp.token, 'get_moment_customer_list', { moment_id: momentId, userid: u2 })).body.customer_list).toEqual([
      { userid: u2, external_userid: c3 },
    ]);
  });

  it("get_moment_comments lists the comments and likes of one sender's customers on the post", async () => {
    const { corp, u1, u2, c1, c2, c3, momentId } = await scene();
    const fact = (externalUserid: string, type: string, iso: string, target = momentId) => ({
      corpId: corp.corpId,
      externalUserid,
      type,
      target,
      occurredAt: at(iso),
    });
    await db()
      .db.insert(customerEvents)
      .values([
        fact(c1, 'moment.commented', '2026-11-02T12:00:00Z'),
        fact(c2, 'moment.liked', '2026-11-02T13:00:00Z'),
        fact(c1, 'moment.liked', '2026-11-02T11:00:00Z'),
        fact(c3, 'moment.liked', '2026-11-02T11:30:00Z'),
        fact(c1, 'moment.viewed', '2026-11-02T10:30:00Z'),
        fact(c2, 'moment.commented', '2026-11-02T10:30:00Z', 'moOther'),
      ]);
    const res = await post(corp.token, 'get_moment_comments', { moment_id: momentId, userid: u1 });
    expect(res.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      comment_list: [{ external_userid: c1, create_time: secs('2026-11-02T12:00:00Z') }],
      like_list: [
        { external_userid: c1, create_time: secs('2026-11-02T11:00:00Z') },
        { external_userid: c2, create_time: secs('2026-11-02T13:00:00Z') },
      ],
    });
    expect((await post(corp.token, 'get_moment_comments', { moment_id: momentId, userid: u2 })).body.like_list).toEqual([
      { external_userid: c3, create_time: secs('2026-11-02T11:30:00Z') },
    ]);
  });

  it('answers a missing moment_id 41059, an unknown one (or a draft) 41060, a missing or unknown userid 40003, a limit out of range 40058', async () => {
    const { corp, u1, momentId } = await scene();
    const draft = await seedMoment(db().db, corp.corpId, { createdAt: at('2026-11-02T10:00:00Z'), status: 'draft' });
    const cases: [string, unknown, number, Record<string, unknown>][] = [
      ['get_moment_task', {}, 41059, { task_list: [], next_cursor: '' }],
      ['get_moment_task', { moment_id: 'moNOPE' }, 41060, { task_list: [] }],
      ['get_moment_task', { moment_id: draft }, 41060, { task_list: [] }],
      ['get_moment_task', { moment_id: momentId, limit: 1001 }, 40058, { task_list: [] }],
      ['get_moment_customer_list', { moment_id: momentId }, 40003, { customer_list: [] }],
      ['get_moment_customer_list', { moment_id: momentId, userid: 'nobody' }, 40003, { customer_list: [] }],
      ['get_moment_customer_list', { moment_id: 'moNOPE', userid: u1 }, 41060, { customer_list: [] }],
      ['get_moment_send_result', { moment_id: momentId, userid: u1, limit: 5001 }, 40058, { customer_list: [] }],
      ['get_moment_comments', { userid: u1 }, 41059, { comment_list: [], like_list: [] }],
      ['get_moment_comments', { moment_id: momentId, userid: 'nobody' }, 40003, { comment_list: [], like_list: [] }],
    ];
    for (const [path, body, errcode, empty] of cases) {
      const res = await post(corp.token, path, body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ errcode, ...empty });
    }
  });

  it('get_moment_task_result answers a known jobid with status 3 and its moment, an unknown or missing one with 40058', async () => {
    const { corp, momentId } = await scene();
    const [row] = await db()
      .db.select({ jobid: moments.wecomJobid })
      .from(moments)
      .where(and(eq(moments.corpId, corp.corpId), eq(moments.momentId, momentId)));
    const ok = await callWecom(app(), 'externalcontact/get_moment_task_result', { token: corp.token, query: { jobid: row!.jobid! } });
    expect(ok.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      status: 3,
      type: 'add_moment_task',
      result: {
        errcode: 0,
        errmsg: 'ok',
        moment_id: momentId,
        invalid_sender_list: { user_list: [], department_list: [] },
        invalid_external_contact_list: { tag_list: [] },
      },
    });
    const unknown = await callWecom(app(), 'externalcontact/get_moment_task_result', { token: corp.token, query: { jobid: 'nope' } });
    expect(unknown.body).toMatchObject({ errcode: 40058, result: {} });
    expect((await callWecom(app(), 'externalcontact/get_moment_task_result', { token: corp.token })).body.errcode).toBe(40058);
  });

  it("keeps corps apart: another corp's token sees none of this corp's posts", async () => {
    const { momentId, u1 } = await scene();
    const other = await buildWecomCorp(app(), db().db);
    expect((await post(other.token, 'get_moment_task', { moment_id: momentId })).body.errcode).toBe(41060);
    expect(
      (await post(other.token, 'get_moment_list', { start_time: secs('2026-11-01T00:00:00Z'), end_time: secs('2026-11-30T00:00:00Z') })).body.moment_list,
    ).toEqual([]);
    expect((await post(other.token, 'get_moment_comments', { moment_id: momentId, userid: u1 })).body.errcode).toBe(41060);
  });
});
