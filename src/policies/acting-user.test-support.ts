import { and, eq } from 'drizzle-orm';
import { withTx } from '../context.js';
import type { Db } from '../db/client.js';
import { apps, audiences, customers, departments, employees, moments, operations, personalTags, tagGroups, tags, wecomPushQueue } from '../db/schema/index.js';
import type { AudienceEngine } from '../modules/audiences/service/engine.js';
import { createJoinWay } from '../modules/group-chats/commands/create-join-way.js';
import { recordChatJoin } from '../modules/group-chats/commands/record-chat-join.js';
import { saveGroupChat } from '../modules/group-chats/commands/save-group-chat.js';
import { insertPost } from '../modules/moments/analytics/moment-rows.test-support.js';
import { createMoment } from '../modules/moments/commands/create-moment.js';
import { buildMoment, buildSuppression } from '../modules/moments/suppression/test-support.js';
import type { ApiResponse, apiClient } from '../test/api.js';
import { unique } from '../test/factories.js';
import type { buildRegionalCorp } from '../test/org-fixture.js';

/** A client of `/api/v1` (Bearer or session): the methods the walk sends with. */
export type Client = Pick<ReturnType<typeof apiClient>, 'get' | 'post' | 'patch' | 'put' | 'delete'>;

/** Who sends a request of the walk: the app alone, the employee alone, or the app acting as the employee. */
export type Who = 'app' | 'employee' | 'pair';

/** One request: `url` under `/api/v1`, a JSON body, or a CSV body (sent as text/csv). */
export type Send = { url: string; body?: unknown; csv?: string };

/** A follow relation to act on, and an employee of the same place to hand its customer over to. */
export type Target = { customer: string; userid: string; takeover: string };

/**
 * The scene a walk runs in: the regional corp, the employee acted as, the ids of shared things, and
 * makers of fresh things (one per request, so the three requests of a write never meet).
 */
export type Walk = {
  f: Awaited<ReturnType<typeof buildRegionalCorp>>;
  /** The employee the app acts as, their console password, and a customer in their own data scope. */
  employee: string;
  password: string;
  mine: string;
  /** In the app's range and the employee's scope; in the range, outside a staff member's own scope; outside the range. */
  targets: Record<'in' | 'mid' | 'out', Target>;
  ids: { audience: string; smartGroup: string; smartTag: string; ownOp: string; otherOp: string; strategy: number; rule: string };
  fresh: {
    app(): Promise<string>;
    audience(): Promise<string>;
    customer(follower: string): Promise<string>;
    department(): Promise<number>;
    role(): Promise<string>;
    tag(): Promise<string>;
    group(): Promise<string>;
    deletedTag(): Promise<string>;
    deletedGroup(): Promise<string>;
    smartGroup(): Promise<string>;
    smartTag(): Promise<string>;
    personalTag(): Promise<string>;
    /** A tagging rule that adds 客户等级/A级 when a customer is added. */
    rule(): Promise<string>;
    /** A rule group (top-level, range 华东), a tag group of the shared rule group `ids.strategy`, and a tag in a new one of its groups. */
    strategy(): Promise<number>;
    strategyTagGroup(): Promise<string>;
    strategyTag(): Promise<string>;
    /** A contact way (活码) for a 华东 staff member, with no default tags. */
    contactWay(): Promise<string>;
    /** An operation started by the employee in the console (`own`) or by the customer-contact app (`other`). */
    operation(by: 'own' | 'other', state: 'queued' | 'succeeded' | 'undone'): Promise<string>;
    webhookSource(): Promise<string>;
    /** The walk's one outbound webhook subscription (a corp keeps 20 at most), or a new one to delete. */
    webhookSubscription(kind: 'shared' | 'new'): Promise<string>;
    /** A delivery of the shared subscription, already dead (so it can be replayed). */
    deadWebhookDelivery(): Promise<string>;
    /** Makes sure the corp is connected to a WeCom (one that refuses connections: a test of it answers ok: false). */
    connection(): Promise<void>;
  };
};

/** A route's request, built afresh before each of its three sends, once per variant. */
export type Spec = {
  /** Variants the route is walked with (default: one). */
  variants?: readonly string[];
  /** Acts for a person (personal tags, the session): the app alone cannot, so it is compared with the employee alone only. */
  person?: boolean;
  /** The employee's request ends its session (logout, password change): it gets a session of its own. */
  endsSession?: boolean;
  build(w: Walk, variant: string, who: Who): Send | Promise<Send>;
};

const targeted = ['in', 'mid', 'out'] as const;
const byWhom = ['own', 'other'] as const;
const target = (w: Walk, v: string) => w.targets[v as keyof Walk['targets']];
const gradeA = (w: Walk) => w.f.grade.tags[0]!.tagId;
const gradeB = (w: Walk) => w.f.grade.tags[1]!.tagId;

