import { expect, it } from 'vitest';
import { operations } from '../db/schema/index.js';
import { insertDeliveries, insertPost } from '../modules/moments/analytics/moment-rows.test-support.js';
import { createSource, deliver, orderPayload } from '../modules/webhooks/test-support.js';
import { apiClient, useTestApp } from './api.js';
import { describeDb } from './db.js';
import { buildCustomer } from './factories.js';
import { buildRegionalCorp } from './org-fixture.js';

/** Polls an operation until it has finished, failing the test after ~10 s. */
async function finished(client: ReturnType<typeof apiClient>, operationId: string) {
  for (let i = 0; i < 200; i += 1) {
    const res = await client.get(`/operations/${operationId}`);
    if (['succeeded', 'failed', 'cancelled'].includes(res.body.operation?.status)) return res.body.operation;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`operation ${operationId} did not finish`);
}

/**
 * Every value a path parameter of that name can take in the scene: each row kind the database holds
 * (live, deleted, smart, rule-group and personal tags; every operation kind…), so a response schema
 * that cannot describe one of them fails here rather than in front of a user.
 */
type ParamValues = Record<string, string[]>;

/** Fills `:name` parameters of a URL pattern with every combination of the scene's values. */
function expand(pattern: string, values: ParamValues): string[] {
  const names = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  let urls = [pattern];
  for (const name of names) {
    const options = values[name];
    if (!options) throw new Error(`No scene values for :${name} (in ${pattern}); add them to the walk.`);
    urls = urls.flatMap((url) => options.map((v) => url.replace(`:${name}`, encodeURIComponent(v))));
  }
  return urls;
}

