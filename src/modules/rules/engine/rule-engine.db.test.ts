import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { marks, ruleRuns, tags } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { apiClient, buildApiScene, fingerprint, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { createSource, deliver, orderPayload } from '../../webhooks/test-support.js';

describeDb('rule engine: triggers tag customers by rule, as operations with evidence', (db) => {
  const app = useTestApp(db);
  const settle = (corpId: string) => app().consumers.settle(corpId);

  const marksOf = async (corpId: string, externalUserid: string) =>
    db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, corpId), eq(marks.externalUserid, externalUserid)));
  const tagIdByName = async (corpId: string, name: string) =>
    (
      await db()
        .db.select()
        .from(tags)
        .where(and(eq(tags.corpId, corpId), eq(tags.name, name)))
    )[0]?.tagId;

  async function addThrough(corpId: string, userid: string, state: string, addTime = new Date()) {
    const [id] = await withTx(systemContext(db().db, corpId), (tx) => addCustomers(tx, [{ name: '扫码客户', follows: [{ userid, state, addTime }] }]));
    return id!;
  }

  it('a 活码 scan inside the window gets a template tag created on first use, with rule, version and evidence on the mark', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const rule = await admin.post('/rules', {
      name: '三月活动新用户',
      definition: {
        trigger: {
          kind: 'customer.added',
          contactWayStates: ['march'],
          window: { startsAt: '2026-03-01T00:00:00+08:00', endsAt: '2026-04-01T00:00:00+08:00' },
        },
        actions: [{ kind: 'addTemplate', group: { groupName: '活动用户' }, template: '新用户-{M}月活动期' }],
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const ruleId = rule.body.ruleId as string;
    for (const state of ['march', 'april']) {
      const way = await admin.post('/contact-ways', { type: 'single', scene: 'qrcode', state, userids: [s.staffA] });
      expect(way.status, JSON.stringify(way.body)).toBe(201);
    }
    const inside = await addThrough(s.corpId, s.staffA, 'march', new Date('2026-03-10T02:00:00Z'));
    const outside = await addThrough(s.corpId, s.staffA, 'march', new Date('2026-04-02T02:00:00Z'));
    const otherState = await addThrough(s.corpId, s.staffA, 'april', new Date('2026-03-10T02:00:00Z'));
    await settle(s.corpId);

    const tagId = await tagIdByName(s.corpId, '新用户-3月活动期');
    expect(tagId).toBeDefined();
    const [mark] = await marksOf(s.corpId, inside);
    expect(mark).toMatchObject({ tagId, userid: s.staffA, source: 'rule', ruleId, ruleVersion: 1, createdBy: 'system:rules' });
    const [evidence] = await queryRows<{ type: string }>(db().db, sql`select type from events where corp_id = ${s.corpId} and seq = ${mark!.evidenceSeq}`);
    expect(evidence?.type).toBe('contact_way.customer_added');
    expect(await marksOf(s.corpId, outside)).toEqual([]);
    expect(await marksOf(s.corpId, otherState)).toEqual([]);

    const runs = await admin.get(`/rules/${ruleId}/runs`);
    expect(runs.body.runs).toMatchObject([{ status: 'applied', version: 1, customers: 1, added: 1, removed: 0, undone: false, dueAt: null }]);
    // The run is an operation: undo takes the mark off, and the run shows as undone.
    const undo = await admin.post(`/operations/${runs.body.runs[0].operationId}/undo`, {});
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(await marksOf(s.corpId, inside)).toEqual([]);
    expect((await admin.get(`/rules/${ruleId}/runs`)).body.runs[0].undone).toBe(true);
  });

  it('a behaviour fact fires only for customers inside the audience, and an edited rule marks with its new version', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot, warm] = s.tags.map((t) => t.tagId);
    const created = await admin.post('/rules', {
      name: '看过产品页',
      definition: {
        trigger: { kind: 'behaviour', eventType: 'link.clicked', target: 'p1' },
        conditions: { audience: { expression: { tag: warm } } },
        actions: [{ kind: 'add', tagIds: [hot] }],
      },
    });
    const ruleId = created.body.ruleId as string;
    const [inAudience, outside] = await withTx(systemContext(db().db, s.corpId), (tx) =>
      addCustomers(tx, [
        { name: '甲', follows: [{ userid: s.staffA }] },
        { name: '乙', follows: [{ userid: s.staffA }] },
      ]),
    );
    expect((await admin.post(`/customers/${inAudience}/follows/${s.staffA}/tags`, { add: [warm] })).status).toBe(200);
    const click = (externalUserid: string, target = 'p1') =>
      admin.post('/customer-events', { events: [{ externalUserid, type: 'link.clicked', target, occurredAt: new Date().toISOString() }] });
    expect((await click(inAudience!)).status).toBe(200);
    await click(outside!);
    await click(outside!, 'p2');
    await settle(s.corpId);
    expect((await marksOf(s.corpId, inAudience!)).map((m) => m.tagId).sort()).toEqual([hot, warm].sort());
    expect(await marksOf(s.corpId, outside!)).toEqual([]);

    // Version 2 also accepts p2 customers outside the audience; the mark names version 2.
    const edited = await admin.patch(`/rules/${ruleId}`, {
      definition: { trigger: { kind: 'behaviour', eventType: 'link.clicked' }, actions: [{ kind: 'add', tagIds: [hot] }] },
    });
    expect(edited.body.currentVersion).toBe(2);
    await click(outside!, 'p2');
    await settle(s.corpId);
    expect(await marksOf(s.corpId, outside!)).toMatchObject([{ tagId: hot, ruleId, ruleVersion: 2 }]);
  });

  it('a CRM webhook tags 已购买-{product}; a paused rule does nothing', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const { sourceId, secret } = await createSource(app, s.key);
    const created = await admin.post('/rules', {
      name: '已购买',
      definition: {
        trigger: { kind: 'webhook', sourceId, eventType: 'order.paid' },
        actions: [{ kind: 'addTemplate', group: { groupName: '购买记录' }, template: '已购买-{product}' }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const customer = s.customer;
    expect((await deliver(app, sourceId, { secret, payload: orderPayload(customer) })).status).toBe(202);
    await settle(s.corpId);
    const tagId = await tagIdByName(s.corpId, '已购买-智能手表');
    // Both of the customer's relations carry it: the event names no employee.
    expect(
      (await marksOf(s.corpId, customer))
        .filter((m) => m.tagId === tagId)
        .map((m) => m.userid)
        .sort(),
    ).toEqual([s.staffA, s.staffB].sort());

    await admin.post(`/rules/${created.body.ruleId}/pause`, {});
    const before = (await marksOf(s.corpId, customer)).length;
    await deliver(app, sourceId, { secret, payload: { ...orderPayload(customer, 'o-2'), order: { id: 'o-2', sku: 'S2', product: '耳机', amount: 1 } } });
    await settle(s.corpId);
    expect((await marksOf(s.corpId, customer)).length).toBe(before);
    expect(await tagIdByName(s.corpId, '已购买-耳机')).toBeUndefined();
  });

  it('POST /messages: "预约周三看房" tags the employee’s relation by a keyword rule (all of 预约, 看房), with the message as evidence', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot] = s.tags.map((t) => t.tagId);
    const created = await admin.post('/rules', {
      name: '看房意向',
      definition: { trigger: { kind: 'message.keyword', keywords: ['预约', '看房'], match: 'all' }, actions: [{ kind: 'add', tagIds: [hot] }] },
    });
    const ruleId = created.body.ruleId as string;
    const send = (key: string, text: string) =>
      admin.post('/messages', {
        messages: [{ userid: s.staffB, externalUserid: s.customer, direction: 'in', text, sentAt: new Date().toISOString(), idempotencyKey: key }],
      });
    expect((await send('k1', '周三有空看房吗')).body.messages[0].keywords).toEqual([]);
    await settle(s.corpId);
    expect((await marksOf(s.corpId, s.customer)).filter((m) => m.tagId === hot)).toEqual([]);
    expect((await send('k2', '我想预约周三看房')).status).toBe(200);
    await settle(s.corpId);
    expect((await marksOf(s.corpId, s.customer)).filter((m) => m.tagId === hot)).toMatchObject([{ userid: s.staffB, ruleId, ruleVersion: 1, source: 'rule' }]);
    const detail = await admin.get(`/customers/${s.customer}`);
    const tag = detail.body.follows.find((f: { userid: string }) => f.userid === s.staffB).tags.find((t: { tagId: string }) => t.tagId === hot);
    expect(tag.origin).toMatchObject({ source: 'rule', rule: { ruleId, name: '看房意向', version: 1 }, evidence: { type: 'message.matched' } });
    expect(tag.origin.evidence.summary).toContain('预约, 看房');
  });

  it('a keyword draft dry-runs against the keywords past messages were found to contain, and a rule run redoes after its undo', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot, warm] = s.tags.map((t) => t.tagId);
    const live = await admin.post('/rules', {
      name: '看房',
      definition: { trigger: { kind: 'message.keyword', keywords: ['看房', '报价单'] }, actions: [{ kind: 'add', tagIds: [hot] }] },
    });
    await admin.post('/messages', {
      messages: [
        { userid: s.staffA, externalUserid: s.customer, direction: 'in', text: '请发报价单', sentAt: new Date().toISOString(), idempotencyKey: 'dry-1' },
      ],
    });
    await settle(s.corpId);
    // A draft on 报价单 sees the past message; one on a word no rule had then cannot.
    const draft = (keywords: string[]) =>
      admin.post('/rules/dry-run', { definition: { trigger: { kind: 'message.keyword', keywords }, actions: [{ kind: 'add', tagIds: [warm] }] } });
    expect((await draft(['报价单'])).body).toMatchObject({ events: 1, fired: 1, gains: [{ tagId: warm, customers: 1 }] });
    expect((await draft(['合同'])).body).toMatchObject({ events: 1, fired: 0, gains: [] });

    const [run] = (await admin.get(`/rules/${live.body.ruleId}/runs`)).body.runs;
    expect(run).toMatchObject({ status: 'applied', added: 1 });
    await admin.post(`/operations/${run.operationId}/undo`, {});
    expect((await marksOf(s.corpId, s.customer)).filter((m) => m.tagId === hot)).toEqual([]);
    expect((await admin.post(`/operations/${run.operationId}/redo`, {})).status).toBe(200);
    expect((await marksOf(s.corpId, s.customer)).filter((m) => m.tagId === hot)).toMatchObject([{ ruleId: live.body.ruleId, ruleVersion: 1 }]);
  });

  it('a keyword rule with a threshold fires on the second mention within the window only', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot] = s.tags.map((t) => t.tagId);
    const created = await admin.post('/rules', {
      name: '报价单两次',
      definition: {
        trigger: { kind: 'message.keyword', keywords: ['报价单'], threshold: { count: 2, withinDays: 7 } },
        actions: [{ kind: 'add', tagIds: [hot] }],
      },
    });
    const ruleId = created.body.ruleId as string;
    const customer = s.customer;
    // What POST /messages records for a matching message: the keyword fact and the message.matched event.
    const message = async (key: string, at: Date) => {
      await admin.post('/customer-events', {
        events: [{ externalUserid: customer, type: 'message.keyword', target: '报价单', occurredAt: at.toISOString(), dedupKey: `msg:${key}:报价单` }],
      });
      await withTx(systemContext(db().db, s.corpId, 'messages', 'api'), (tx) =>
        recordEvent(tx, {
          type: 'message.matched',
          subjectType: 'customer',
          subjectId: customer,
          payload: {
            userid: s.staffA,
            direction: 'in',
            sentAt: at.toISOString(),
            idempotencyKey: key,
            keywords: ['报价单'],
            rules: [{ ruleId, keywords: ['报价单'] }],
          },
        }),
      );
    };
    const day = 86_400_000;
    await message('m1', new Date(Date.now() - 10 * day));
    await message('m2', new Date(Date.now() - 1 * day));
    await settle(s.corpId);
    expect((await marksOf(s.corpId, customer)).filter((m) => m.tagId === hot)).toEqual([]);
    await message('m3', new Date());
    await settle(s.corpId);
    // Only the relation of the employee in the conversation gets it.
    expect((await marksOf(s.corpId, customer)).filter((m) => m.tagId === hot)).toMatchObject([{ userid: s.staffA, ruleId }]);
  });

  it('cascades: a rule whose audience needs a tag another rule adds on the same event fires in the next pass, and two rules undoing each other stop', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot, warm] = s.tags.map((t) => t.tagId);
    const trigger = { kind: 'behaviour', eventType: 'live.attended' };
    // Created first, so it runs first and misses: the customer has no `hot` yet.
    await admin.post('/rules', {
      name: 'B',
      definition: { trigger, conditions: { audience: { expression: { tag: hot } } }, actions: [{ kind: 'add', tagIds: [warm] }] },
    });
    await admin.post('/rules', { name: 'A', definition: { trigger, actions: [{ kind: 'add', tagIds: [hot] }] } });
    // C takes `hot` off whoever has `warm`; A put it on: each fires once per event, so it ends.
    await admin.post('/rules', {
      name: 'C',
      definition: { trigger, conditions: { audience: { expression: { tag: warm } } }, actions: [{ kind: 'remove', tagIds: [hot] }] },
    });
    const [customer] = await withTx(systemContext(db().db, s.corpId), (tx) => addCustomers(tx, [{ name: '丙', follows: [{ userid: s.staffA }] }]));
    await admin.post('/customer-events', { events: [{ externalUserid: customer, type: 'live.attended', target: 'l1', occurredAt: new Date().toISOString() }] });
    await settle(s.corpId);
    // Pass 1: B misses, A adds hot, C misses. Pass 2: B adds warm. Pass 3: C removes hot.
    expect((await marksOf(s.corpId, customer!)).map((m) => m.tagId)).toEqual([warm]);
  });

  it('a template name over the corp limit fails the run visibly and writes no tag', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const { sourceId, secret } = await createSource(app, s.key);
    const created = await admin.post('/rules', {
      name: '长名字',
      definition: {
        trigger: { kind: 'webhook', sourceId, eventType: 'order.paid' },
        actions: [{ kind: 'addTemplate', group: { groupName: '购买记录' }, template: '已购买的产品是-{product}' }],
      },
    });
    expect(created.status).toBe(201);
    const payload = { ...orderPayload(s.customer), order: { id: 'o-9', sku: 'S9', product: '一个名字特别特别长的产品', amount: 1 } };
    await deliver(app, sourceId, { secret, payload });
    await settle(s.corpId);
    const runs = (await admin.get(`/rules/${created.body.ruleId}/runs`)).body.runs;
    expect(runs).toMatchObject([{ status: 'failed', added: 0, operationId: null }]);
    expect(runs[0].error).toContain('over the limit of 16');
    expect(await tagIdByName(s.corpId, '已购买的产品是-一个名字特别特别长的产品')).toBeUndefined();
  });

  it('a rule whose author left stops applying tags, and says why', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot] = s.tags.map((t) => t.tagId);
    const created = await admin.post('/rules', {
      name: '离职',
      definition: { trigger: { kind: 'behaviour', eventType: 'link.clicked' }, actions: [{ kind: 'add', tagIds: [hot] }] },
    });
    await queryRows(db().db, sql`update employees set status = 'inactive' where corp_id = ${s.corpId} and userid = ${s.admin}`);
    await queryRows(db().db, sql`update corps set org_version = org_version + 1 where corp_id = ${s.corpId}`);
    await apiClient(app, s.key).post('/customer-events', {
      events: [{ externalUserid: s.customer, type: 'link.clicked', target: 'x', occurredAt: new Date().toISOString() }],
    });
    await settle(s.corpId);
    expect((await marksOf(s.corpId, s.customer)).filter((m) => m.tagId === hot)).toEqual([]);
    const [run] = await db()
      .db.select()
      .from(ruleRuns)
      .where(and(eq(ruleRuns.corpId, s.corpId), eq(ruleRuns.ruleId, created.body.ruleId)));
    expect(run).toMatchObject({ status: 'failed' });
    expect(run!.error).toContain(`user:${s.admin}`);
  });

  it('a dry run shows who would gain which tag over past events, including a template tag to be created, and writes nothing', async () => {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key, s.admin);
    const [hot] = s.tags.map((t) => t.tagId);
    const customer = s.customer;
    await admin.post('/customer-events', { events: [{ externalUserid: customer, type: 'link.clicked', target: 'p1', occurredAt: new Date().toISOString() }] });
    await settle(s.corpId);
    const before = await fingerprint(db().db, s.corpId);
    const dry = await admin.post('/rules/dry-run', {
      days: 7,
      definition: {
        trigger: { kind: 'behaviour', eventType: 'link.clicked' },
        actions: [
          { kind: 'add', tagIds: [hot] },
          { kind: 'addTemplate', group: { groupName: '点击' }, template: '点了-{target}' },
        ],
      },
    });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ events: 1, fired: 1, truncated: false, losses: [] });
    expect(dry.body.gains).toEqual(
      expect.arrayContaining([
        { tagId: hot, tagName: '高意向', groupName: expect.any(String), customers: 1, samples: [{ externalUserid: customer, name: expect.any(String) }] },
        { tagId: null, tagName: '点了-p1', groupName: '点击', customers: 1, samples: [{ externalUserid: customer, name: expect.any(String) }] },
      ]),
    );
    expect(await fingerprint(db().db, s.corpId)).toEqual(before);
    const bad = await admin.post('/rules/dry-run', {
      definition: { trigger: { kind: 'schedule', cron: '61 3 * * *' }, actions: [{ kind: 'add', tagIds: [hot] }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.definition.trigger.cron');
  });
});
