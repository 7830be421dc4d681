import { expect, it } from 'vitest';
import { type Ctx, withTx } from '../../context.js';
import { type NewEvent, recordEvent } from '../../events/record.js';
import { apiClient, buildApiScene, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildTagGroup, employeeCtx } from '../../test/factories.js';
import { applyMarkChanges } from '../marks/write-marks.js';
import { createPersonalTag } from '../tags/commands/personal-tags.js';

type Origin = { rule?: { ruleId: string; name: string; version: number }; evidence?: { seq: number; type: string; details: object; summary: string } };
type Detail = { follows: { userid: string; tags: { tagId: string; origin: Origin }[] }[] };

describeDb('a rule-made tag’s rule and evidence on the customer', (db) => {
  const app = useTestApp(db);

  /** Records a trigger event and puts `tagId` on the relation as the rule's run on it did. */
  async function ruleMark(ctx: Ctx, rel: { userid: string; externalUserid: string }, tagId: string, ruleId: string, event: NewEvent) {
    return withTx(ctx, async (tx) => {
      const seq = await recordEvent(tx, event);
      await applyMarkChanges(tx, `opRULE${seq}`, [{ ...rel, tagId, change: 'add' }], { source: 'rule', ruleId, ruleVersion: 1, evidenceSeq: seq });
      return seq;
    });
  }

  it('names the rule (deleted since, too) and describes each kind of trigger event, in one read', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const created = await api.post('/rules', {
      name: '看房意向',
      definition: { trigger: { kind: 'message.keyword', keywords: ['预约', '看房'] }, actions: [{ kind: 'add', tagIds: [s.tags[0]!.tagId] }] },
    });
    expect(created.status).toBe(201);
    const ruleId = String(created.body.ruleId);
    const { tags } = await buildTagGroup(s.ctx, ['消息', '渠道', '群', '行为', '回调', '定时', '其他']);
    const [message, contactWay, chat, behaviour, webhook, schedule, other] = tags.map((t) => t.tagId) as string[];
    const rel = { userid: s.staffA, externalUserid: s.customer };
    const customer = (subjectType: NewEvent['subjectType'] = 'customer') => ({ subjectType, subjectId: s.customer });
    const seqs = {
      message: await ruleMark(s.ctx, rel, message!, ruleId, {
        type: 'message.matched',
        ...customer(),
        payload: { userid: s.staffA, direction: 'in', sentAt: '2026-12-07T02:02:00Z', idempotencyKey: 'm1', keywords: ['预约', '看房'], rules: [] },
      }),
      contactWay: await ruleMark(s.ctx, rel, contactWay!, ruleId, {
        type: 'contact_way.customer_added',
        ...customer('follow'),
        payload: { configId: 'cw1', state: 'spring-fair', userid: s.staffA, externalUserid: s.customer },
      }),
      chat: await ruleMark(s.ctx, rel, chat!, ruleId, {
        type: 'group_chat.member_joined',
        ...customer('group_chat'),
        payload: { chatId: 'wrChat1', externalUserid: s.customer, joinTime: '2026-12-06T12:30:00Z', joinScene: 3, state: '' },
      }),
      behaviour: await ruleMark(s.ctx, rel, behaviour!, ruleId, {
        type: 'customer_event.recorded',
        ...customer(),
        payload: { count: 1, types: ['link.opened'], externalUserids: [s.customer] },
      }),
      webhook: await ruleMark(s.ctx, rel, webhook!, ruleId, {
        type: 'webhook.received',
        ...customer('webhook_source'),
        payload: { sourceId: 'whShop', deliveryId: 'd1', eventType: 'order.paid', externalUserid: s.customer, target: 'sku-9', fields: {} },
      }),
      schedule: await ruleMark(s.ctx, rel, schedule!, ruleId, {
        type: 'rule.ran',
        ...customer('rule'),
        payload: { ruleId, version: 1, dueAt: '2026-12-06T19:00:00Z' },
      }),
      other: await ruleMark(s.ctx, rel, other!, ruleId, { type: 'customer.created', ...customer() }),
    };
    expect((await api.delete(`/rules/${ruleId}`)).status).toBeLessThan(300);

    const res = await api.get(`/customers/${s.customer}`);
    expect(res.status).toBe(200);
    const origins = new Map((res.body as Detail).follows.find((f) => f.userid === s.staffA)!.tags.map((t) => [t.tagId, t.origin]));
    for (const tagId of tags.map((t) => t.tagId)) expect(origins.get(tagId)?.rule).toEqual({ ruleId, name: '看房意向', version: 1 });
    const evidence = (tagId: string | undefined) => origins.get(tagId!)?.evidence;
    expect(evidence(message)).toEqual({
      seq: seqs.message,
      type: 'message.matched',
      at: expect.any(String),
      details: { keywords: '预约, 看房', userid: s.staffA, time: '2026-12-07 10:02' },
      summary: 'message at 2026-12-07 10:02 contained 预约, 看房',
    });
    expect(evidence(contactWay)).toMatchObject({
      seq: seqs.contactWay,
      type: 'contact_way.customer_added',
      details: { state: 'spring-fair', configId: 'cw1', userid: s.staffA },
      summary: 'added through contact way cw1 (state spring-fair)',
    });
    expect(evidence(chat)).toMatchObject({
      type: 'group_chat.member_joined',
      details: { chatId: 'wrChat1', time: '2026-12-06 20:30' },
      summary: 'joined group chat wrChat1 at 2026-12-06 20:30',
    });
    expect(evidence(behaviour)).toMatchObject({
      type: 'customer_event.recorded',
      details: { eventType: 'link.opened' },
      summary: 'customer event link.opened',
    });
    expect(evidence(webhook)).toMatchObject({
      type: 'webhook.received',
      details: { sourceId: 'whShop', eventType: 'order.paid', target: 'sku-9' },
      summary: 'webhook order.paid from whShop on sku-9',
    });
    expect(evidence(schedule)).toMatchObject({
      seq: seqs.schedule,
      type: 'schedule',
      details: { time: '2026-12-07 03:00' },
      summary: 'scheduled run at 2026-12-07 03:00',
    });
    expect(evidence(other)).toMatchObject({ seq: seqs.other, type: 'customer.created', details: {}, summary: 'customer.created' });
    // A mark made by hand names no rule and no evidence.
    await api.post(`/customers/${s.customer}/follows/${s.staffB}/tags`, { add: [s.tags[1]!.tagId] });
    const byHand = (await api.get(`/customers/${s.customer}`)).body as Detail;
    expect(byHand.follows.find((f) => f.userid === s.staffB)!.tags[0]!.origin).not.toHaveProperty('rule');
  });

  it('shows a personal tag’s evidence only to its owner, as the tag itself', async () => {
    const s = await buildApiScene(db().db);
    const owner = employeeCtx(db().db, s.corpId, s.staffA);
    const personal = await withTx(owner, (tx) => createPersonalTag(tx, { name: '想看学区房' }));
    const seq = await ruleMark(owner, { userid: s.staffA, externalUserid: s.customer }, personal.tagId, 'ruleNone', {
      type: 'message.matched',
      subjectType: 'customer',
      subjectId: s.customer,
      payload: { userid: s.staffA, sentAt: '2026-12-07T02:02:00Z', keywords: ['学区'] },
    });
    const tagsSeenBy = async (userid: string) =>
      ((await apiClient(app, s.key, userid).get(`/customers/${s.customer}`)).body as Detail).follows.flatMap((f) => f.tags);
    const mine = (await tagsSeenBy(s.staffA)).find((t) => t.tagId === personal.tagId);
    // A rule since gone from the table entirely still shows by its id.
    expect(mine?.origin).toMatchObject({ rule: { ruleId: 'ruleNone', name: 'ruleNone', version: 1 }, evidence: { seq, type: 'message.matched' } });
    expect((await tagsSeenBy(s.staffB)).map((t) => t.tagId)).not.toContain(personal.tagId);
  });
});
