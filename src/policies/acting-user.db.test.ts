import { and, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { employees, events, webhookOutbox, wecomConnections } from '../db/schema/index.js';
import { sealedPlace } from '../modules/connector/connection.js';
import { type ApiResponse, apiClient, readCorp, useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { buildCustomer, unique } from '../test/factories.js';
import { buildRegionalCorp } from '../test/org-fixture.js';
import { givePassword, loginCookie, orgState, sessionClient } from '../test/session.js';
import { writeWatch } from '../test/write-watch.js';
import { callWecom, fetchToken } from '../wecom/test-support.js';
import { type Client, isManagement, namesIn, namesOf, type Send, specs, summarize, type Walk, type Who } from './acting-user.test-support.js';

/** Routes that need no credentials, walked by their own tests. */
const publicRoutes = ['POST /api/v1/auth/login'];

describeDb('an app acting as an employee may do at most what both may, on every route', (db) => {
  // Batches stay queued until a walk step drains them, so nothing changes in the background.
  const app = useTestApp(db, { runJobs: false });
  const drain = () => app().operations.drain();

  /** Sends one request of the walk: JSON through `client`, or CSV as text/csv with `csvAs`'s key (and acting user). */
  async function send(client: Client, csvAs: { key: string; acting?: string }, method: string, s: Send): Promise<ApiResponse> {
    if (s.csv !== undefined) {
      const headers: Record<string, string> = { authorization: `Bearer ${csvAs.key}`, 'content-type': 'text/csv' };
      if (csvAs.acting) headers['tagloom-acting-user'] = csvAs.acting;
      const res = await app().inject({ method: 'POST', url: `/api/v1${s.url}`, headers, payload: s.csv });
      return { status: res.statusCode, body: res.body, headers: res.headers };
    }
    if (method === 'GET') return client.get(s.url);
    if (method === 'DELETE') return client.delete(s.url);
    if (method === 'PUT') return client.put(s.url, s.body);
    return method === 'PATCH' ? client.patch(s.url, s.body) : client.post(s.url, s.body);
  }

  /** Lets the smart-group maintainer catch up, so a state compared before and after is not moved by it. */
  async function settle(corpId: string) {
    const eventCount = async () => (await db().db.select({ n: count() }).from(events).where(eq(events.corpId, corpId)))[0]!.n;
    for (let seen = await eventCount(), i = 0; i < 10; i += 1) {
      await app().audiences.current(corpId);
      const now = await eventCount();
      if (now === seen) return;
      seen = now;
    }
  }

  /**
   * The walk's scene: a regional corp; an app whose range is 华东 plus the admin (or the
   * customer-contact secret); the employee's console session, a personal tag of theirs, shared
   * things to read, and makers of fresh things for writes.
   */
  async function scene(who: 'admin' | 'hdManager' | 'shStaff', appKind: 'ranged' | 'customer_contact') {
    const f = await buildRegionalCorp(db().db);
    const p = f.people;
    const employee = p[who];
    const cc = apiClient(app, f.secret);
    // A group only 华北 sees: the app sees every group, a 华东 staff member does not.
    expect((await cc.patch(`/tag-groups/${f.contract.group.groupId}`, { scope: { view: { regions: ['华北'] } } })).status).toBe(200);
    const ranged = await cc.post('/apps', { name: '华东应用', range: { departments: [2], userids: [p.admin] } });
    expect(ranged.status).toBe(201);
    const key = appKind === 'ranged' ? (ranged.body.secret as string) : f.secret;
    const password = await givePassword(db().db, f.corpId, employee);
    const me = sessionClient(app, await loginCookie(app, f.corpId, employee, password));
    const [gradeA, gradeB] = f.grade.tags.map((t) => t.tagId) as [string, string];
    for (const [c, u, t] of [
      [f.shCustomer, p.shStaff, gradeA],
      [f.bjCustomer, p.bjStaff, gradeA],
      [f.internCustomer, p.shIntern, gradeB],
    ] as const) {
      expect((await cc.post(`/customers/${c}/follows/${u}/tags`, { add: [t] })).status).toBe(200);
    }
    const personal = await me.post('/personal-tags', { name: '我的私标' });
    expect(personal.status).toBe(201);
    if (employee === p.shStaff) expect((await me.post(`/customers/${f.shCustomer}/follows/${employee}/tags`, { add: [personal.body.tagId] })).status).toBe(200);
    const mine = employee === p.admin ? f.bjCustomer : f.shCustomer;

    let sharedSubscription: string | undefined;
    const fresh: Walk['fresh'] = {
      app: async () => (await cc.post('/apps', { name: unique('应用'), range: { departments: [3], userids: [] } })).body.app.appId,
      audience: async () => (await cc.post('/audiences', { name: unique('人群'), expression: { tag: gradeA } })).body.audienceId,
      customer: (follower) => buildCustomer(f.ctx, [follower]),
      department: async () => (await cc.post('/departments', { name: unique('部门'), parentId: 2 })).body.deptId,
      role: async () =>
        (await cc.post('/roles', { roleId: unique('r').toLowerCase(), name: unique('角色'), permissions: ['customer.view'], dataScope: 'own' })).body.roleId,
      tag: async () => (await cc.post(`/tag-groups/${f.grade.group.groupId}/tags`, { tags: [{ name: unique('签') }] })).body.tags[0].tagId,
      group: async () => (await cc.post('/tag-groups', { name: unique('组'), tags: [{ name: unique('签') }] })).body.groupId,
      deletedTag: async () => {
        const tagId = await fresh.tag();
        expect((await cc.delete(`/tags/${tagId}`)).status).toBe(200);
        return tagId;
      },
      deletedGroup: async () => {
        const groupId = await fresh.group();
        expect((await cc.delete(`/tag-groups/${groupId}`)).status).toBe(200);
        return groupId;
      },
      smartGroup: async () =>
        (await cc.post('/smart-groups', { name: unique('智能'), tags: [{ name: unique('智'), expression: { tag: gradeB } }] })).body.groupId,
      smartTag: async () =>
        (await cc.post(`/smart-groups/${smart.groupId}/tags`, { tags: [{ name: unique('智'), expression: { tag: gradeB } }] })).body.tags.at(-1).tagId,
      personalTag: async () => (await me.post('/personal-tags', { name: unique('私') })).body.tagId,
      rule: async () =>
        (await cc.post('/rules', { name: unique('规则'), definition: { trigger: { kind: 'customer.added' }, actions: [{ kind: 'add', tagIds: [gradeA] }] } }))
          .body.ruleId,
      strategy: async () => (await cc.post('/strategies', { name: unique('规则组'), adminList: [p.admin], range: { departments: [2] } })).body.strategyId,
      strategyTagGroup: async () =>
        (await cc.post(`/strategies/${strategy}/tag-groups`, { name: unique('规则标签组'), tags: [{ name: unique('签') }] })).body.groupId,
      strategyTag: async () =>
        (await cc.post(`/strategies/${strategy}/tag-groups`, { name: unique('规则标签组'), tags: [{ name: unique('签') }] })).body.tags[0].tagId,
      contactWay: async () => (await cc.post('/contact-ways', { type: 'single', scene: 'qrcode', userids: [p.shStaff] })).body.configId,
      operation: async (by, state) => {
        const starter = by === 'own' ? me : cc;
        const queued = await starter.post('/operations/batch', { action: 'tag', tagIds: [gradeB], selection: { externalUserids: [mine] } });
        expect(queued.status, summarize(queued)).toBe(202);
        const id = queued.body.operation.operationId as string;
        if (state === 'queued') return id;
        await drain();
        if (state === 'undone') expect((await starter.post(`/operations/${id}/undo`)).status).toBe(200);
        return id;
      },
      webhookSource: async () =>
        (await cc.post('/webhook-sources', { name: unique('源'), mapping: { externalUserid: '$.customer', eventType: { value: 'order.paid' } } })).body.source
          .sourceId,
      webhookSubscription: async (kind) => {
        if (kind === 'shared' && sharedSubscription) return sharedSubscription;
        const res = await cc.post('/webhook-subscriptions', { name: unique('订阅'), url: 'http://93.184.215.14/hooks', eventTypes: ['tag.*'] });
        expect(res.status, summarize(res)).toBe(201);
        if (kind === 'shared') sharedSubscription = res.body.subscription.subscriptionId as string;
        return res.body.subscription.subscriptionId as string;
      },
      connection: async () => {
        const res = await cc.put('/connector', { wecomCorpid: 'wwActingWalk', secret: 'acting-walk-secret', apiBase: 'http://127.0.0.1:9' });
        expect(res.status, summarize(res)).toBe(200);
        // A JS-SDK ticket as an earlier request would have cached it, so the sidebar's signature needs no WeCom.
        await db()
          .db.update(wecomConnections)
          .set({
            jsapiTicketSealed: app().secretBox!.seal('walk-ticket', sealedPlace.jsapiTicket(f.corpId)),
            jsapiTicketExpiresAt: new Date(Date.now() + 3_600_000),
          })
          .where(eq(wecomConnections.corpId, f.corpId));
      },
      deadWebhookDelivery: async () => {
        const sub = await fresh.webhookSubscription('shared');
        const pinged = await cc.post(`/webhook-subscriptions/${sub}/ping`);
        // As the sender leaves it after its last failed attempt (the sender is off in tests).
        await db()
          .db.update(webhookOutbox)
          .set({ status: 'dead', attempts: 10 })
          .where(and(eq(webhookOutbox.corpId, f.corpId), eq(webhookOutbox.deliveryId, pinged.body.deliveryId)));
        return pinged.body.deliveryId as string;
      },
    };
    const strategy = (await cc.post('/strategies', { name: '共享规则组', adminList: [p.admin], range: { departments: [2] } })).body.strategyId as number;
    const smart = (await cc.post('/smart-groups', { name: '共享智能组', tags: [{ name: '共享智能', expression: { tag: gradeA } }] })).body as {
      groupId: string;
      tags: { tagId: string }[];
    };
    const w: Walk = {
      f,
      employee,
      password,
      mine,
      targets: {
        in: { customer: f.shCustomer, userid: p.shStaff, takeover: p.shIntern },
        mid: { customer: f.internCustomer, userid: p.shIntern, takeover: p.shStaff },
        out: { customer: f.bjCustomer, userid: p.bjStaff, takeover: p.bjManager },
      },
      ids: {
        audience: (await cc.post('/audiences', { name: '共享人群', expression: { tag: gradeA } })).body.audienceId,
        smartGroup: smart.groupId,
        smartTag: smart.tags[0]!.tagId,
        strategy,
        rule: await fresh.rule(),
        ownOp: await fresh.operation('own', 'succeeded'),
        otherOp: (await cc.delete(`/tags/${await fresh.tag()}`)).body.deletionId,
      },
      fresh,
    };
    await settle(f.corpId);
    const universe = await namesOf(db().db, f.corpId);
    const [acting] = await db()
      .db.select({ name: employees.name })
      .from(employees)
      .where(and(eq(employees.corpId, f.corpId), eq(employees.userid, employee)));
    return { w, key, me, universe, actingName: acting!.name, personalNames: new Set([personal.body.tagId as string, '我的私标']) };
  }

  /**
   * Walks every route three ways (the app alone, the employee's own session, the app acting as the
   * employee) and returns what broke the rule: the pair succeeding where either alone is refused, a
   * refused pair changing anything, a management route answered through a borrowed role, or the
   * pair's reply naming anything neither alone shows (personal tags excepted against the app alone:
   * they are the employee's, and acting as the employee is how an app reaches them).
   */
  async function walk(who: 'admin' | 'hdManager' | 'shStaff', appKind: 'ranged' | 'customer_contact') {
    const { w, key, me, universe, actingName, personalNames } = await scene(who, appKind);
    const corpId = w.f.corpId;
    const routes = [
      ...new Set(
        app()
          .routeTable.filter((r) => r.url.startsWith('/api/v1/'))
          .map((r) => `${r.method} ${r.url}`),
      ),
    ].filter((r) => !publicRoutes.includes(r));
    expect(routes.filter((r) => !specs[r])).toEqual([]);
    // Routes that end the employee's session go last, so the others keep theirs.
    routes.sort((a, b) => Number(specs[a]!.endsSession ?? false) - Number(specs[b]!.endsSession ?? false));
    const clients: Record<Who, { client: Client; csv: { key: string; acting?: string } }> = {
      app: { client: apiClient(app, key), csv: { key } },
      pair: { client: apiClient(app, key, w.employee), csv: { key, acting: w.employee } },
      // CSV cannot go with a session cookie (the CSRF guard wants JSON): there the employee alone is
      // the customer-contact secret acting as them, which may do no more than their session.
      employee: { client: me, csv: { key: w.f.secret, acting: w.employee } },
    };
    const problems: string[] = [];
    const succeeded = new Set<string>();
    const watch = writeWatch(db().db, () => readCorp(db().db, corpId));
    for (const route of routes) {
      const spec = specs[route]!;
      const method = route.split(' ')[0]!;
      for (const variant of spec.variants ?? ['-']) {
        const label = `${route} [${variant}]`;
        const pairSend = await spec.build(w, variant, 'pair');
        await settle(corpId);
        const before = await watch.before();
        const pair = await send(clients.pair.client, clients.pair.csv, method, pairSend);
        const ok = (r: ApiResponse) => r.status >= 200 && r.status < 300;
        if (!ok(pair)) {
          await settle(corpId);
          const changed = await watch.changedSince(before);
          if (changed.length > 0) problems.push(`${label}: refused (${summarize(pair)}) but changed ${changed.join(', ')}`);
        }
        const appSend = await spec.build(w, variant, 'app');
        const alone = await send(clients.app.client, clients.app.csv, method, appSend);
        const employeeClient = spec.endsSession ? sessionClient(app, await loginCookie(app, corpId, w.employee, w.password)) : clients.employee.client;
        const employeeSend = await spec.build(w, variant, 'employee');
        const own = await send(employeeClient, clients.employee.csv, method, employeeSend);
        for (const [name, r] of [
          ['pair', pair],
          ['app', alone],
          ['employee', own],
        ] as const) {
          if (r.status >= 500) problems.push(`${label}: ${name} failed on our side: ${summarize(r)}`);
          if (ok(r)) succeeded.add(route);
        }
        if (ok(pair) && isManagement(route)) problems.push(`${label}: management through a borrowed role → ${summarize(pair)}`);
        if (ok(pair) && !ok(own)) problems.push(`${label}: the pair succeeded (${summarize(pair)}) where the employee alone did not (${summarize(own)})`);
        if (ok(pair) && !spec.person && !ok(alone))
          problems.push(`${label}: the pair succeeded (${summarize(pair)}) where the app alone did not (${summarize(alone)})`);
        // What a request names itself (its URL, body and acting user, whom operations and the audit
        // log name as the one who acted) is no news in its reply.
        const echoed = (s: Send) => namesIn([s.url, s.body ?? null, s.csv ?? '', w.employee, actingName], universe);
        const shown = [...namesIn([pair.body], universe)].filter((n) => !echoed(pairSend).has(n));
        const beyondEmployee = shown.filter((n) => !namesIn([own.body], universe).has(n) && !echoed(employeeSend).has(n));
        const beyondApp = spec.person ? [] : shown.filter((n) => !namesIn([alone.body], universe).has(n) && !echoed(appSend).has(n) && !personalNames.has(n));
        if (beyondEmployee.length > 0) problems.push(`${label}: the pair shows ${beyondEmployee.join(', ')}, which the employee alone does not`);
        if (beyondApp.length > 0) problems.push(`${label}: the pair shows ${beyondApp.join(', ')}, which the app alone does not`);
        const countOf = (r: ApiResponse) => (ok(r) && typeof r.body?.count === 'number' ? (r.body.count as number) : undefined);
        if (countOf(pair) !== undefined && (countOf(pair)! > (countOf(own) ?? -1) || (!spec.person && countOf(pair)! > (countOf(alone) ?? -1)))) {
          problems.push(`${label}: the pair counts ${countOf(pair)}, the employee ${countOf(own)}, the app ${countOf(alone)}`);
        }
      }
    }
    return { problems, succeeded, routes };
  }

  for (const [who, appKind] of [
    ['admin', 'ranged'],
    ['hdManager', 'ranged'],
    ['shStaff', 'ranged'],
    ['admin', 'customer_contact'],
  ] as const) {
    // Each walk sends every route's requests three ways; with ~200 routes that outgrows the default 60 s on a busy 2-CPU runner.
    it(`${appKind === 'ranged' ? 'a ranged app' : 'the customer-contact secret'} acting as ${who}`, { timeout: 300_000 }, async () => {
      const { problems, succeeded, routes } = await walk(who, appKind);
      expect(problems).toEqual([]);
      // Every request reaches its route's authorization: as the admin, someone succeeds on each route.
      if (who === 'admin') expect(routes.filter((r) => !succeeded.has(r))).toEqual([]);
    });
  }
});

describeDb('issue 12 §1: a ranged app acting as an in-range admin', (db) => {
  const app = useTestApp(db, { runJobs: false });

  it('cannot take over the customer-contact secret, widen its range, list apps or read outside its range', async () => {
    const f = await buildRegionalCorp(db().db);
    const cc = apiClient(app, f.secret);
    const created = await cc.post('/apps', { name: 'x', range: { departments: [], userids: [f.people.admin] } });
    const secret = created.body.secret as string;
    const asAdmin = apiClient(app, secret, f.people.admin);
    for (const client of [apiClient(app, secret), asAdmin, apiClient(app, f.secret, f.people.admin)]) {
      const before = await orgState(db().db, f.corpId);
      expect((await client.post('/apps/customer_contact/rotate')).status).toBe(403);
      expect((await client.patch(`/apps/${created.body.app.appId}`, { range: { departments: [1], userids: [] } })).status).toBe(403);
      expect((await client.get('/apps')).status).toBe(403);
      expect(await orgState(db().db, f.corpId)).toEqual(before);
    }
    expect((await cc.get('/tag-groups')).status).toBe(200);
    // The admin's reach is the corp, the app's only the admin: acting as them reaches no customer.
    expect((await asAdmin.get(`/customers/${f.bjCustomer}`)).body.error.code).toBe('customer_not_found');
    expect((await asAdmin.get('/customers?limit=100')).body.customers).toEqual([]);
    expect((await asAdmin.get('/employees?limit=100')).body.employees.map((e: { userid: string }) => e.userid)).toEqual([f.people.admin]);
    // The WeCom surface has no acting user: the header changes nothing there.
    const token = await fetchToken(app(), f.corpId, secret);
    const res = await app().inject({
      url: `/cgi-bin/externalcontact/get?access_token=${token}&external_userid=${f.bjCustomer}`,
      headers: { 'tagloom-acting-user': f.people.admin },
    });
    expect(res.json().errcode).toBe(40096);
    expect((await callWecom(app(), 'externalcontact/get', { token, query: { external_userid: f.bjCustomer } })).body.errcode).toBe(40096);
  });
});