/** A fresh group chat owned by the target's employee, with the target's customer in it when asked. */
async function freshChat(w: Walk, t: Target, withCustomer = false): Promise<string> {
  const chatId = unique('wr');
  await withTx(w.f.ctx, async (tx) => {
    await saveGroupChat(tx, { mode: 'create', chatId, owner: t.userid });
    if (withCustomer) await recordChatJoin(tx, { chatId, member: { externalUserid: t.customer }, joinTime: new Date(), joinScene: 3 });
  });
  return chatId;
}

/** A fresh join way (群活码) into a fresh chat of the target's employee, which the target's customer joined through it. */
async function freshJoinWay(w: Walk, t: Target): Promise<string> {
  const chatId = unique('wr');
  const state = unique('jw');
  return withTx(w.f.ctx, async (tx) => {
    await saveGroupChat(tx, { mode: 'create', chatId, owner: t.userid });
    await recordChatJoin(tx, { chatId, member: { externalUserid: t.customer }, joinTime: new Date(), joinScene: 3, state });
    const way = await createJoinWay(tx, { scene: 2, remark: '', autoCreateRoom: 1, roomBaseName: '', roomBaseId: 0, chatIdList: [chatId], state });
    return way.configId;
  });
}

/**
 * A fresh Moments post by the customer-contact app: a draft (which needs no audience engine), or
 * one marked scheduled (with no deliveries) for the routes that act on a scheduled post.
 */
async function freshMoment(w: Walk, status: 'draft' | 'scheduled'): Promise<string> {
  const noEngine = undefined as unknown as AudienceEngine;
  const row = await createMoment(w.f.ctx, noEngine, {
    text: unique('朋友圈'),
    attachments: [],
    variants: [],
    senders: { userids: [w.targets.in.userid], departmentIds: [] },
    audience: {},
    schedule: { mode: 'now' },
    draft: true,
  });
  if (status === 'scheduled')
    await w.f.ctx.db
      .update(moments)
      .set({ status: 'scheduled' })
      .where(and(eq(moments.corpId, w.f.corpId), eq(moments.momentId, row.momentId)));
  return row.momentId;
}

/** A dead WeCom push item of the walk's corp (a replay route needs one). */
async function deadPushItem(w: Walk): Promise<string> {
  const itemId = unique('pq');
  await w.f.ctx.db.insert(wecomPushQueue).values({
    corpId: w.f.corpId,
    itemId,
    eventSeq: 1,
    eventType: 'tag.created',
    op: 'mark_tag',
    orderKey: w.targets.in.customer,
    status: 'dead',
    payload: { userid: w.targets.in.userid, external_userid: w.targets.in.customer, add_tag: [], remove_tag: [] },
  });
  return itemId;
}

/**
 * Every native route with a request that reaches its authorization check: the walk fails on a
 * route missing here, so a new route is walked as soon as it exists.
 */
