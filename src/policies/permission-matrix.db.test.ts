import { expect, it } from 'vitest';
import { type ApiResponse, apiClient, corpState, useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { unique } from '../test/factories.js';
import { buildRegionalCorp } from '../test/org-fixture.js';
import { givePassword, loginCookie, sessionClient } from '../test/session.js';
import { allPermissions, type Permission } from './registry.js';
import { builtInRoleDefinitions } from './roles.js';

type Fixture = Awaited<ReturnType<typeof buildRegionalCorp>>;
type Client = ReturnType<typeof apiClient>;
/** A customer relation to act on: the follower and the customer. */
type Target = { userid: string; customer: string };
/**
 * One permission exercised through its real route, on a target when the permission is scoped.
 * `prepare` makes what the request needs (as the app, before the state snapshot is taken).
 */
type Case = {
  scoped: boolean;
  prepare?: (admin: Client, f: Fixture) => Promise<string>;
  run: (as: Client, f: Fixture, target: Target, prepared: string) => Promise<ApiResponse>;
};

const cases: Partial<Record<Permission, Case>> = {
  'customer.view': { scoped: true, run: (as, _f, t) => as.get(`/customers/${t.customer}`) },
  'customer.update': { scoped: true, run: (as, _f, t) => as.patch(`/customers/${t.customer}/follows/${t.userid}`, { remark: unique('备注') }) },
  'tag.apply': { scoped: true, run: (as, f, t) => as.post(`/customers/${t.customer}/follows/${t.userid}/tags`, { add: [f.grade.tags[0]!.tagId] }) },
  'tag.remove': { scoped: true, run: (as, f, t) => as.post(`/customers/${t.customer}/follows/${t.userid}/tags`, { remove: [f.grade.tags[1]!.tagId] }) },
  'personalTag.manage': { scoped: false, run: (as) => as.post('/personal-tags', { name: unique('私') }) },
  'tagGroup.create': { scoped: false, run: (as) => as.post('/tag-groups', { name: unique('组'), tags: [{ name: 'x' }] }) },
  'tagGroup.update': { scoped: false, run: (as, f) => as.patch(`/tag-groups/${f.grade.group.groupId}`, { order: Math.floor(Math.random() * 1000) }) },
  'tagGroup.delete': {
    scoped: false,
    prepare: async (admin) => (await admin.post('/tag-groups', { name: unique('删'), tags: [{ name: 'x' }] })).body.groupId,
    run: (as, _f, _t, groupId) => as.delete(`/tag-groups/${groupId}`),
  },
  'tag.create': { scoped: false, run: (as, f) => as.post(`/tag-groups/${f.grade.group.groupId}/tags`, { tags: [{ name: unique('t') }] }) },
  'tag.update': { scoped: false, run: (as, f) => as.patch(`/tags/${f.grade.tags[0]!.tagId}`, { order: Math.floor(Math.random() * 1000) }) },
  'tag.delete': {
    scoped: false,
    prepare: async (admin, f) => (await admin.post(`/tag-groups/${f.grade.group.groupId}/tags`, { tags: [{ name: unique('t') }] })).body.tags[0].tagId,
    run: (as, _f, _t, tagId) => as.delete(`/tags/${tagId}`),
  },
  'corp.settings': { scoped: false, run: (as) => as.patch('/settings', { limits: { nameMaxLength: 20 } }) },
  'audit.view': { scoped: false, run: (as) => as.get('/audit?limit=5') },
  'audience.manage': { scoped: false, run: (as, f) => as.post('/audiences', { name: unique('人群'), expression: { tag: f.grade.tags[0]!.tagId } }) },
  'customerEvent.record': {
    scoped: true,
    run: (as, _f, t) => as.post('/customer-events', { events: [{ externalUserid: t.customer, type: 'link.clicked', occurredAt: new Date().toISOString() }] }),
  },
  'customer.export': { scoped: false, run: (as, f) => as.post('/audiences/export', { expression: { tag: f.grade.tags[0]!.tagId } }) },
  'rule.manage': { scoped: false, run: (as, f) => as.post('/smart-groups/preview', { tags: [{ expression: { tag: f.grade.tags[0]!.tagId } }] }) },
  'role.manage': {
    scoped: false,
    run: (as) => as.post('/roles', { roleId: unique('r').toLowerCase(), name: unique('角色'), permissions: ['customer.view'], dataScope: 'own' }),
  },
  'moment.publish': { scoped: false, run: (as) => as.post('/moments', { text: unique('朋友圈'), draft: true }) },
  'org.manage': { scoped: false, run: (as) => as.post('/departments', { name: unique('部门'), parentId: 1 }) },
  // Last: a hand-over moves the relation the cases above act on. The takeover is the 华东 manager.
  'customer.transfer': {
    scoped: true,
    run: (as, f, t) => as.post('/customers/transfer', { handoverUserid: t.userid, takeoverUserid: f.people.hdManager, externalUserids: [t.customer] }),
  },
};

/**
 * Permissions with no native route: rule groups (strategy.manage) are WeCom-only, for the
 * customer-contact secret, and tested in strategy-ladder.
 */
const noRouteYet: Permission[] = ['strategy.manage'];

const roleActors = { admin: 'admin', manager: 'hdManager', staff: 'shStaff', readonly: 'shIntern' } as const;

describeDb('permission matrix: every role × permission × in/out of scope, on the real routes', (db) => {
  const app = useTestApp(db);

  it('covers every permission of the registry (or names it as having no route yet)', () => {
    expect(allPermissions.filter((p) => !(p in cases) && !noRouteYet.includes(p))).toEqual([]);
  });

  for (const [role, who] of Object.entries(roleActors) as [keyof typeof roleActors, (typeof roleActors)[keyof typeof roleActors]][]) {
    it(`${role}: allowed exactly where the role grants the permission and the resource is in its data scope`, async () => {
      const f = await buildRegionalCorp(db().db);
      const admin = apiClient(app, f.secret);
      // The employee's own session: an app acting as them may do less (see acting-user.db.test.ts).
      const as = sessionClient(app, await loginCookie(app, f.corpId, f.people[who], await givePassword(db().db, f.corpId, f.people[who])));
      // In scope: the actor's own relation for own-scope roles, a 华东 relation otherwise; out of scope: 北京.
      const inScope: Target =
        role === 'readonly' ? { userid: f.people.shIntern, customer: f.internCustomer } : { userid: f.people.shStaff, customer: f.shCustomer };
      const outOfScope: Target = { userid: f.people.bjStaff, customer: f.bjCustomer };
      const granted = builtInRoleDefinitions[role].permissions;
      const reachesEverything = builtInRoleDefinitions[role].dataScope === 'corp';
      const outcomes: string[] = [];
      for (const [permission, c] of Object.entries(cases) as [Permission, Case][]) {
        for (const [where, target] of (c.scoped
          ? [
              ['in', inScope],
              ['out', outOfScope],
            ]
          : [['in', inScope]]) as [string, Target][]) {
          const allowed = granted.includes(permission) && (where === 'in' || reachesEverything);
          const prepared = c.prepare ? await c.prepare(admin, f) : '';
          const before = allowed ? undefined : await corpState(db().db, f.corpId);
          const res = await c.run(as, f, target, prepared);
          const ok = res.status >= 200 && res.status < 300;
          outcomes.push(`${permission}/${where}: ${allowed ? 'allow' : 'deny'} → ${res.status}`);
          expect(ok, outcomes.at(-1)).toBe(allowed);
          if (!allowed) {
            expect([403, 404], outcomes.at(-1)).toContain(res.status);
            expect(await corpState(db().db, f.corpId), `${outcomes.at(-1)} changed something`).toEqual(before);
          }
        }
      }
      expect(outcomes.length).toBeGreaterThan(10);
    });
  }
});
