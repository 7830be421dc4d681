import { and, asc, eq, like } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events, rules } from '../../db/schema/index.js';
import { apiClient, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCorp, buildTagGroup } from '../../test/factories.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';

describeDb('tagging rules API', (db) => {
  const app = useTestApp(db);

  const scene = async () => {
    const f = await buildRegionalCorp(db().db);
    const admin = apiClient(app, f.secret);
    const as = (who: keyof typeof f.people) => apiClient(app, f.secret, f.people[who]);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    const contractTag = f.contract.tags[0]!.tagId;
    const keywordRule = (actions: unknown[] = [{ kind: 'add', tagIds: [a] }]) => ({
      name: '看房意向',
      definition: { trigger: { kind: 'message.keyword', keywords: ['预约', '看房'] }, actions },
    });
    const ruleEvents = async () =>
      (
        await db()
          .db.select({ type: events.type })
          .from(events)
          .where(and(eq(events.corpId, f.corpId), like(events.type, 'rule.%')))
          .orderBy(asc(events.seq))
      ).map((e) => e.type);
    return { f, admin, as, a, b, contractTag, keywordRule, ruleEvents };
  };

  it('creates a rule as version 1 and answers it with its definition and versions', async () => {
    const { f, admin, a, keywordRule, ruleEvents } = await scene();
    const res = await admin.post('/rules', keywordRule());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '看房意向',
      enabled: true,
      triggerKind: 'message.keyword',
      currentVersion: 1,
      copiedFrom: null,
      versions: [{ version: 1 }],
    });
    expect(res.body.definition).toEqual({
      trigger: { kind: 'message.keyword', keywords: ['预约', '看房'], match: 'any', mode: 'contains' },
      conditions: {},
      actions: [{ kind: 'add', tagIds: [a] }],
    });
    expect(res.body.createdBy).toMatch(/^app:/);
    expect(await ruleEvents()).toEqual(['rule.created']);
    const got = await admin.get(`/rules/${res.body.ruleId}`);
    expect(got.body).toEqual(res.body);
    expect(f.corpId).toBeTruthy();
  });

  it('keeps every version: an edit makes version 2, version 1 stays readable', async () => {
    const { admin, a, b, keywordRule, ruleEvents } = await scene();
    const { ruleId } = (await admin.post('/rules', keywordRule())).body;
    const edited = await admin.patch(`/rules/${ruleId}`, {
      definition: {
        trigger: { kind: 'message.keyword', keywords: ['报价单'], threshold: { count: 2, withinDays: 7 } },
        actions: [{ kind: 'remove', tagIds: [b] }],
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ currentVersion: 2, name: '看房意向', versions: [{ version: 1 }, { version: 2 }] });
    expect(edited.body.definition.actions).toEqual([{ kind: 'remove', tagIds: [b] }]);
    const v1 = await admin.get(`/rules/${ruleId}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.body.definition.actions).toEqual([{ kind: 'add', tagIds: [a] }]);
    const renamed = await admin.patch(`/rules/${ruleId}`, { name: '报价单两次' });
    expect(renamed.body).toMatchObject({ name: '报价单两次', currentVersion: 2 });
    expect((await admin.get(`/rules/${ruleId}/versions/3`)).status).toBe(404);
    expect(await ruleEvents()).toEqual(['rule.created', 'rule.updated', 'rule.updated']);
  });

  it('switches rules on and off, copies them paused, deletes them softly', async () => {
    const { admin, keywordRule, ruleEvents } = await scene();
    const { ruleId } = (await admin.post('/rules', keywordRule())).body;
    expect((await admin.post(`/rules/${ruleId}/pause`)).body.enabled).toBe(false);
    expect((await admin.post(`/rules/${ruleId}/pause`)).body.enabled).toBe(false);
    expect((await admin.post(`/rules/${ruleId}/enable`)).body.enabled).toBe(true);
    const copy = await admin.post(`/rules/${ruleId}/copy`, {});
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ name: '看房意向 副本', enabled: false, copiedFrom: ruleId, currentVersion: 1 });
    const named = await admin.post(`/rules/${ruleId}/copy`, { name: '另一条' });
    expect(named.body.name).toBe('另一条');
    expect((await admin.delete(`/rules/${ruleId}`)).status).toBe(204);
    expect((await admin.get(`/rules/${ruleId}`)).status).toBe(404);
    expect((await admin.delete(`/rules/${ruleId}`)).status).toBe(404);
    expect((await admin.get('/rules')).body.rules.map((r: { name: string }) => r.name)).toEqual(['另一条', '看房意向 副本']);
    expect(await ruleEvents()).toEqual(['rule.created', 'rule.paused', 'rule.enabled', 'rule.created', 'rule.created', 'rule.deleted']);
  });

  it('searches by name and by tag, and filters by trigger and switch', async () => {
    const { admin, a, b, f } = await scene();
    const byTag = (await admin.post('/rules', { name: '加A级', definition: { trigger: { kind: 'customer.added' }, actions: [{ kind: 'add', tagIds: [a] }] } }))
      .body.ruleId;
    const moving = (
      await admin.post('/rules', {
        name: '夜间移到B级',
        enabled: false,
        definition: {
          trigger: { kind: 'schedule', cron: '0 3 * * *' },
          conditions: { audience: { text: 'tag:A级' } },
          actions: [{ kind: 'move', groupId: f.grade.group.groupId, tagId: b }],
        },
      })
    ).body.ruleId;
    const names = async (query: string) => (await admin.get(`/rules${query}`)).body.rules.map((r: { ruleId: string }) => r.ruleId);
    expect(await names(`?tagId=${a}`)).toEqual([byTag]);
    expect(await names(`?tagId=${b},${a}`)).toEqual([byTag, moving]);
    expect(await names(`?q=${encodeURIComponent('夜间')}`)).toEqual([moving]);
    expect(await names(`?q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await names('?trigger=schedule')).toEqual([moving]);
    expect(await names('?enabled=true')).toEqual([byTag]);
    expect((await admin.get('/rules?trigger=moon')).status).toBe(400);
    const got = (await admin.get(`/rules/${moving}`)).body;
    expect(got.definition.conditions.audience).toEqual({ expression: { tag: a } });
  });

  it('refuses bad definitions naming the field, changing nothing', async () => {
    const { f, admin, a, keywordRule } = await scene();
    const refuse = async (body: unknown, status: number, code: string, path: string) => {
      const res = await expectRefused(db().db, f.corpId, () => admin.post('/rules', body), status, code);
      expect(detailPaths(res)).toContain(path);
    };
    const withTrigger = (trigger: unknown, actions: unknown[] = [{ kind: 'add', tagIds: [a] }]) => ({ name: 'r', definition: { trigger, actions } });
    await refuse(withTrigger({ kind: 'schedule', cron: '0 25 * * *' }), 400, 'validation_failed', 'body.definition.trigger.cron');
    await refuse(withTrigger({ kind: 'schedule', cron: '0 3 * * *', timezone: 'Asia/Beijing' }), 400, 'validation_failed', 'body.definition.trigger.timezone');
    await refuse(
      withTrigger({ kind: 'customer.added', window: { startsAt: '2026-04-01T00:00:00+08:00', endsAt: '2026-03-01T00:00:00+08:00' } }),
      400,
      'validation_failed',
      'body.definition.trigger.window.endsAt',
    );
    await refuse(keywordRule([{ kind: 'add', tagIds: [a, 'etNoSuchTag000000000000000000'] }]), 404, 'tag_not_found', 'body.definition.actions.0.tagIds.1');
    await refuse(keywordRule([{ kind: 'move', groupId: f.contract.group.groupId, tagId: a }]), 400, 'validation_failed', 'body.definition.actions.0.tagId');
    await refuse(
      keywordRule([{ kind: 'addTemplate', group: { groupId: 'etNoSuchGroup0000000000000000' }, template: '新用户-{M}月' }]),
      404,
      'tag_not_found',
      'body.definition.actions.0.group.groupId',
    );
    await refuse(
      keywordRule([{ kind: 'addTemplate', group: { groupName: '活动' }, template: '已购买-{product}' }]),
      400,
      'validation_failed',
      'body.definition.actions.0.template',
    );
    await refuse(
      keywordRule([{ kind: 'addTemplate', group: { groupName: '活动' }, template: '春季大促新用户活动期客户-{yyyy}{MM}' }]),
      400,
      'name_too_long',
      'body.definition.actions.0.template',
    );
    await refuse(
      {
        name: 'r',
        definition: {
          trigger: { kind: 'behaviour', eventType: 'link.clicked' },
          conditions: { filters: [{ field: 'product', op: 'exists' }] },
          actions: [{ kind: 'add', tagIds: [a] }],
        },
      },
      400,
      'validation_failed',
      'body.definition.conditions.filters.0.field',
    );
    await refuse(
      {
        name: 'r',
        definition: {
          trigger: { kind: 'behaviour', eventType: 'link.clicked' },
          conditions: { audience: { text: 'tag:不存在的标签' } },
          actions: [{ kind: 'add', tagIds: [a] }],
        },
      },
      400,
      'validation_failed',
      'body.definition.conditions.audience.text',
    );
    await refuse({ name: '   ', definition: withTrigger({ kind: 'customer.added' }).definition }, 400, 'validation_failed', 'body.name');
    await refuse(
      {
        ...keywordRule(),
        definition: { ...keywordRule().definition, trigger: { kind: 'message.keyword', keywords: Array.from({ length: 201 }, (_, i) => `词${i}`) } },
      },
      400,
      'validation_failed',
      'body.definition.trigger.keywords',
    );
    await refuse({ name: 'r', definition: 'add tags please' }, 400, 'validation_failed', 'body.definition');
  });

  it('refuses the 501st rule of a corp', async () => {
    const { f, admin, keywordRule } = await scene();
    await db()
      .db.insert(rules)
      .values(
        Array.from({ length: 500 }, (_, i) => ({
          corpId: f.corpId,
          ruleId: `ruFill${i}`,
          name: `填充${i}`,
          currentVersion: 1,
          triggerKind: 'schedule',
          createdBy: 'system:test',
        })),
      );
    const refused = await expectRefused(db().db, f.corpId, () => admin.post('/rules', keywordRule()), 422, 'limit_exceeded');
    expect(refused.body.error.details[0].limit).toBe(500);
    await db()
      .db.update(rules)
      .set({ deletedAt: new Date() })
      .where(and(eq(rules.corpId, f.corpId), eq(rules.ruleId, 'ruFill0')));
    expect((await admin.post('/rules', keywordRule())).status).toBe(201);
  });

  it('follows the corp’s tag-name limit when checking templates', async () => {
    const corp = await buildCorp(db().db, { settings: { nameMaxLength: 20 } });
    const lib = await buildTagGroup(corp.ctx, ['x'], '活动');
    const res = await apiClient(app, corp.secret).post('/rules', {
      name: 'r',
      definition: {
        trigger: { kind: 'customer.added' },
        actions: [{ kind: 'addTemplate', group: { groupId: lib.group.groupId }, template: '春季大促新用户活动期客户-{yyyy}{MM}' }],
      },
    });
    expect(res.status).toBe(201);
  });

  it('lets a rule apply only tags its author may apply', async () => {
    const { f, admin, as, a, contractTag, keywordRule } = await scene();
    expect((await admin.patch(`/tag-groups/${f.contract.group.groupId}`, { scope: { apply: { userids: [f.people.hdManager] } } })).status).toBe(200);
    // 华北经理 manages rules but may not apply 协议价客户 (applied by 华东经理 only).
    const refused = await expectRefused(
      db().db,
      f.corpId,
      () =>
        as('bjManager').post(
          '/rules',
          keywordRule([
            { kind: 'add', tagIds: [a] },
            { kind: 'add', tagIds: [contractTag] },
          ]),
        ),
      403,
      'forbidden',
    );
    expect(detailPaths(refused)).toEqual(['body.definition.actions.1.tagIds.0']);
    expect(refused.body.error.details[0].id).toBe(`tag ${contractTag}`);
    await expectRefused(
      db().db,
      f.corpId,
      () => as('bjManager').post('/rules', keywordRule([{ kind: 'move', groupId: f.contract.group.groupId, tagId: contractTag }])),
      403,
      'forbidden',
    );
    const own = await as('bjManager').post('/rules', keywordRule([{ kind: 'add', tagIds: [a] }]));
    expect(own.status).toBe(201);
    expect(own.body.createdBy).toBe(`user:${f.people.bjManager}`);
    // 华东经理 may: the rule is theirs; 华北经理 may not put 协议价客户 into it by editing, nor copy it.
    const hd = await as('hdManager').post('/rules', keywordRule([{ kind: 'add', tagIds: [contractTag] }]));
    expect(hd.status).toBe(201);
    await expectRefused(db().db, f.corpId, () => as('bjManager').post(`/rules/${hd.body.ruleId}/copy`, {}), 403, 'forbidden');
    await expectRefused(
      db().db,
      f.corpId,
      () => as('bjManager').patch(`/rules/${own.body.ruleId}`, { definition: keywordRule([{ kind: 'remove', tagIds: [contractTag] }]).definition }),
      403,
      'forbidden',
    );
    // Staff (no rule.manage) may neither read nor write rules.
    await expectRefused(db().db, f.corpId, () => as('shStaff').post('/rules', keywordRule()), 403, 'forbidden');
    expect((await as('shStaff').get('/rules')).status).toBe(403);
    expect((await as('shStaff').post(`/rules/${own.body.ruleId}/pause`)).status).toBe(403);
  });

  it('keeps corps apart: another corp’s rule and tags do not exist', async () => {
    const { admin, keywordRule } = await scene();
    const other = await buildRegionalCorp(db().db);
    const otherAdmin = apiClient(app, other.secret);
    const { ruleId } = (await admin.post('/rules', keywordRule())).body;
    expect((await otherAdmin.get(`/rules/${ruleId}`)).status).toBe(404);
    expect((await otherAdmin.patch(`/rules/${ruleId}`, { name: 'x' })).status).toBe(404);
    expect((await otherAdmin.post(`/rules/${ruleId}/copy`, {})).status).toBe(404);
    expect((await otherAdmin.delete(`/rules/${ruleId}`)).status).toBe(404);
    expect((await otherAdmin.get('/rules')).body.rules).toEqual([]);
    const foreignTag = await expectRefused(db().db, other.corpId, () => otherAdmin.post('/rules', keywordRule()), 404, 'tag_not_found');
    expect(detailPaths(foreignTag)).toEqual(['body.definition.actions.0.tagIds.0']);
  });

  it('previews the next five runs of a schedule in Asia/Shanghai', async () => {
    const { admin, as } = await scene();
    const res = await admin.post('/rules/schedule-preview', { cron: '0 3 * * *', from: '2026-03-01T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('Asia/Shanghai');
    expect(res.body.runs).toHaveLength(5);
    expect(res.body.runs[0]).toEqual({ at: '2026-03-01T19:00:00.000Z', local: '2026-03-02 03:00:00' });
    const utc = await admin.post('/rules/schedule-preview', { cron: '0 3 * * *', timezone: 'UTC', from: '2026-03-01T00:00:00Z' });
    expect(utc.body.runs[0]).toEqual({ at: '2026-03-01T03:00:00.000Z', local: '2026-03-01 03:00:00' });
    const bad = await admin.post('/rules/schedule-preview', { cron: 'every night' });
    expect(bad.status).toBe(400);
    expect(detailPaths(bad)).toEqual(['body.cron']);
    expect((await as('shStaff').post('/rules/schedule-preview', { cron: '0 3 * * *' })).status).toBe(403);
  });
});