export const specs: Record<string, Spec> = {
  'GET /api/v1/apps': { build: () => ({ url: '/apps' }) },
  'POST /api/v1/apps': { build: () => ({ url: '/apps', body: { name: unique('应用'), range: { departments: [3], userids: [] } } }) },
  'PATCH /api/v1/apps/:appId': { build: async (w) => ({ url: `/apps/${await w.fresh.app()}`, body: { range: { departments: [1], userids: [] } } }) },
  'POST /api/v1/apps/:appId/rotate': { build: async (w) => ({ url: `/apps/${await w.fresh.app()}/rotate` }) },
  'GET /api/v1/audiences': { build: () => ({ url: '/audiences' }) },
  'GET /api/v1/audiences/:audienceId': { build: (w) => ({ url: `/audiences/${w.ids.audience}` }) },
  'POST /api/v1/audiences': { build: (w) => ({ url: '/audiences', body: { name: unique('人群'), expression: { tag: gradeA(w) } } }) },
  'PATCH /api/v1/audiences/:audienceId': { build: async (w) => ({ url: `/audiences/${await w.fresh.audience()}`, body: { name: unique('改') } }) },
  'DELETE /api/v1/audiences/:audienceId': { build: async (w) => ({ url: `/audiences/${await w.fresh.audience()}` }) },
  'POST /api/v1/audiences/count': {
    variants: targeted,
    build: (w, v) => ({ url: '/audiences/count', body: { expression: { any: [{ tag: gradeA(w) }, { follower: [target(w, v).userid] }] }, sampleSize: 20 } }),
  },
  'POST /api/v1/audiences/customers': {
    variants: targeted,
    build: (w, v) => ({ url: '/audiences/customers', body: { expression: { any: [{ tag: gradeA(w) }, { follower: [target(w, v).userid] }] }, limit: 50 } }),
  },
  'GET /api/v1/stats/tags': { build: (w) => ({ url: `/stats/tags?groupId=${w.f.grade.group.groupId}` }) },
  'GET /api/v1/stats/customers': { build: () => ({ url: '/stats/customers?days=30' }) },
  'GET /api/v1/moments/analytics': { build: () => ({ url: '/moments/analytics' }) },
  'GET /api/v1/moments/:momentId/analytics': { build: async (w) => ({ url: `/moments/${await insertPost(w.f.ctx.db, w.f.corpId)}/analytics` }) },
  'POST /api/v1/audiences/explain': {
    variants: targeted,
    build: (w, v) => ({ url: '/audiences/explain', body: { expression: { tag: gradeA(w) }, externalUserid: target(w, v).customer } }),
  },
  'POST /api/v1/audiences/export': { build: (w) => ({ url: '/audiences/export', body: { expression: { any: [{ tag: gradeA(w) }, { tag: gradeB(w) }] } } }) },
  'GET /api/v1/audit': { build: () => ({ url: '/audit?limit=100' }) },
  'GET /api/v1/audit/export': { build: () => ({ url: '/audit/export?type=follow.tags_changed' }) },
  'GET /api/v1/auth/me': { person: true, build: () => ({ url: '/auth/me' }) },
  'POST /api/v1/auth/logout': { person: true, endsSession: true, build: () => ({ url: '/auth/logout' }) },
  'POST /api/v1/auth/password': {
    person: true,
    endsSession: true,
    build: (w) => ({ url: '/auth/password', body: { currentPassword: w.password, newPassword: w.password } }),
  },
  'POST /api/v1/customer-events': {
    variants: targeted,
    build: (w, v) => ({
      url: '/customer-events',
      body: { events: [{ externalUserid: target(w, v).customer, type: 'link.clicked', occurredAt: new Date().toISOString() }] },
    }),
  },
  'POST /api/v1/moments/:momentId/interactions': {
    variants: targeted,
    build: async (w, v) => ({
      url: `/moments/${await buildMoment(w.f.ctx.db, w.f.corpId, { targetGroupIds: [w.f.grade.group.groupId] })}/interactions`,
      body: { interactions: [{ externalUserid: target(w, v).customer, kind: 'liked', occurredAt: new Date().toISOString() }] },
    }),
  },
  'GET /api/v1/moments/suppressions': {
    variants: targeted,
    build: async (w, v) => {
      await buildSuppression(w.f.ctx.db, w.f.corpId, w.f.grade.group.groupId, target(w, v).customer);
      await buildSuppression(w.f.ctx.db, w.f.corpId, w.f.contract.group.groupId, target(w, v).customer);
      return { url: '/moments/suppressions' };
    },
  },
  'DELETE /api/v1/moments/suppressions/:groupId/:externalUserid': {
    variants: targeted,
    build: async (w, v) => {
      const customer = await w.fresh.customer(target(w, v).userid);
      await buildSuppression(w.f.ctx.db, w.f.corpId, w.f.grade.group.groupId, customer);
      return { url: `/moments/suppressions/${w.f.grade.group.groupId}/${customer}` };
    },
  },
  'POST /api/v1/messages': {
    variants: targeted,
    build: (w, v) => ({
      url: '/messages',
      body: {
        messages: [
          {
            userid: target(w, v).userid,
            externalUserid: target(w, v).customer,
            direction: 'in',
            text: '想预约看房',
            sentAt: new Date().toISOString(),
            idempotencyKey: unique('msg'),
          },
        ],
      },
    }),
  },
  'GET /api/v1/contact-ways': { build: () => ({ url: '/contact-ways' }) },
  'GET /api/v1/contact-ways/:configId': { build: async (w) => ({ url: `/contact-ways/${await w.fresh.contactWay()}` }) },
  'POST /api/v1/contact-ways': {
    build: (w) => ({ url: '/contact-ways', body: { type: 'single', scene: 'qrcode', userids: [w.f.people.shStaff], defaultTagIds: [gradeA(w)] } }),
  },
  'PATCH /api/v1/contact-ways/:configId': { build: async (w) => ({ url: `/contact-ways/${await w.fresh.contactWay()}`, body: { remark: unique('活码') } }) },
  'DELETE /api/v1/contact-ways/:configId': { build: async (w) => ({ url: `/contact-ways/${await w.fresh.contactWay()}` }) },
  'GET /api/v1/contact-ways/:configId/arrivals': { build: async (w) => ({ url: `/contact-ways/${await w.fresh.contactWay()}/arrivals` }) },
  'GET /api/v1/join-ways': { build: () => ({ url: '/join-ways' }) },
  'GET /api/v1/join-ways/:configId': { variants: targeted, build: async (w, v) => ({ url: `/join-ways/${await freshJoinWay(w, target(w, v))}` }) },
  'GET /api/v1/join-ways/:configId/arrivals': {
    variants: targeted,
    build: async (w, v) => ({ url: `/join-ways/${await freshJoinWay(w, target(w, v))}/arrivals` }),
  },
  'POST /api/v1/join-ways': {
    variants: targeted,
    build: async (w, v) => ({ url: '/join-ways', body: { scene: 'qrcode', chatIdList: [await freshChat(w, target(w, v))], state: unique('jw') } }),
  },
  'PATCH /api/v1/join-ways/:configId': {
    variants: targeted,
    build: async (w, v) => ({ url: `/join-ways/${await freshJoinWay(w, target(w, v))}`, body: { remark: unique('群码') } }),
  },
  'DELETE /api/v1/join-ways/:configId': { variants: targeted, build: async (w, v) => ({ url: `/join-ways/${await freshJoinWay(w, target(w, v))}` }) },
  'GET /api/v1/group-chats': { build: () => ({ url: '/group-chats?limit=1000' }) },
  'GET /api/v1/group-chats/:chatId': { variants: targeted, build: async (w, v) => ({ url: `/group-chats/${await freshChat(w, target(w, v), true)}` }) },
  'POST /api/v1/group-chats': {
    variants: targeted,
    build: (w, v) => ({ url: '/group-chats', body: { chatId: unique('wr'), owner: target(w, v).userid, name: unique('群') } }),
  },
  'PATCH /api/v1/group-chats/:chatId': {
    variants: targeted,
    build: async (w, v) => ({ url: `/group-chats/${await freshChat(w, target(w, v))}`, body: { name: unique('群') } }),
  },
  'POST /api/v1/group-chats/:chatId/members': {
    variants: targeted,
    build: async (w, v) => ({
      url: `/group-chats/${await freshChat(w, target(w, v))}/members`,
      body: { externalUserid: target(w, v).customer, joinTime: new Date().toISOString(), joinScene: 3, state: 'walk' },
    }),
  },
  'DELETE /api/v1/group-chats/:chatId/members/:memberId': {
    variants: targeted,
    build: async (w, v) => ({ url: `/group-chats/${await freshChat(w, target(w, v), true)}/members/${target(w, v).customer}` }),
  },
  'GET /api/v1/customers': { build: () => ({ url: '/customers?limit=100' }) },
  'GET /api/v1/customers/export': { build: () => ({ url: '/customers/export' }) },
  'GET /api/v1/customers/:externalUserid': { variants: targeted, build: (w, v) => ({ url: `/customers/${target(w, v).customer}` }) },
  'PATCH /api/v1/customers/:externalUserid/follows/:userid': {
    variants: targeted,
    build: (w, v) => ({ url: `/customers/${target(w, v).customer}/follows/${target(w, v).userid}`, body: { remark: unique('备注') } }),
  },
  'POST /api/v1/customers/:externalUserid/follows/:userid/tags': {
    variants: targeted,
    build: (w, v) => ({ url: `/customers/${target(w, v).customer}/follows/${target(w, v).userid}/tags`, body: { add: [gradeB(w)] } }),
  },
  'POST /api/v1/customers/transfer': {
    variants: targeted,
    build: async (w, v) => ({
      url: '/customers/transfer',
      body: { handoverUserid: target(w, v).userid, takeoverUserid: target(w, v).takeover, externalUserids: [await w.fresh.customer(target(w, v).userid)] },
    }),
  },
  'GET /api/v1/departments': { build: () => ({ url: '/departments' }) },
  'POST /api/v1/departments': { build: () => ({ url: '/departments', body: { name: unique('部门'), parentId: 1 } }) },
  'PATCH /api/v1/departments/:deptId': { build: async (w) => ({ url: `/departments/${await w.fresh.department()}`, body: { name: unique('改') } }) },
  'DELETE /api/v1/departments/:deptId': { build: async (w) => ({ url: `/departments/${await w.fresh.department()}` }) },
  'GET /api/v1/employees': { build: () => ({ url: '/employees?limit=100' }) },
  'GET /api/v1/employees/:userid': { variants: targeted, build: (w, v) => ({ url: `/employees/${target(w, v).userid}` }) },
  'POST /api/v1/employees': { build: () => ({ url: '/employees', body: { userid: unique('e'), name: unique('员工'), departmentIds: [3], role: 'staff' } }) },
  'PATCH /api/v1/employees/:userid': { variants: targeted, build: (w, v) => ({ url: `/employees/${target(w, v).userid}`, body: { name: unique('名') } }) },
  'POST /api/v1/employees/:userid/password': {
    variants: targeted,
    build: (w, v) => ({ url: `/employees/${target(w, v).userid}/password`, body: { password: 'walk-password-2026' } }),
  },
  'POST /api/v1/imports': {
    variants: targeted,
    build: (w, v) => ({
      url: '/imports?dryRun=false',
      csv: `external_userid,name,userid,tags\r\n${target(w, v).customer},导入,${target(w, v).userid},客户等级/B级\r\n`,
    }),
  },
  'POST /api/v1/operations/batch': {
    variants: targeted,
    build: (w, v) => ({ url: '/operations/batch', body: { action: 'tag', tagIds: [gradeB(w)], selection: { externalUserids: [target(w, v).customer] } } }),
  },
  'GET /api/v1/operations': { build: () => ({ url: '/operations?limit=100' }) },
  'GET /api/v1/operations/:operationId': { variants: byWhom, build: (w, v) => ({ url: `/operations/${v === 'own' ? w.ids.ownOp : w.ids.otherOp}` }) },
  'GET /api/v1/operations/:operationId/progress': {
    variants: byWhom,
    build: (w, v) => ({ url: `/operations/${v === 'own' ? w.ids.ownOp : w.ids.otherOp}/progress` }),
  },
  'POST /api/v1/operations/:operationId/cancel': {
    variants: byWhom,
    build: async (w, v) => ({ url: `/operations/${await w.fresh.operation(v as 'own', 'queued')}/cancel` }),
  },
  'POST /api/v1/operations/:operationId/undo': {
    variants: byWhom,
    build: async (w, v) => ({ url: `/operations/${await w.fresh.operation(v as 'own', 'succeeded')}/undo` }),
  },
  'POST /api/v1/operations/:operationId/redo': {
    variants: byWhom,
    build: async (w, v) => ({ url: `/operations/${await w.fresh.operation(v as 'own', 'undone')}/redo` }),
  },
  'GET /api/v1/permissions': { build: () => ({ url: '/permissions' }) },
  'GET /api/v1/personal-tags': { person: true, build: () => ({ url: '/personal-tags' }) },
  'POST /api/v1/personal-tags': { person: true, build: () => ({ url: '/personal-tags', body: { name: unique('私') } }) },
  'PATCH /api/v1/personal-tags/:tagId': {
    person: true,
    build: async (w) => ({ url: `/personal-tags/${await w.fresh.personalTag()}`, body: { name: unique('改') } }),
  },
  'DELETE /api/v1/personal-tags/:tagId': { person: true, build: async (w) => ({ url: `/personal-tags/${await w.fresh.personalTag()}` }) },
  'GET /api/v1/roles': { build: () => ({ url: '/roles' }) },
  'POST /api/v1/roles': {
    build: () => ({ url: '/roles', body: { roleId: unique('r').toLowerCase(), name: unique('角色'), permissions: ['customer.view'], dataScope: 'own' } }),
  },
  'PATCH /api/v1/roles/:roleId': { build: async (w) => ({ url: `/roles/${await w.fresh.role()}`, body: { name: unique('改') } }) },
  'DELETE /api/v1/roles/:roleId': { build: async (w) => ({ url: `/roles/${await w.fresh.role()}` }) },
  'GET /api/v1/settings': { build: () => ({ url: '/settings' }) },
  'PATCH /api/v1/settings': { build: () => ({ url: '/settings', body: { limits: { nameMaxLength: 20 } } }) },
  'GET /api/v1/connector/push/summary': { build: () => ({ url: '/connector/push/summary' }) },
  'GET /api/v1/connector/push': { build: () => ({ url: '/connector/push?status=dead' }) },
  'POST /api/v1/connector/push/replay': { build: async (w) => (await deadPushItem(w), { url: '/connector/push/replay', body: { all: true } }) },
  'POST /api/v1/connector/push/:itemId/replay': { build: async (w) => ({ url: `/connector/push/${await deadPushItem(w)}/replay` }) },
  'GET /api/v1/webhook-sources': { build: () => ({ url: '/webhook-sources' }) },
  'POST /api/v1/webhook-sources': {
    build: () => ({ url: '/webhook-sources', body: { name: unique('源'), mapping: { externalUserid: '$.customer', eventType: { value: 'order.paid' } } } }),
  },
  'GET /api/v1/webhook-sources/:sourceId': { build: async (w) => ({ url: `/webhook-sources/${await w.fresh.webhookSource()}` }) },
  'PATCH /api/v1/webhook-sources/:sourceId': {
    build: async (w) => ({ url: `/webhook-sources/${await w.fresh.webhookSource()}`, body: { name: unique('源'), enabled: false } }),
  },
  'DELETE /api/v1/webhook-sources/:sourceId': { build: async (w) => ({ url: `/webhook-sources/${await w.fresh.webhookSource()}` }) },
  'POST /api/v1/webhook-sources/:sourceId/rotate': { build: async (w) => ({ url: `/webhook-sources/${await w.fresh.webhookSource()}/rotate` }) },
  'POST /api/v1/webhook-sources/:sourceId/test': {
    build: async (w) => ({ url: `/webhook-sources/${await w.fresh.webhookSource()}/test`, body: { payload: { customer: w.mine } } }),
  },
  'GET /api/v1/connector': { build: () => ({ url: '/connector' }) },
  'PUT /api/v1/connector': {
    build: () => ({ url: '/connector', body: { wecomCorpid: 'wwActing', secret: 'acting-contact-secret', apiBase: 'http://127.0.0.1:9' } }),
  },
  'POST /api/v1/connector/test': { build: async (w) => (await w.fresh.connection(), { url: '/connector/test' }) },
  'POST /api/v1/connector/pulls': { build: async (w) => (await w.fresh.connection(), { url: '/connector/pulls', body: { mode: 'incremental' } }) },
  'DELETE /api/v1/connector': { build: () => ({ url: '/connector' }) },
  'GET /api/v1/connector/jssdk-config': {
    build: async (w) => (await w.fresh.connection(), { url: `/connector/jssdk-config?url=${encodeURIComponent('http://localhost:80/sidebar')}` }),
  },
  'GET /api/v1/connector/callbacks': { build: async () => ({ url: '/connector/callbacks?outcome=refused' }) },
  'GET /api/v1/webhook-sources/:sourceId/deliveries': {
    build: async (w) => ({ url: `/webhook-sources/${await w.fresh.webhookSource()}/deliveries?outcome=refused` }),
  },
  'GET /api/v1/webhook-subscriptions': { build: () => ({ url: '/webhook-subscriptions' }) },
  'POST /api/v1/webhook-subscriptions': {
    build: () => ({ url: '/webhook-subscriptions', body: { name: unique('订阅'), url: 'http://93.184.215.14/hooks', eventTypes: ['tag.*'] } }),
  },
  'GET /api/v1/webhook-subscriptions/:subscriptionId': {
    build: async (w) => ({ url: `/webhook-subscriptions/${await w.fresh.webhookSubscription('shared')}` }),
  },
  'PATCH /api/v1/webhook-subscriptions/:subscriptionId': {
    build: async (w) => ({ url: `/webhook-subscriptions/${await w.fresh.webhookSubscription('shared')}`, body: { name: unique('订阅') } }),
  },
  'DELETE /api/v1/webhook-subscriptions/:subscriptionId': {
    build: async (w) => ({ url: `/webhook-subscriptions/${await w.fresh.webhookSubscription('new')}` }),
  },
  'POST /api/v1/webhook-subscriptions/:subscriptionId/rotate': {
    build: async (w) => ({ url: `/webhook-subscriptions/${await w.fresh.webhookSubscription('shared')}/rotate` }),
  },
  'POST /api/v1/webhook-subscriptions/:subscriptionId/ping': {
    build: async (w) => ({ url: `/webhook-subscriptions/${await w.fresh.webhookSubscription('shared')}/ping` }),
  },
  'GET /api/v1/webhook-subscriptions/:subscriptionId/deliveries': {
    build: async (w) => ({ url: `/webhook-subscriptions/${await w.fresh.webhookSubscription('shared')}/deliveries?status=dead` }),
  },
  'POST /api/v1/webhook-subscriptions/:subscriptionId/replay-dead': {
    build: async (w) => {
      await w.fresh.deadWebhookDelivery();
      return { url: `/webhook-subscriptions/${await w.fresh.webhookSubscription('shared')}/replay-dead` };
    },
  },
  'GET /api/v1/webhook-deliveries/:deliveryId': { build: async (w) => ({ url: `/webhook-deliveries/${await w.fresh.deadWebhookDelivery()}` }) },
  'POST /api/v1/webhook-deliveries/:deliveryId/replay': {
    build: async (w) => ({ url: `/webhook-deliveries/${await w.fresh.deadWebhookDelivery()}/replay` }),
  },
  'GET /api/v1/smart-groups': { build: () => ({ url: '/smart-groups' }) },
  'POST /api/v1/smart-groups': {
    build: (w) => ({ url: '/smart-groups', body: { name: unique('智能'), tags: [{ name: unique('智'), expression: { tag: gradeA(w) } }] } }),
  },
  'POST /api/v1/smart-groups/preview': {
    build: (w) => ({ url: '/smart-groups/preview', body: { tags: [{ tagId: w.ids.smartTag, expression: { tag: gradeB(w) } }] } }),
  },
  'POST /api/v1/smart-groups/:groupId/tags': {
    build: (w) => ({ url: `/smart-groups/${w.ids.smartGroup}/tags`, body: { tags: [{ name: unique('智'), expression: { tag: gradeB(w) } }] } }),
  },
  'PATCH /api/v1/smart-groups/:groupId': { build: (w) => ({ url: `/smart-groups/${w.ids.smartGroup}`, body: { name: unique('智能') } }) },
  'PATCH /api/v1/smart-groups/:groupId/tags/:tagId': {
    build: (w) => ({ url: `/smart-groups/${w.ids.smartGroup}/tags/${w.ids.smartTag}`, body: { expression: { tag: gradeA(w) } } }),
  },
  'DELETE /api/v1/smart-groups/:groupId': { build: async (w) => ({ url: `/smart-groups/${await w.fresh.smartGroup()}` }) },
  'DELETE /api/v1/smart-groups/:groupId/tags/:tagId': { build: async (w) => ({ url: `/smart-groups/${w.ids.smartGroup}/tags/${await w.fresh.smartTag()}` }) },
  'GET /api/v1/strategies': { build: () => ({ url: '/strategies' }) },
  'POST /api/v1/strategies': {
    build: (w) => ({ url: '/strategies', body: { name: unique('规则组'), adminList: [w.f.people.admin], range: { departments: [2] } } }),
  },
  'PATCH /api/v1/strategies/:strategyId': { build: (w) => ({ url: `/strategies/${w.ids.strategy}`, body: { name: unique('规则组') } }) },
  'DELETE /api/v1/strategies/:strategyId': { build: async (w) => ({ url: `/strategies/${await w.fresh.strategy()}` }) },
  'GET /api/v1/strategies/:strategyId/tag-groups': { build: (w) => ({ url: `/strategies/${w.ids.strategy}/tag-groups` }) },
  'POST /api/v1/strategies/:strategyId/tag-groups': {
    build: (w) => ({ url: `/strategies/${w.ids.strategy}/tag-groups`, body: { name: unique('规则标签组'), tags: [{ name: unique('签') }] } }),
  },
  'DELETE /api/v1/strategies/:strategyId/tag-groups/:groupId': {
    build: async (w) => ({ url: `/strategies/${w.ids.strategy}/tag-groups/${await w.fresh.strategyTagGroup()}` }),
  },
  'PATCH /api/v1/strategies/:strategyId/tag-groups/:groupId': {
    build: async (w) => ({
      url: `/strategies/${w.ids.strategy}/tag-groups/${await w.fresh.strategyTagGroup()}`,
      body: { name: unique('规则标签组'), order: 3 },
    }),
  },
  'PATCH /api/v1/strategies/:strategyId/tags/:tagId': {
    build: async (w) => ({ url: `/strategies/${w.ids.strategy}/tags/${await w.fresh.strategyTag()}`, body: { name: unique('签') } }),
  },
  'DELETE /api/v1/strategies/:strategyId/tags/:tagId': { build: async (w) => ({ url: `/strategies/${w.ids.strategy}/tags/${await w.fresh.strategyTag()}` }) },
  'GET /api/v1/rules': { build: (w) => ({ url: `/rules?tagId=${gradeA(w)}` }) },
  'POST /api/v1/rules': {
    build: (w) => ({
      url: '/rules',
      body: { name: unique('规则'), definition: { trigger: { kind: 'customer.added' }, actions: [{ kind: 'add', tagIds: [gradeA(w)] }] } },
    }),
  },
  'POST /api/v1/rules/schedule-preview': { build: () => ({ url: '/rules/schedule-preview', body: { cron: '0 3 * * *' } }) },
  'GET /api/v1/rules/:ruleId': { build: (w) => ({ url: `/rules/${w.ids.rule}` }) },
  'GET /api/v1/rules/:ruleId/versions/:version': { build: (w) => ({ url: `/rules/${w.ids.rule}/versions/1` }) },
  'GET /api/v1/rules/:ruleId/runs': { build: (w) => ({ url: `/rules/${w.ids.rule}/runs` }) },
  'POST /api/v1/rules/dry-run': { build: (w) => ({ url: '/rules/dry-run', body: { ruleId: w.ids.rule, days: 1 } }) },
  'PATCH /api/v1/rules/:ruleId': {
    build: async (w) => ({
      url: `/rules/${await w.fresh.rule()}`,
      body: {
        definition: { trigger: { kind: 'schedule', cron: '0 3 * * *' }, actions: [{ kind: 'move', groupId: w.f.grade.group.groupId, tagId: gradeB(w) }] },
      },
    }),
  },
  'POST /api/v1/rules/:ruleId/enable': { build: async (w) => ({ url: `/rules/${await w.fresh.rule()}/enable` }) },
  'POST /api/v1/rules/:ruleId/pause': { build: async (w) => ({ url: `/rules/${await w.fresh.rule()}/pause` }) },
  'POST /api/v1/rules/:ruleId/copy': { build: async (w) => ({ url: `/rules/${await w.fresh.rule()}/copy`, body: {} }) },
  'DELETE /api/v1/rules/:ruleId': { build: async (w) => ({ url: `/rules/${await w.fresh.rule()}` }) },
  'GET /api/v1/moments': { build: () => ({ url: '/moments' }) },
  'POST /api/v1/moments': {
    variants: targeted,
    build: (w, v) => ({ url: '/moments', body: { text: unique('朋友圈'), senders: { userids: [target(w, v).userid] }, draft: true } }),
  },
  'POST /api/v1/moments/preview': {
    variants: targeted,
    build: (w, v) => ({ url: '/moments/preview', body: { text: '预览', senders: { userids: [target(w, v).userid] } } }),
  },
  'GET /api/v1/moments/:momentId': { build: async (w) => ({ url: `/moments/${await freshMoment(w, 'draft')}` }) },
  'PATCH /api/v1/moments/:momentId': { build: async (w) => ({ url: `/moments/${await freshMoment(w, 'draft')}`, body: { text: unique('改') } }) },
  'DELETE /api/v1/moments/:momentId': { build: async (w) => ({ url: `/moments/${await freshMoment(w, 'draft')}` }) },
  'POST /api/v1/moments/:momentId/schedule': { build: async (w) => ({ url: `/moments/${await freshMoment(w, 'draft')}/schedule` }) },
  'POST /api/v1/moments/:momentId/cancel': { build: async (w) => ({ url: `/moments/${await freshMoment(w, 'scheduled')}/cancel` }) },
  'GET /api/v1/moments/:momentId/deliveries': { build: async (w) => ({ url: `/moments/${await freshMoment(w, 'scheduled')}/deliveries` }) },
  'GET /api/v1/tag-groups': { build: () => ({ url: '/tag-groups' }) },
  'GET /api/v1/tag-groups/:groupId': {
    variants: ['open', 'scoped'],
    build: (w, v) => ({ url: `/tag-groups/${v === 'open' ? w.f.grade.group.groupId : w.f.contract.group.groupId}` }),
  },
  'POST /api/v1/tag-groups': { build: () => ({ url: '/tag-groups', body: { name: unique('组'), tags: [{ name: unique('签') }] } }) },
  'GET /api/v1/tag-groups/:groupId/dependents': {
    variants: ['open', 'scoped'],
    build: (w, v) => ({ url: `/tag-groups/${v === 'open' ? w.f.grade.group.groupId : w.f.contract.group.groupId}/dependents` }),
  },
  'GET /api/v1/tags/:tagId/dependents': { build: (w) => ({ url: `/tags/${gradeA(w)}/dependents` }) },
  'PATCH /api/v1/tag-groups/:groupId': { build: (w) => ({ url: `/tag-groups/${w.f.grade.group.groupId}`, body: { order: Math.floor(Math.random() * 1000) } }) },
  'DELETE /api/v1/tag-groups/:groupId': { build: async (w) => ({ url: `/tag-groups/${await w.fresh.group()}` }) },
  'POST /api/v1/tag-groups/:groupId/restore': { build: async (w) => ({ url: `/tag-groups/${await w.fresh.deletedGroup()}/restore` }) },
  'POST /api/v1/tag-groups/:groupId/tags': { build: (w) => ({ url: `/tag-groups/${w.f.grade.group.groupId}/tags`, body: { tags: [{ name: unique('签') }] } }) },
  'PATCH /api/v1/tags/:tagId': { build: (w) => ({ url: `/tags/${gradeA(w)}`, body: { order: Math.floor(Math.random() * 1000) } }) },
  'DELETE /api/v1/tags/:tagId': { build: async (w) => ({ url: `/tags/${await w.fresh.tag()}` }) },
  'POST /api/v1/tags/:tagId/restore': { build: async (w) => ({ url: `/tags/${await w.fresh.deletedTag()}/restore` }) },
  'POST /api/v1/tags/delete': { build: async (w) => ({ url: '/tags/delete', body: { tagIds: [await w.fresh.tag()] } }) },
};

