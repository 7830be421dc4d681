import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import { customers, events, follows, marks, tagGroups, tags, wecomCallbacks } from '../../../db/schema/index.js';
import { buildApiScene, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { addDepartments } from '../../org/commands/add-org.js';
import { FakeWecom } from '../fake-wecom.test-support.js';
import { localIdOf } from '../id-map.js';
import { connectForCallbacks, postCallback } from './test-support.js';

describeDb('WeCom callbacks applied through the sync commands', (db) => {
  const app = useTestApp(db, { runJobs: false });
  let wecom: FakeWecom;
  beforeAll(async () => {
    wecom = await FakeWecom.start();
  });
  afterAll(() => wecom.close());

  const eventCount = async (corpId: string) => (await db().db.select({ seq: events.seq }).from(events).where(eq(events.corpId, corpId))).length;

  it('tags created and deleted in WeCom follow here; a staff mark arrives once; del_follow_user drops the follow and keeps the customer', async () => {
    const s = await buildApiScene(db().db);
    const receiver = await connectForCallbacks(app(), s.corpId, { apiBase: wecom.url });
    wecom.addCorp(receiver.corpid, receiver.secret);
    wecom.seed(receiver.corpid, {
      customers: [{ external_userid: s.customer, name: '客户', follow: [{ userid: s.staffA }, { userid: s.staffB }] }],
    });

    // An admin creates a tag in WeCom: the library here gains it, mapped to WeCom's id.
    const added = wecom.staffAddTag(receiver.corpid, '渠道', '展会');
    expect((await postCallback(app(), receiver, added.groupCallback!)).status).toBe(200);
    expect((await postCallback(app(), receiver, added.callback)).status).toBe(200);
    const localTag = await localIdOf(db().db as never, s.corpId, 'tag', added.tagId);
    expect(localTag).toEqual(expect.any(String));
    const [tagRow] = await db()
      .db.select()
      .from(tags)
      .where(and(eq(tags.corpId, s.corpId), eq(tags.tagId, localTag!)));
    expect(tagRow).toMatchObject({ name: '展会' });

    // A member marks the customer in the WeCom app: the mark appears here, once however often WeCom retries.
    const mark = wecom.staffMark(receiver.corpid, s.staffA, s.customer, [added.tagId], []);
    expect((await postCallback(app(), receiver, mark)).status).toBe(200);
    const afterFirst = await eventCount(s.corpId);
    expect((await postCallback(app(), receiver, mark)).status).toBe(200);
    expect(await eventCount(s.corpId)).toBe(afterFirst);
    const markRows = await db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.externalUserid, s.customer), eq(marks.tagId, localTag!)));
    expect(markRows.map((m) => m.userid)).toEqual([s.staffA]);
    const markEvents = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.source, 'wecom-sync')));
    expect(markEvents.length).toBeGreaterThan(0);
    const count = await app().inject({
      method: 'POST',
      url: '/api/v1/audiences/count',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
      payload: { text: 'tag:展会' },
    });
    expect(count.json().count).toBe(1);

    // The tag is deleted in WeCom: it goes here, and off the customer.
    const deleted = wecom.staffDeleteTag(receiver.corpid, added.tagId);
    expect((await postCallback(app(), receiver, deleted)).status).toBe(200);
    const [gone] = await db()
      .db.select()
      .from(tags)
      .where(and(eq(tags.corpId, s.corpId), eq(tags.tagId, localTag!)));
    expect(gone?.deletedAt).toBeInstanceOf(Date);
    expect(
      await db()
        .db.select()
        .from(marks)
        .where(and(eq(marks.corpId, s.corpId), eq(marks.tagId, localTag!))),
    ).toEqual([]);

    // The customer deletes staff B in WeCom: that follow goes, the customer and staff A's follow stay.
    const unfollowed = wecom.staffDeleteFollow(receiver.corpid, s.staffB, s.customer);
    expect((await postCallback(app(), receiver, unfollowed)).status).toBe(200);
    const left = await db()
      .db.select()
      .from(follows)
      .where(and(eq(follows.corpId, s.corpId), eq(follows.externalUserid, s.customer)));
    expect(left.map((f) => f.userid)).toEqual([s.staffA]);
    expect(
      await db()
        .db.select()
        .from(customers)
        .where(and(eq(customers.corpId, s.corpId), eq(customers.externalUserid, s.customer))),
    ).toHaveLength(1);

    const log = await db().db.select().from(wecomCallbacks).where(eq(wecomCallbacks.corpId, s.corpId));
    expect(log.filter((r) => r.outcome === 'applied')).toHaveLength(5);
    expect(log.filter((r) => r.outcome === 'duplicate')).toHaveLength(1);
  });

  it('a rule-group tag added in WeCom (StrategyId callback) arrives with its rule group, mapped; a staff mark with it follows; a retry changes nothing', async () => {
    const s = await buildApiScene(db().db);
    await withTx(systemContext(db().db, s.corpId), (tx) => addDepartments(tx, [{ deptId: 1, name: '总部' }]));
    const receiver = await connectForCallbacks(app(), s.corpId, { apiBase: wecom.url });
    wecom.addCorp(receiver.corpid, receiver.secret);
    wecom.seed(receiver.corpid, { customers: [{ external_userid: s.customer, name: '客户', follow: [{ userid: s.staffA }, { userid: s.staffB }] }] });

    const added = wecom.staffAddStrategyTag(receiver.corpid, 9, '会员等级', '金卡');
    expect((await postCallback(app(), receiver, added.callback)).status).toBe(200);
    const localTag = await localIdOf(db().db as never, s.corpId, 'tag', added.tagId);
    const localGroup = await localIdOf(db().db as never, s.corpId, 'tag_group', added.groupId);
    const localRule = await localIdOf(db().db as never, s.corpId, 'strategy', '9');
    expect([localTag, localGroup, localRule]).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
    const [group] = await db()
      .db.select()
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, s.corpId), eq(tagGroups.groupId, localGroup!)));
    expect(group).toMatchObject({ kind: 'strategy', strategyId: Number(localRule), name: '会员等级' });
    const afterFirst = await eventCount(s.corpId);
    expect((await postCallback(app(), receiver, added.callback)).status).toBe(200);
    expect(await eventCount(s.corpId)).toBe(afterFirst);

    const mark = wecom.staffMark(receiver.corpid, s.staffA, s.customer, [added.tagId], []);
    expect((await postCallback(app(), receiver, mark)).status).toBe(200);
    const markRows = await db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.externalUserid, s.customer), eq(marks.tagId, localTag!)));
    expect(markRows.map((m) => m.userid)).toEqual([s.staffA]);
  });

  it('a customer added in WeCom arrives with its follow and state; a failed read is retried by WeCom and applied once', async () => {
    const s = await buildApiScene(db().db);
    const receiver = await connectForCallbacks(app(), s.corpId, { apiBase: wecom.url });
    wecom.addCorp(receiver.corpid, receiver.secret);
    const { externalUserid, callback } = wecom.staffAddCustomer(receiver.corpid, s.staffA, { name: '新客户', state: 'expo2026' });
    wecom.failNext('externalcontact/get', { httpStatus: 502 });
    expect((await postCallback(app(), receiver, callback)).status).toBe(500);
    expect(
      await db()
        .db.select()
        .from(customers)
        .where(and(eq(customers.corpId, s.corpId), eq(customers.externalUserid, externalUserid))),
    ).toEqual([]);
    expect((await postCallback(app(), receiver, callback)).status).toBe(200);
    const [follow] = await db()
      .db.select()
      .from(follows)
      .where(and(eq(follows.corpId, s.corpId), eq(follows.externalUserid, externalUserid)));
    expect(follow).toMatchObject({ userid: s.staffA, state: 'expo2026' });
  });
});
