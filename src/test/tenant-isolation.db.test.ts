import { expect, it } from 'vitest';
import { wecomPushQueue } from '../db/schema/index.js';
import { buildMoment, buildSuppression } from '../modules/moments/suppression/test-support.js';
import { apiClient, fingerprint, useTestApp } from './api.js';
import { describeDb } from './db.js';
import { buildRegionalCorp } from './org-fixture.js';

/** Routes that take no tenant credentials at all; each is checked by its own tests. */
// `POST /hooks/:sourceId` takes a per-source signature instead; another corp's source (and its
// secret) is tried in src/modules/webhooks/hooks.db.test.ts. WeCom's callbacks are signed with the
// corp's callback token; another corp's and no corp's are tried in src/modules/connector/callbacks.
const publicRoutes = [
  'GET /healthz',
  'GET /readyz',
  'GET /cgi-bin/gettoken',
  'POST /api/v1/auth/login',
  'POST /hooks/:sourceId',
  'GET /hooks/wecom/:corpId',
  'POST /hooks/wecom/:corpId',
];

describeDb('tenant isolation: corp B, with its own credentials, tries every route on corp A’s ids', (db) => {
  const app = useTestApp(db);

  it('reads nothing of A and changes nothing of A, on every route of both surfaces', async () => {
    const a = await buildRegionalCorp(db().db);
    const b = await buildRegionalCorp(db().db);
    const asA = apiClient(app, a.secret);
    const wecom = async (secret: string, corpId: string) =>
      (await app().inject({ url: `/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${secret}` })).json().access_token as string;
    const tokenA = await wecom(a.secret, a.corpId);
    const tokenB = await wecom(b.secret, b.corpId);

    // Things only A has, with names B never uses, so any of them showing up in a reply is a leak
    // (ids are not checked: error messages echo the ids the caller sent).
    const secretGroup = (await asA.post('/tag-groups', { name: '甲方机密组', tags: [{ name: '甲方机密标签' }, { name: '甲方另一个' }] })).body;
    const aTag = secretGroup.tags[0].tagId as string;
    const aGroup = secretGroup.groupId as string;
    const deletedTag = secretGroup.tags[1].tagId as string;
    const deletion = await asA.delete(`/tags/${deletedTag}`);
    expect(deletion.status).toBe(200);
    // A deletion is an operation (undoable): A's operation id for the /operations routes.
    const aOp = deletion.body.deletionId as string;
    expect((await asA.post(`/customers/${a.shCustomer}/follows/${a.people.shStaff}/tags`, { add: [aTag] })).status).toBe(200);
    const aPersonal = (await apiClient(app, a.secret, a.people.shStaff).post('/personal-tags', { name: '甲方私有' })).body.tagId as string;
    const aDept = 77;
    expect((await asA.post('/departments', { deptId: aDept, name: '甲方独有部门', parentId: 1 })).status).toBe(201);
    const aApp = (await asA.post('/apps', { name: '甲方应用', range: { departments: [aDept], userids: [] } })).body.appId as string;
    expect((await asA.post('/roles', { roleId: 'a-only-role', name: '甲方角色', permissions: ['customer.view'], dataScope: 'own' })).status).toBe(201);
    const strategyBody = { parent_id: 0, strategy_name: '甲方规则组', admin_list: [a.people.admin], range: [{ type: 1, userid: a.people.shStaff }] };
    for (let i = 0; i < 2; i += 1)
      await app().inject({ method: 'POST', url: `/cgi-bin/externalcontact/customer_strategy/create?access_token=${tokenA}`, payload: strategyBody });
    const aStrategy = 2; // B has none with this id
    const stratGroup = (
      await app().inject({
        method: 'POST',
        url: `/cgi-bin/externalcontact/add_strategy_tag?access_token=${tokenA}`,
        payload: { strategy_id: aStrategy, group_name: '甲方规则标签组', tag: [{ name: '甲方规则标签' }] },
      })
    ).json().tag_group;
    expect(stratGroup.group_id).toBeTruthy();

    const aAudience = (await asA.post('/audiences', { name: '甲方人群', expression: { tag: aTag } })).body.audienceId as string;
    const aWay = (
      await asA.post('/contact-ways', {
        type: 'single',
        scene: 'qrcode',
        userids: [a.people.shStaff],
        state: '甲方渠道',
        remark: '甲方活码',
        defaultTagIds: [aTag],
      })
    ).body.configId as string;
    expect(aWay).toBeTruthy();
    const aRule = (
      await asA.post('/rules', {
        name: '甲方规则',
        definition: { trigger: { kind: 'message.keyword', keywords: ['甲方关键词'] }, actions: [{ kind: 'add', tagIds: [aTag] }] },
      })
    ).body.ruleId as string;
    expect(aRule).toBeTruthy();
    // A's posts: a draft, and one scheduled to the customers carrying A's tag.
    const aDraft = (await asA.post('/moments', { text: '甲方草稿', draft: true })).body.momentId as string;
    const aMoment = (await asA.post('/moments', { text: '甲方朋友圈', audience: { include: { expression: { tag: aTag } } } })).body.momentId as string;
    expect(aDraft && aMoment).toBeTruthy();
    expect(
      (
        await asA.post('/customer-events', {
          events: [{ externalUserid: a.shCustomer, type: 'link.clicked', target: '甲方链接', occurredAt: new Date().toISOString() }],
        })
      ).status,
    ).toBe(200);
    const aMessage = {
      userid: a.people.shStaff,
      externalUserid: a.shCustomer,
      direction: 'in',
      text: '说到甲方关键词',
      sentAt: new Date().toISOString(),
      idempotencyKey: 'msg-of-a',
    };
    expect((await asA.post('/messages', { messages: [aMessage] })).body.matched).toBe(1);
    const smart = (await asA.post('/smart-groups', { name: '甲方智能组', tags: [{ name: '甲方智能标签', expression: { tag: aTag } }] })).body;
    const aSmartGroup = smart.groupId as string;
    const aSmartTag = smart.tags[0].tagId as string;
    // The smart tag's marks are written in the background; A's tables must be settled before they are fingerprinted.
    for (let i = 0; i < 100 && (await asA.post('/audiences/count', { expression: { tag: aSmartTag } })).body.count !== 1; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    const ids = { userid: a.people.shStaff, customer: a.shCustomer, tag: aTag, group: aGroup };
    const aSource = (
      await asA.post('/webhook-sources', {
        name: '甲方商城',
        mapping: { externalUserid: '$.customer', eventType: { value: 'order.paid' }, fields: { product: '$.product' } },
      })
    ).body.source.sourceId as string;
    const aSubscription = (await asA.post('/webhook-subscriptions', { name: '甲方订阅', url: 'http://93.184.215.14/hooks', eventTypes: ['tag.*'] })).body
      .subscription.subscriptionId as string;
    const aDelivery = (await asA.post(`/webhook-subscriptions/${aSubscription}/ping`)).body.deliveryId as string;
    // A dead WeCom push item of A's, naming A's secret tag: B may neither list nor replay it.
    const aPushItem = 'pqOnlyOfA';
    await db()
      .db.insert(wecomPushQueue)
      .values({
        corpId: a.corpId,
        itemId: aPushItem,
        eventSeq: 1,
        eventType: 'tag.created',
        op: 'add_corp_tag',
        orderKey: 'tags',
        status: 'dead',
        payload: { groupId: aGroup, groupName: '甲方机密组', tags: [{ tagId: aTag, name: '甲方机密标签' }] },
      });
    const aChat = 'wrOnlyOfA';
    expect((await asA.post('/group-chats', { chatId: aChat, owner: ids.userid, name: '甲方群', notice: '甲方公告' })).status).toBe(201);
    expect(
      (
        await asA.post(`/group-chats/${aChat}/members`, {
          externalUserid: ids.customer,
          joinTime: new Date().toISOString(),
          joinScene: 3,
          state: '甲方渠道',
          name: '甲方客户',
        })
      ).status,
    ).toBe(201);
    const aJoinWay = (
      await app().inject({
        method: 'POST',
        url: `/cgi-bin/externalcontact/groupchat/add_join_way?access_token=${tokenA}`,
        payload: { scene: 2, remark: '甲方活码', chat_id_list: [aChat], state: '甲方渠道' },
      })
    ).json().config_id as string;
    expect(aJoinWay).toBeTruthy();
    // A post of A's and a customer of A's suppressed from A's group (the post's text would show a leak).
    const aTargeted = await buildMoment(db().db, a.corpId, { targetGroupIds: [aGroup], text: '甲方朋友圈' });
    await buildSuppression(db().db, a.corpId, aGroup, ids.customer, [aTargeted]);
    const csvOfA = `external_userid,name,userid,tags\r\n${ids.customer},甲方导入,${ids.userid},${aTag}\r\n`;
    const native: Record<string, { url: string; body?: unknown; csv?: string }> = {
      'POST /api/v1/operations/batch': { url: '/operations/batch', body: { action: 'tag', tagIds: [aTag], selection: { externalUserids: [ids.customer] } } },
      'GET /api/v1/operations': { url: '/operations' },
      'GET /api/v1/operations/:operationId': { url: `/operations/${aOp}` },
      'GET /api/v1/operations/:operationId/progress': { url: `/operations/${aOp}/progress` },
      'POST /api/v1/operations/:operationId/cancel': { url: `/operations/${aOp}/cancel` },
      'POST /api/v1/operations/:operationId/undo': { url: `/operations/${aOp}/undo` },
      'POST /api/v1/operations/:operationId/redo': { url: `/operations/${aOp}/redo` },
      'POST /api/v1/imports': { url: '/imports?dryRun=false', csv: csvOfA },
      'GET /api/v1/customers/export': { url: '/customers/export' },
      'GET /api/v1/contact-ways': { url: '/contact-ways' },
      'GET /api/v1/contact-ways/:configId': { url: `/contact-ways/${aWay}` },
      'POST /api/v1/contact-ways': {
        url: '/contact-ways',
        body: { type: 'single', scene: 'qrcode', userids: [ids.userid], state: '甲方渠道', defaultTagIds: [aTag] },
      },
      'PATCH /api/v1/contact-ways/:configId': { url: `/contact-ways/${aWay}`, body: { remark: '改' } },
      'DELETE /api/v1/contact-ways/:configId': { url: `/contact-ways/${aWay}` },
      'GET /api/v1/contact-ways/:configId/arrivals': { url: `/contact-ways/${aWay}/arrivals` },
      'GET /api/v1/join-ways': { url: '/join-ways' },
      'GET /api/v1/join-ways/:configId': { url: `/join-ways/${aJoinWay}` },
      'GET /api/v1/join-ways/:configId/arrivals': { url: `/join-ways/${aJoinWay}/arrivals` },
      'POST /api/v1/join-ways': { url: '/join-ways', body: { scene: 'qrcode', chatIdList: [aChat], state: '甲方渠道' } },
      'PATCH /api/v1/join-ways/:configId': { url: `/join-ways/${aJoinWay}`, body: { remark: '改' } },
      'DELETE /api/v1/join-ways/:configId': { url: `/join-ways/${aJoinWay}` },
      'DELETE /api/v1/audiences/:audienceId': { url: `/audiences/${aAudience}` },
      'GET /api/v1/audiences': { url: '/audiences' },
      'GET /api/v1/audiences/:audienceId': { url: `/audiences/${aAudience}` },
      'PATCH /api/v1/audiences/:audienceId': { url: `/audiences/${aAudience}`, body: { name: '改' } },
      'POST /api/v1/audiences': { url: '/audiences', body: { name: 'b人群', expression: { tag: aTag } } },
      'POST /api/v1/audiences/count': {
        url: '/audiences/count',
        body: { expression: { any: [{ tag: aTag }, { follower: [ids.userid] }, { event: { type: 'link.clicked', target: '甲方链接' } }] } },
      },
      'POST /api/v1/audiences/customers': {
        url: '/audiences/customers',
        body: { expression: { any: [{ tag: aTag }, { follower: [ids.userid] }] }, q: ids.customer },
      },
      'GET /api/v1/stats/tags': { url: `/stats/tags?groupId=${aGroup}` },
      'GET /api/v1/stats/customers': { url: '/stats/customers?days=30' },
      'GET /api/v1/moments/analytics': { url: '/moments/analytics' },
      'GET /api/v1/moments/:momentId/analytics': { url: `/moments/${aMoment}/analytics` },
      'GET /api/v1/strategies': { url: '/strategies' },
      'POST /api/v1/strategies': { url: '/strategies', body: { parentId: aStrategy, name: 'x', adminList: [ids.userid], range: { userids: [ids.userid] } } },
      'PATCH /api/v1/strategies/:strategyId': { url: `/strategies/${aStrategy}`, body: { name: '改' } },
      'DELETE /api/v1/strategies/:strategyId': { url: `/strategies/${aStrategy}` },
      'GET /api/v1/strategies/:strategyId/tag-groups': { url: `/strategies/${aStrategy}/tag-groups` },
      'POST /api/v1/strategies/:strategyId/tag-groups': {
        url: `/strategies/${aStrategy}/tag-groups`,
        body: { name: '甲方规则标签组', tags: [{ name: '插入' }] },
      },
      'PATCH /api/v1/strategies/:strategyId/tags/:tagId': { url: `/strategies/${aStrategy}/tags/${stratGroup.tag[0].id}`, body: { name: '改' } },
      'DELETE /api/v1/strategies/:strategyId/tags/:tagId': { url: `/strategies/${aStrategy}/tags/${stratGroup.tag[0].id}` },
      'DELETE /api/v1/strategies/:strategyId/tag-groups/:groupId': { url: `/strategies/${aStrategy}/tag-groups/${stratGroup.group_id}` },
      'PATCH /api/v1/strategies/:strategyId/tag-groups/:groupId': { url: `/strategies/${aStrategy}/tag-groups/${stratGroup.group_id}`, body: { name: '改' } },
      'POST /api/v1/audiences/explain': { url: '/audiences/explain', body: { expression: { follower: [ids.userid] }, externalUserid: ids.customer } },
      'POST /api/v1/audiences/export': { url: '/audiences/export', body: { expression: { follower: [ids.userid] } } },
      'GET /api/v1/rules': { url: `/rules?tagId=${aTag}&q=${encodeURIComponent('甲方')}` },
      'POST /api/v1/rules': {
        url: '/rules',
        body: { name: 'b规则', definition: { trigger: { kind: 'customer.added' }, actions: [{ kind: 'add', tagIds: [aTag] }] } },
      },
      'POST /api/v1/rules/schedule-preview': { url: '/rules/schedule-preview', body: { cron: '0 3 * * *' } },
      'GET /api/v1/rules/:ruleId': { url: `/rules/${aRule}` },
      'PATCH /api/v1/rules/:ruleId': { url: `/rules/${aRule}`, body: { name: '改' } },
      'POST /api/v1/rules/:ruleId/enable': { url: `/rules/${aRule}/enable` },
      'POST /api/v1/rules/:ruleId/pause': { url: `/rules/${aRule}/pause` },
      'POST /api/v1/rules/:ruleId/copy': { url: `/rules/${aRule}/copy`, body: {} },
      'DELETE /api/v1/rules/:ruleId': { url: `/rules/${aRule}` },
      'GET /api/v1/rules/:ruleId/versions/:version': { url: `/rules/${aRule}/versions/1` },
      'GET /api/v1/rules/:ruleId/runs': { url: `/rules/${aRule}/runs` },
      'POST /api/v1/rules/dry-run': { url: '/rules/dry-run', body: { ruleId: aRule } },
      'GET /api/v1/moments': { url: `/moments?q=${encodeURIComponent('甲方')}` },
      'POST /api/v1/moments': {
        url: '/moments',
        body: { text: 'b', senders: { userids: [ids.userid] }, audience: { include: { expression: { tag: aTag } } } },
      },
      'POST /api/v1/moments/preview': { url: '/moments/preview', body: { text: 'b', audience: { include: { expression: { tag: aTag } } } } },
      'GET /api/v1/moments/:momentId': { url: `/moments/${aMoment}` },
      'PATCH /api/v1/moments/:momentId': { url: `/moments/${aDraft}`, body: { text: '改' } },
      'DELETE /api/v1/moments/:momentId': { url: `/moments/${aDraft}` },
      'POST /api/v1/moments/:momentId/schedule': { url: `/moments/${aDraft}/schedule` },
      'POST /api/v1/moments/:momentId/cancel': { url: `/moments/${aMoment}/cancel` },
      'GET /api/v1/moments/:momentId/deliveries': { url: `/moments/${aMoment}/deliveries` },
      'GET /api/v1/group-chats': { url: `/group-chats?owner=${ids.userid}` },
      'GET /api/v1/group-chats/:chatId': { url: `/group-chats/${aChat}` },
      'POST /api/v1/group-chats': { url: '/group-chats', body: { chatId: aChat, owner: ids.userid } },
      'PATCH /api/v1/group-chats/:chatId': { url: `/group-chats/${aChat}`, body: { name: '改' } },
      'POST /api/v1/group-chats/:chatId/members': {
        url: `/group-chats/${aChat}/members`,
        body: { externalUserid: ids.customer, joinTime: new Date().toISOString(), joinScene: 3 },
      },
      'DELETE /api/v1/group-chats/:chatId/members/:memberId': { url: `/group-chats/${aChat}/members/${ids.customer}` },
      'POST /api/v1/moments/:momentId/interactions': {
        url: `/moments/${aMoment}/interactions`,
        body: { interactions: [{ externalUserid: ids.customer, kind: 'not_interested', occurredAt: new Date().toISOString() }] },
      },
      'GET /api/v1/moments/suppressions': { url: `/moments/suppressions?groupId=${aGroup}&externalUserid=${ids.customer}` },
      'DELETE /api/v1/moments/suppressions/:groupId/:externalUserid': { url: `/moments/suppressions/${aGroup}/${ids.customer}` },
      'POST /api/v1/customer-events': {
        url: '/customer-events',
        body: { events: [{ externalUserid: ids.customer, type: 'link.clicked', occurredAt: new Date().toISOString() }] },
      },
      // A's people and A's idempotency key: B is refused, and A's receipt is not answered as B's duplicate.
      'POST /api/v1/messages': { url: '/messages', body: { messages: [aMessage] } },
      'GET /api/v1/smart-groups': { url: '/smart-groups' },
      'POST /api/v1/smart-groups': { url: '/smart-groups', body: { name: 'b智能', tags: [{ name: 'x', expression: { tag: aTag } }] } },
      'POST /api/v1/smart-groups/preview': { url: '/smart-groups/preview', body: { tags: [{ tagId: aSmartTag, expression: { follower: [ids.userid] } }] } },
      'POST /api/v1/smart-groups/:groupId/tags': {
        url: `/smart-groups/${aSmartGroup}/tags`,
        body: { tags: [{ name: '插入', expression: { follower: [ids.userid] } }] },
      },
      'PATCH /api/v1/smart-groups/:groupId': { url: `/smart-groups/${aSmartGroup}`, body: { name: '改' } },
      'PATCH /api/v1/smart-groups/:groupId/tags/:tagId': {
        url: `/smart-groups/${aSmartGroup}/tags/${aSmartTag}`,
        body: { expression: { follower: [ids.userid] } },
      },
      'DELETE /api/v1/smart-groups/:groupId': { url: `/smart-groups/${aSmartGroup}` },
      'DELETE /api/v1/smart-groups/:groupId/tags/:tagId': { url: `/smart-groups/${aSmartGroup}/tags/${aSmartTag}` },
      'DELETE /api/v1/departments/:deptId': { url: `/departments/${aDept}` },
      'DELETE /api/v1/personal-tags/:tagId': { url: `/personal-tags/${aPersonal}` },
      'DELETE /api/v1/roles/:roleId': { url: '/roles/a-only-role' },
      'DELETE /api/v1/tag-groups/:groupId': { url: `/tag-groups/${aGroup}` },
      'DELETE /api/v1/tags/:tagId': { url: `/tags/${aTag}` },
      'GET /api/v1/apps': { url: '/apps' },
      'GET /api/v1/audit': { url: `/audit?customer=${ids.customer}` },
      'GET /api/v1/audit/export': { url: `/audit/export?tag=${aTag}` },
      'GET /api/v1/auth/me': { url: '/auth/me' },
      'GET /api/v1/customers': { url: `/customers?userid=${ids.userid}` },
      'GET /api/v1/customers/:externalUserid': { url: `/customers/${ids.customer}` },
      'GET /api/v1/departments': { url: '/departments' },
      'GET /api/v1/employees': { url: '/employees' },
      'GET /api/v1/employees/:userid': { url: `/employees/${ids.userid}` },
      'GET /api/v1/permissions': { url: '/permissions' },
      'GET /api/v1/personal-tags': { url: '/personal-tags' },
      'GET /api/v1/roles': { url: '/roles' },
      'GET /api/v1/settings': { url: '/settings' },
      'GET /api/v1/tag-groups': { url: `/tag-groups?groupId=${aGroup}&tagId=${aTag}` },
      'GET /api/v1/tag-groups/:groupId': { url: `/tag-groups/${aGroup}` },
      'GET /api/v1/tag-groups/:groupId/dependents': { url: `/tag-groups/${aGroup}/dependents` },
      'GET /api/v1/tags/:tagId/dependents': { url: `/tags/${aTag}/dependents` },
      'PATCH /api/v1/apps/:appId': { url: `/apps/${aApp}`, body: { name: '改名' } },
      'PATCH /api/v1/customers/:externalUserid/follows/:userid': { url: `/customers/${ids.customer}/follows/${ids.userid}`, body: { remark: '改' } },
      'PATCH /api/v1/departments/:deptId': { url: `/departments/${aDept}`, body: { name: '改' } },
      'PATCH /api/v1/employees/:userid': { url: `/employees/${ids.userid}`, body: { name: '改' } },
      'PATCH /api/v1/personal-tags/:tagId': { url: `/personal-tags/${aPersonal}`, body: { name: '改' } },
      'PATCH /api/v1/roles/:roleId': { url: '/roles/a-only-role', body: { name: '改' } },
      'PATCH /api/v1/settings': { url: '/settings', body: { limits: { nameMaxLength: 20 } } },
      'PATCH /api/v1/tag-groups/:groupId': { url: `/tag-groups/${aGroup}`, body: { name: '改' } },
      'PATCH /api/v1/tags/:tagId': { url: `/tags/${aTag}`, body: { name: '改' } },
      'POST /api/v1/apps': { url: '/apps', body: { name: 'x', range: { departments: [aDept], userids: [ids.userid] } } },
      'POST /api/v1/apps/:appId/rotate': { url: `/apps/${aApp}/rotate` },
      'POST /api/v1/auth/logout': { url: '/auth/logout' },
      'POST /api/v1/auth/password': { url: '/auth/password', body: { currentPassword: 'x', newPassword: 'yyyyyyyyyyyy' } },
      'POST /api/v1/customers/:externalUserid/follows/:userid/tags': { url: `/customers/${ids.customer}/follows/${ids.userid}/tags`, body: { add: [aTag] } },
      'POST /api/v1/customers/transfer': {
        url: '/customers/transfer',
        body: { handoverUserid: ids.userid, takeoverUserid: a.people.bjStaff, externalUserids: [ids.customer] },
      },
      'POST /api/v1/departments': { url: '/departments', body: { name: 'x', parentId: aDept } },
      'POST /api/v1/employees': { url: '/employees', body: { userid: 'b-new', name: 'x', departmentIds: [aDept], role: 'staff' } },
      'POST /api/v1/employees/:userid/password': { url: `/employees/${ids.userid}/password`, body: { password: 'zzzzzzzzzzzz' } },
      'POST /api/v1/personal-tags': { url: '/personal-tags', body: { name: 'b的' } },
      'POST /api/v1/roles': { url: '/roles', body: { roleId: 'b-role', name: 'x', permissions: ['customer.view'], dataScope: 'own' } },
      'POST /api/v1/tag-groups': { url: '/tag-groups', body: { name: 'b组', tags: [{ name: 'x' }] } },
      'POST /api/v1/tag-groups/:groupId/restore': { url: `/tag-groups/${aGroup}/restore` },
      'POST /api/v1/tag-groups/:groupId/tags': { url: `/tag-groups/${aGroup}/tags`, body: { tags: [{ name: '插入' }] } },
      'POST /api/v1/tags/:tagId/restore': { url: `/tags/${deletedTag}/restore` },
      'POST /api/v1/tags/delete': { url: '/tags/delete', body: { tagIds: [aTag], groupIds: [aGroup] } },
      'GET /api/v1/connector/push/summary': { url: '/connector/push/summary' },
      'GET /api/v1/connector/push': { url: '/connector/push?status=dead' },
      'POST /api/v1/connector/push/replay': { url: '/connector/push/replay', body: { all: true } },
      'POST /api/v1/connector/push/:itemId/replay': { url: `/connector/push/${aPushItem}/replay` },
      'GET /api/v1/webhook-sources': { url: '/webhook-sources' },
      'POST /api/v1/webhook-sources': {
        url: '/webhook-sources',
        body: { name: 'b源', mapping: { externalUserid: '$.c', eventType: { value: 'order.paid' } } },
      },
      'GET /api/v1/webhook-sources/:sourceId': { url: `/webhook-sources/${aSource}` },
      'PATCH /api/v1/webhook-sources/:sourceId': { url: `/webhook-sources/${aSource}`, body: { name: '改', enabled: false } },
      'DELETE /api/v1/webhook-sources/:sourceId': { url: `/webhook-sources/${aSource}` },
      'POST /api/v1/webhook-sources/:sourceId/rotate': { url: `/webhook-sources/${aSource}/rotate` },
      'POST /api/v1/webhook-sources/:sourceId/test': { url: `/webhook-sources/${aSource}/test`, body: { payload: { customer: ids.customer, product: 'x' } } },
      'GET /api/v1/webhook-sources/:sourceId/deliveries': { url: `/webhook-sources/${aSource}/deliveries` },
      'GET /api/v1/webhook-subscriptions': { url: '/webhook-subscriptions' },
      'POST /api/v1/webhook-subscriptions': { url: '/webhook-subscriptions', body: { name: 'b', url: 'http://93.184.215.14/b', eventTypes: ['*'] } },
      'GET /api/v1/webhook-subscriptions/:subscriptionId': { url: `/webhook-subscriptions/${aSubscription}` },
      'PATCH /api/v1/webhook-subscriptions/:subscriptionId': { url: `/webhook-subscriptions/${aSubscription}`, body: { name: '改', enabled: false } },
      'DELETE /api/v1/webhook-subscriptions/:subscriptionId': { url: `/webhook-subscriptions/${aSubscription}` },
      'POST /api/v1/webhook-subscriptions/:subscriptionId/rotate': { url: `/webhook-subscriptions/${aSubscription}/rotate` },
      'POST /api/v1/webhook-subscriptions/:subscriptionId/ping': { url: `/webhook-subscriptions/${aSubscription}/ping` },
      'GET /api/v1/webhook-subscriptions/:subscriptionId/deliveries': { url: `/webhook-subscriptions/${aSubscription}/deliveries` },
      'POST /api/v1/webhook-subscriptions/:subscriptionId/replay-dead': { url: `/webhook-subscriptions/${aSubscription}/replay-dead` },
      'GET /api/v1/webhook-deliveries/:deliveryId': { url: `/webhook-deliveries/${aDelivery}` },
      'POST /api/v1/webhook-deliveries/:deliveryId/replay': { url: `/webhook-deliveries/${aDelivery}/replay` },
      'GET /api/v1/connector/callbacks': { url: '/connector/callbacks' },
      // The connection is the corp's own singleton: B saving, testing, pulling or removing its own never reaches A's.
      'GET /api/v1/connector': { url: '/connector' },
      'PUT /api/v1/connector': { url: '/connector', body: { wecomCorpid: 'wwOnlyB', secret: 'b-contact-secret', apiBase: 'http://127.0.0.1:9' } },
      'POST /api/v1/connector/test': { url: '/connector/test' },
      'POST /api/v1/connector/pulls': { url: '/connector/pulls', body: { mode: 'full' } },
      'GET /api/v1/connector/jssdk-config': { url: `/connector/jssdk-config?url=${encodeURIComponent('http://localhost:80/sidebar')}` },
      'DELETE /api/v1/connector': { url: '/connector' },
    };
    const wecomCalls: Record<string, { query?: string; body?: unknown }> = {
      'externalcontact/add_contact_way': { body: { type: 1, scene: 2, user: [ids.userid], state: '甲方渠道' } },
      'externalcontact/get_contact_way': { body: { config_id: aWay } },
      'externalcontact/list_contact_way': { body: {} },
      'externalcontact/update_contact_way': { body: { config_id: aWay, remark: '改' } },
      'externalcontact/del_contact_way': { body: { config_id: aWay } },
      'externalcontact/add_corp_tag': { body: { group_id: aGroup, tag: [{ name: '插入' }] } },
      'externalcontact/add_strategy_tag': { body: { strategy_id: aStrategy, group_id: stratGroup.group_id, tag: [{ name: '插入' }] } },
      'externalcontact/batch/get_by_user': { body: { userid_list: [ids.userid] } },
      'externalcontact/customer_strategy/create': {
        body: { parent_id: aStrategy, strategy_name: 'x', admin_list: [ids.userid], range: [{ type: 1, userid: ids.userid }] },
      },
      'externalcontact/customer_strategy/del': { body: { strategy_id: aStrategy } },
      'externalcontact/customer_strategy/edit': { body: { strategy_id: aStrategy, strategy_name: '改' } },
      'externalcontact/customer_strategy/get': { body: { strategy_id: aStrategy } },
      'externalcontact/customer_strategy/get_range': { body: { strategy_id: aStrategy } },
      'externalcontact/customer_strategy/list': { body: {} },
      'externalcontact/del_corp_tag': { body: { tag_id: [aTag], group_id: [aGroup] } },
      'externalcontact/del_strategy_tag': { body: { group_id: [stratGroup.group_id] } },
      'externalcontact/edit_corp_tag': { body: { id: aTag, name: '改' } },
      'externalcontact/edit_strategy_tag': { body: { id: stratGroup.group_id, name: '改' } },
      'externalcontact/groupchat/list': { body: { owner_filter: { userid_list: [ids.userid] }, limit: 100 } },
      'externalcontact/groupchat/get': { body: { chat_id: aChat, need_name: 1 } },
      'externalcontact/groupchat/add_join_way': { body: { scene: 2, chat_id_list: [aChat], state: 'x' } },
      'externalcontact/groupchat/get_join_way': { body: { config_id: aJoinWay } },
      'externalcontact/groupchat/update_join_way': { body: { config_id: aJoinWay, state: '改' } },
      'externalcontact/groupchat/del_join_way': { body: { config_id: aJoinWay } },
      'externalcontact/get': { query: `external_userid=${ids.customer}` },
      'externalcontact/get_corp_tag_list': { body: { tag_id: [aTag] } },
      'externalcontact/get_follow_user_list': {},
      'externalcontact/get_strategy_tag_list': { body: { strategy_id: aStrategy } },
      'externalcontact/list': { query: `userid=${ids.userid}` },
      'externalcontact/mark_tag': { body: { userid: ids.userid, external_userid: ids.customer, add_tag: [aTag] } },
      'externalcontact/remark': { body: { userid: ids.userid, external_userid: ids.customer, remark: '改' } },
      // Moments (corp A has no post here: src/wecom/routes/moment-*.db.test.ts keep corps apart on real ones).
      'externalcontact/add_moment_task': {
        body: { text: { content: '甲方' }, visible_range: { sender_list: { user_list: [ids.userid] }, external_contact_list: { tag_list: [aTag] } } },
      },
      'externalcontact/cancel_moment_task': { body: { moment_id: 'moA' } },
      'externalcontact/get_moment_task_result': { query: 'jobid=jobA' },
      'externalcontact/get_moment_list': { body: { start_time: 0, end_time: 86_400 } },
      'externalcontact/get_moment_task': { body: { moment_id: 'moA' } },
      'externalcontact/get_moment_customer_list': { body: { moment_id: 'moA', userid: ids.userid } },
      'externalcontact/get_moment_send_result': { body: { moment_id: 'moA', userid: ids.userid } },
      'externalcontact/get_moment_comments': { body: { moment_id: 'moA', userid: ids.userid } },
    };

    // Every route the app serves is attacked (a new route without an entry here fails the test).
    const routes = [
      ...new Set(
        app()
          .routeTable.filter((r) => !r.url.startsWith('/docs'))
          .map((r) => `${r.method} ${r.url}`),
      ),
    ];
    const unlisted = routes.filter(
      (r) => !publicRoutes.includes(r) && !(r.replace(/^\w+ /, '').startsWith('/api/v1/') ? native[r] : wecomCalls[r.replace(/^\w+ \/cgi-bin\//, '')]),
    );
    expect(unlisted).toEqual([]);

    const before = await fingerprint(db().db, a.corpId);
    const asB = apiClient(app, b.secret, b.people.admin);
    const replies: string[] = [];
    for (const route of routes.filter((r) => !publicRoutes.includes(r))) {
      const [method, url] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', string];
      if (url.startsWith('/api/v1/')) {
        const call = native[route]!;
        for (const client of [asB, apiClient(app, b.secret)]) {
          if (call.csv !== undefined) {
            const raw = await app().inject({
              method,
              url: `/api/v1${call.url}`,
              headers: { authorization: `Bearer ${b.secret}`, 'content-type': 'text/csv' },
              payload: call.csv,
            });
            replies.push(`${route} → ${raw.statusCode} ${raw.body}`);
            continue;
          }
          const res =
            method === 'GET'
              ? await client.get(call.url)
              : method === 'DELETE'
                ? await client.delete(call.url)
                : method === 'PATCH'
                  ? await client.patch(call.url, call.body)
                  : method === 'PUT'
                    ? await client.put(call.url, call.body)
                    : await client.post(call.url, call.body);
          replies.push(`${route} → ${res.status} ${JSON.stringify(res.body)}`);
        }
      } else {
        const call = wecomCalls[url.replace('/cgi-bin/', '')]!;
        const res = await app().inject({
          method,
          url: `${url}?access_token=${tokenB}${call.query ? `&${call.query}` : ''}`,
          ...(call.body ? { payload: call.body as object } : {}),
        });
        replies.push(`${route} → ${res.statusCode} ${res.body}`);
      }
    }
    expect(await fingerprint(db().db, a.corpId)).toEqual(before);
    const leaks = replies.filter((r) => /甲方/.test(r) || r.includes(a.corpId));
    expect(leaks).toEqual([]);
    expect(replies.length).toBeGreaterThan(80);
  });
});