/**
 * Routes that run the directory: apps and their secrets, roles, departments, employees, corp
 * settings. An app acting as an employee is refused them whatever the employee's role.
 */
export function isManagement(route: string): boolean {
  return (
    route === 'GET /api/v1/apps' ||
    /^(POST|PATCH|DELETE) \/api\/v1\/(apps|roles|departments|employees|settings|webhook-subscriptions|webhook-deliveries|connector)\b/.test(route)
  );
}

/**
 * Everything of the corp that names something a reply could leak: ids and names of customers,
 * employees, departments, tags and groups, personal tags, apps, audiences and operations.
 */
export async function namesOf(db: Db, corpId: string): Promise<Set<string>> {
  const out = new Set<string>();
  const add = (rows: Record<string, unknown>[]) => rows.forEach((r) => Object.values(r).forEach((v) => typeof v === 'string' && v.length > 2 && out.add(v)));
  add(await db.select({ id: customers.externalUserid, name: customers.name }).from(customers).where(eq(customers.corpId, corpId)));
  add(await db.select({ id: employees.userid, name: employees.name }).from(employees).where(eq(employees.corpId, corpId)));
  add(await db.select({ name: departments.name }).from(departments).where(eq(departments.corpId, corpId)));
  add(await db.select({ id: tags.tagId, name: tags.name }).from(tags).where(eq(tags.corpId, corpId)));
  add(await db.select({ id: tagGroups.groupId, name: tagGroups.name }).from(tagGroups).where(eq(tagGroups.corpId, corpId)));
  add(await db.select({ id: personalTags.tagId, name: personalTags.name }).from(personalTags).where(eq(personalTags.corpId, corpId)));
  add(await db.select({ id: apps.appId, name: apps.name }).from(apps).where(eq(apps.corpId, corpId)));
  add(await db.select({ id: audiences.audienceId, name: audiences.name }).from(audiences).where(eq(audiences.corpId, corpId)));
  add(await db.select({ id: operations.operationId }).from(operations).where(eq(operations.corpId, corpId)));
  return out;
}

/** The names (of `universe`) replies or requests show, split at JSON, CSV and message punctuation. */
export function namesIn(values: readonly unknown[], universe: ReadonlySet<string>): Set<string> {
  const texts = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v ?? null)));
  return new Set(texts.flatMap((text) => text.split(/[\s"'`,|:;{}[\]()<>=\\/?&#]+/)).filter((t) => universe.has(t)));
}

/** A reply as one line for failure messages. */
export function summarize(res: ApiResponse): string {
  return `${res.status} ${(typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? null)).slice(0, 300)}`;
}