describeDb('every read route answers every kind of row the database holds', (db) => {
  const app = useTestApp(db);

  it('lists and details one operation of every kind: batch, import, undo, redo, rule and deletion', async () => {
    const corp = await buildRegionalCorp(db().db);
    const asApp = apiClient(app, corp.secret);
    const [tagA, tagB] = corp.grade.tags.map((t) => t.tagId) as [string, string];

    const batch = await asApp.post('/operations/batch', { action: 'tag', tagIds: [tagA], selection: { externalUserids: [corp.shCustomer] } });
    expect(batch.status).toBe(202);
    await finished(asApp, batch.body.operation.operationId);
    const csv = `external_userid,name,userid,tags\r\n,导入客户,${corp.people.shStaff},客户等级/B级\r\n`;
    const imported = await app().inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${corp.secret}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const importId = imported.json().operationId as string;
    const undo = await asApp.post(`/operations/${batch.body.operation.operationId}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    const redo = await asApp.post(`/operations/${batch.body.operation.operationId}/redo`);
    expect(redo.status, JSON.stringify(redo.body)).toBe(200);
    const deletion = await asApp.delete(`/tags/${tagB}`);
    expect(deletion.status).toBe(200);
    // No command records rule runs as operations yet (the rule engine will); the table can hold one.
    await db()
      .db.insert(operations)
      .values({
        corpId: corp.corpId,
        operationId: 'op-rule-1',
        kind: 'rule',
        status: 'succeeded',
        params: {},
        actor: { kind: 'system', name: 'rules' },
        actorLabel: 'system:rules',
        source: 'rule',
        result: { added: 3 },
      });

    const list = await asApp.get('/operations?limit=200');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(new Set(list.body.operations.map((o: { kind: string }) => o.kind))).toEqual(new Set(['batch', 'import', 'undo', 'redo', 'rule', 'deletion']));
    for (const kind of ['batch', 'import', 'undo', 'redo', 'rule', 'deletion']) {
      const page = await asApp.get(`/operations?kind=${kind}`);
      expect(page.status, `${kind}: ${JSON.stringify(page.body)}`).toBe(200);
      expect(page.body.operations.length, kind).toBeGreaterThan(0);
      for (const op of page.body.operations) {
        const detail = await asApp.get(`/operations/${op.operationId}`);
        expect(detail.status, `${kind} detail: ${JSON.stringify(detail.body)}`).toBe(200);
        expect(detail.body.operation.kind).toBe(kind);
      }
    }
    const importRow = list.body.operations.find((o: { operationId: string }) => o.operationId === importId);
    expect(importRow.result).toMatchObject({ added: 1, removed: 0, customersCreated: 1 });
    expect(list.body.operations.find((o: { kind: string }) => o.kind === 'rule').result).toEqual({ added: 3, removed: 0 });
  });

  it('answers every GET route without a server error, for every id of every row kind, as the app and as an admin', async () => {
    const corp = await buildRegionalCorp(db().db);
    const asApp = apiClient(app, corp.secret);
    const asAdmin = apiClient(app, corp.secret, corp.people.admin);
    const asStaff = apiClient(app, corp.secret, corp.people.shStaff);
    const [tagA, tagB] = corp.grade.tags.map((t) => t.tagId) as [string, string];

    // One of everything: marks, a personal tag, a deleted tag and group, a smart group, a rule
    // group, a saved audience, behaviour facts, a custom role, an app, a department, and operations.
    expect((await asApp.post(`/customers/${corp.shCustomer}/follows/${corp.people.shStaff}/tags`, { add: [tagA] })).status).toBe(200);
    const personal = (await asStaff.post('/personal-tags', { name: '老朋友' })).body.tagId as string;
    expect((await asStaff.post(`/customers/${corp.shCustomer}/follows/${corp.people.shStaff}/tags`, { add: [personal] })).status).toBe(200);
    const doomed = (await asApp.post('/tag-groups', { name: '将删除', tags: [{ name: '甲' }, { name: '乙' }] })).body;
    expect((await asApp.delete(`/tags/${doomed.tags[0].tagId}`)).status).toBe(200);
    expect((await asApp.delete(`/tag-groups/${doomed.groupId}`)).status).toBe(200);
    const smart = (await asApp.post('/smart-groups', { name: '智能', tags: [{ name: '高价值', expression: { tag: tagA } }] })).body;
    const token = (await app().inject({ url: `/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${corp.secret}` })).json().access_token as string;
    const wecom = (path: string, payload: object) => app().inject({ method: 'POST', url: `/cgi-bin/externalcontact/${path}?access_token=${token}`, payload });
    expect(
      (
        await wecom('customer_strategy/create', {
          parent_id: 0,
          strategy_name: '规则组',
          admin_list: [corp.people.admin],
          range: [{ type: 1, userid: corp.people.shStaff }],
        })
      ).json().errcode,
    ).toBe(0);
    const strategyGroup = (await wecom('add_strategy_tag', { strategy_id: 1, group_name: '规则标签组', tag: [{ name: '规则标签' }] })).json().tag_group;
    const audience = (await asApp.post('/audiences', { name: '人群', expression: { tag: tagA } })).body.audienceId as string;
    const privateAudience = (await asStaff.post('/audiences', { name: '私人人群', expression: { tag: personal } })).body.audienceId as string;
    const rule = (
      await asApp.post('/rules', {
        name: '规则',
        definition: {
          trigger: { kind: 'schedule', cron: '0 3 * * *' },
          conditions: { audience: { expression: { tag: tagA } } },
          actions: [{ kind: 'move', groupId: corp.grade.group.groupId, tagId: tagA }],
        },
      })
    ).body.ruleId as string;
    const deletedRule = (
      await asApp.post('/rules', { name: '删掉的规则', definition: { trigger: { kind: 'customer.added' }, actions: [{ kind: 'remove', tagIds: [tagA] }] } })
    ).body.ruleId as string;
    expect((await asApp.delete(`/rules/${deletedRule}`)).status).toBe(204);
    expect(
      (
        await asApp.post('/customer-events', {
          events: [{ externalUserid: corp.shCustomer, type: 'link.clicked', target: 'p1', occurredAt: new Date().toISOString() }],
        })
      ).status,
    ).toBe(200);
    // A keyword rule and a chat message it matched: a message.matched event, a message.keyword fact, a receipt.
    const keywordRule = (
      await asApp.post('/rules', {
        name: '关键词',
        definition: { trigger: { kind: 'message.keyword', keywords: ['预约'] }, actions: [{ kind: 'add', tagIds: [tagA] }] },
      })
    ).body.ruleId as string;
    const message = { userid: corp.people.shStaff, externalUserid: corp.shCustomer, direction: 'in', text: '想预约看房', sentAt: new Date().toISOString() };
    expect((await asApp.post('/messages', { messages: [{ ...message, idempotencyKey: 'walk-1' }] })).body.matched).toBe(1);
    // Chats of every shape: with a customer and an employee member, transferred, empty.
    expect((await asApp.post('/group-chats', { chatId: 'wrFull', owner: corp.people.shStaff, name: '群', adminList: [corp.people.shStaff] })).status).toBe(201);
    expect(
      (
        await asApp.post('/group-chats/wrFull/members', {
          externalUserid: corp.shCustomer,
          joinTime: new Date().toISOString(),
          joinScene: 3,
          state: '活码',
          invitor: corp.people.shStaff,
        })
      ).status,
    ).toBe(201);
    expect((await asApp.post('/group-chats/wrFull/members', { userid: corp.people.shStaff, joinTime: new Date().toISOString(), joinScene: 1 })).status).toBe(
      201,
    );
    expect((await asApp.post('/group-chats', { chatId: 'wrEmpty', owner: corp.people.bjStaff, status: 3 })).status).toBe(201);
    expect((await asApp.post('/roles', { roleId: 'custom', name: '自定义', permissions: ['customer.view'], dataScope: 'department' })).status).toBe(201);
    const createdApp = (await asApp.post('/apps', { name: '小程序', range: { departments: [2], userids: [] } })).body.appId as string;
    // A webhook source with an accepted delivery and a refused one (and one with none).
    const hook = await createSource(app, corp.secret);
    expect((await deliver(app, hook.sourceId, { secret: hook.secret, payload: orderPayload(corp.shCustomer) })).status).toBe(202);
    expect((await deliver(app, hook.sourceId, { secret: hook.secret, payload: orderPayload('wmNOBODY') })).status).toBe(422);
    const quietHook = await createSource(app, corp.secret, { mapping: { externalUserid: '$.c', eventType: { path: '$.t' } } });
    const batch = await asApp.post('/operations/batch', { action: 'tag', tagIds: [tagB], selection: { externalUserids: [corp.bjCustomer] } });
    await finished(asApp, batch.body.operation.operationId);
    const undone = (await asApp.post(`/operations/${batch.body.operation.operationId}/undo`)).body.operation.operationId as string;
    const csv = `external_userid,name,userid,tags\r\n,导入客户,${corp.people.bjStaff},客户等级/A级\r\n`;
    const imported = await app().inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${corp.secret}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.statusCode, imported.body).toBe(201);

    // A live way with a customer who came in through it, and a deleted one.
    const way = (
      await asApp.post('/contact-ways', {
        type: 'multi',
        scene: 'qrcode',
        userids: [corp.people.shStaff, corp.people.bjStaff],
        state: 'walk',
        defaultTagIds: [tagA],
      })
    ).body.configId as string;
    const goneWay = (await asApp.post('/contact-ways', { type: 'single', scene: 'miniprogram', userids: [corp.people.shStaff] })).body.configId as string;
    expect((await asApp.delete(`/contact-ways/${goneWay}`)).status).toBe(204);
    await buildCustomer(corp.ctx, [corp.people.shStaff], { follows: [{ userid: corp.people.shStaff, state: 'walk' }] });
    // Join ways: one whose state marks wrFull's customer, a mini-program one without a state.
    const joinWay = (await asApp.post('/join-ways', { scene: 'qrcode', chatIdList: ['wrFull', 'wrEmpty'], state: '活码' })).body.configId as string;
    const quietJoinWay = (await asApp.post('/join-ways', { scene: 'miniprogram', chatIdList: ['wrEmpty'] })).body.configId as string;
    // Posts of every status that reads differently: a draft, a scheduled one with deliveries, a cancelled one.
    const postMoment = async (body: object) => {
      const res = await asApp.post('/moments', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.momentId as string;
    };
    const draftMoment = await postMoment({ text: '草稿', draft: true });
    const sentMoment = await postMoment({ text: '朋友圈', audience: { include: { expression: { tag: tagA } } } });
    const cancelledMoment = await postMoment({ text: '取消', schedule: { mode: 'best_hour', withinHours: 48 } });
    expect((await asApp.post(`/moments/${cancelledMoment}/cancel`)).status).toBe(200);

    // Posts of every shape: targeted with variants, deliveries and facts; a broadcast draft; one cancelled before sending.
    const post = await insertPost(db().db, corp.corpId, { includeTagIds: [tagA, tagB], variants: [{ label: '早间版', fromHour: 6, toHour: 12, text: '早' }] });
    await insertDeliveries(db().db, corp.corpId, post, corp.people.shStaff, [
      { customer: corp.shCustomer, variant: 0, matchedTagIds: [tagA] },
      { customer: corp.bjCustomer, status: 'planned' },
      { customer: corp.internCustomer, status: 'cancelled' },
    ]);
    const viewed = { externalUserid: corp.shCustomer, type: 'moment.viewed', target: post, occurredAt: new Date().toISOString() };
    expect((await asApp.post('/customer-events', { events: [viewed, { ...viewed, type: 'order.placed', target: 'o1' }] })).status).toBe(200);
    const draftPost = await insertPost(db().db, corp.corpId, { status: 'draft' });
    const cancelledPost = await insertPost(db().db, corp.corpId, { status: 'cancelled' });
    // An outbound webhook subscription with a queued ping (the sender is off in tests).
    const subscription = (await asApp.post('/webhook-subscriptions', { name: '外发', url: 'http://93.184.215.14/hooks', eventTypes: ['tag.*'] })).body
      .subscription.subscriptionId as string;
    const pinged = (await asApp.post(`/webhook-subscriptions/${subscription}/ping`)).body.deliveryId as string;
    const values: ParamValues = {
      operationId: [batch.body.operation.operationId, undone, imported.json().operationId, doomed.groupId],
      tagId: [tagA, doomed.tags[0].tagId, doomed.tags[1].tagId, smart.tags[0].tagId, strategyGroup.tag[0].id, personal],
      groupId: [corp.grade.group.groupId, doomed.groupId, smart.groupId, strategyGroup.group_id],
      externalUserid: [corp.shCustomer, corp.bjCustomer, corp.internCustomer],
      userid: Object.values(corp.people),
      deptId: ['1', '2', '3', '5', '6'],
      roleId: ['admin', 'manager', 'staff', 'readonly', 'custom'],
      appId: ['customer_contact', createdApp],
      audienceId: [audience, privateAudience],
      strategyId: ['1', '999'],
      sourceId: [hook.sourceId, quietHook.sourceId, 'whNOSUCH'],
      subscriptionId: [subscription, 'wsNOSUCH'],
      deliveryId: [pinged, 'wdNOSUCH'],
      configId: [way, goneWay, joinWay, quietJoinWay],
      ruleId: [rule, deletedRule, keywordRule, 'ruNoSuchRule'],
      version: ['1', '2', '0', 'x'],
      chatId: ['wrFull', 'wrEmpty', 'wrNope'],
      momentId: [post, draftPost, cancelledPost, draftMoment, sentMoment, cancelledMoment, 'moNoSuchPost'],
    };
    // The deletion above is an operation too (its id is the deletion id).
    const deletions = (await asApp.get('/operations?kind=deletion')).body.operations.map((o: { operationId: string }) => o.operationId);
    values.operationId!.push(...deletions);

    const getRoutes = app()
      .routeTable.filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/'))
      .map((r) => r.url.slice('/api/v1'.length));
    expect(getRoutes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let calls = 0;
    for (const pattern of getRoutes) {
      if (pattern.endsWith('/progress')) continue; // a Server-Sent Events stream; its frames are tested with the operations
      for (const url of expand(pattern, values)) {
        for (const client of [asApp, asAdmin, asStaff]) {
          const res = await client.get(url);
          calls += 1;
          if (res.status >= 500) failures.push(`GET ${url} → ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(100);
  });
});
