import { asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../context.js';
import type { Db } from '../db/client.js';
import { strategies, strategyRanges } from '../db/schema/index.js';
import { addDepartments } from '../modules/org/commands/add-org.js';
import { buildStrategy } from '../modules/strategies/test-support.js';
import { apiClient, corpState, useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { appCtx, buildCorp, buildCustomer, buildEmployees, buildTagGroup, unique } from '../test/factories.js';
import { orgState } from '../test/session.js';
import { callWecom, fetchToken } from '../wecom/test-support.js';

/** Everything a named thing's request could change: the tag library, org, apps, roles, rule groups, follows, audiences and the audit log. */
async function everything(db: Db, corpId: string) {
  return {
    ...(await corpState(db, corpId)),
    ...(await orgState(db, corpId)),
    strategies: await db.select().from(strategies).where(eq(strategies.corpId, corpId)).orderBy(asc(strategies.strategyId)),
    ranges: await db.select().from(strategyRanges).where(eq(strategyRanges.corpId, corpId)),
  };
}

// Blank: only spaces and invisible characters. Invalid: an invisible or a control character inside.
const blank = '\u3000\u200b\u2060 ';
const invalid = ['A\u200bB', 'A\u0007B', '客户\u202E等级'];

type Outcome = { status: number; code?: string } | { errcode: number };
type Row = { thing: string; send: (name: string) => Promise<Outcome>; blank: Outcome; invalid: Outcome };

describeDb('every named thing holds its name to the one name policy (issue 12 §6)', (db) => {
  const app = useTestApp(db);

  async function scene() {
    const corp = await buildCorp(db().db);
    await withTx(systemContext(db().db, corp.corpId), (tx) =>
      addDepartments(tx, [
        { deptId: 1, name: '总部', parentId: 0 },
        { deptId: 2, name: '华东', parentId: 1, region: '华东' },
      ]),
    );
    const [admin] = await buildEmployees(corp.ctx, 1, 'admin');
    const [staff] = await buildEmployees(corp.ctx, 1, 'staff');
    const customer = await buildCustomer(corp.ctx, [staff!]);
    const library = await buildTagGroup(corp.ctx, ['高意向', '低意向']);
    const strategy = await buildStrategy(appCtx(db().db, corp.corpId), { adminList: [admin!], range: [{ type: 2, deptId: 2 }] });
    const token = await fetchToken(app(), corp.corpId, corp.secret);
    return {
      ...corp,
      key: corp.secret,
      admin: admin!,
      staff: staff!,
      customer,
      group: library.group,
      tag: library.tags[0]!,
      strategyId: strategy.strategyId,
      token,
    };
  }

  it('a blank or invisible-only name, or one holding an invisible or control character, is refused on every surface with a clear error and changes nothing', async () => {
    const s = await scene();
    const api = apiClient(app, s.key);
    const own = apiClient(app, s.key, s.staff);
    const personal = (await own.post('/personal-tags', { name: '老朋友' })).body.tagId as string;
    const audience = (await api.post('/audiences', { name: '高意向客户', text: 'tag:高意向' })).body.audienceId as string;
    const app2 = (await api.post('/apps', { name: '小程序', range: { departments: [2], userids: [] } })).body.app.appId as string;
    await api.post('/roles', { roleId: 'east', name: '华东销售', permissions: ['customer.view'], dataScope: 'region' });
    const strategyTag = (
      await callWecom(app(), 'externalcontact/add_strategy_tag', {
        token: s.token,
        body: { strategy_id: s.strategyId, group_name: '规则组标签', tag: [{ name: '甲' }] },
      })
    ).body.tag_group.tag[0].id as string;

    const viaApi = (send: () => Promise<{ status: number; body: any }>) => send().then((r) => ({ status: r.status, code: r.body?.error?.code }));
    const viaWecom = (path: string, body: unknown) =>
      callWecom(app(), `externalcontact/${path}`, { token: s.token, body }).then((r) => ({ errcode: r.body.errcode as number }));
    const tagBlank = { status: 400, code: 'name_missing' };
    const bad = { status: 400, code: 'validation_failed' };
    const rows: Row[] = [
      { thing: 'tag group (create)', send: (n) => viaApi(() => api.post('/tag-groups', { name: n, tags: [{ name: 'a' }] })), blank: tagBlank, invalid: bad },
      {
        thing: 'tag (create with group)',
        send: (n) => viaApi(() => api.post('/tag-groups', { name: '新组', tags: [{ name: n }] })),
        blank: tagBlank,
        invalid: bad,
      },
      { thing: 'tag group (rename)', send: (n) => viaApi(() => api.patch(`/tag-groups/${s.group.groupId}`, { name: n })), blank: tagBlank, invalid: bad },
      {
        thing: 'tag (add to group)',
        send: (n) => viaApi(() => api.post(`/tag-groups/${s.group.groupId}/tags`, { tags: [{ name: n }] })),
        blank: tagBlank,
        invalid: bad,
      },
      { thing: 'tag (rename)', send: (n) => viaApi(() => api.patch(`/tags/${s.tag.tagId}`, { name: n })), blank: tagBlank, invalid: bad },
      { thing: 'personal tag (create)', send: (n) => viaApi(() => own.post('/personal-tags', { name: n })), blank: tagBlank, invalid: bad },
      { thing: 'personal tag (rename)', send: (n) => viaApi(() => own.patch(`/personal-tags/${personal}`, { name: n })), blank: tagBlank, invalid: bad },
      {
        thing: 'smart group',
        send: (n) => viaApi(() => api.post('/smart-groups', { name: n, tags: [{ name: '有高意向', text: 'tag:高意向' }] })),
        blank: tagBlank,
        invalid: bad,
      },
      {
        thing: 'smart tag',
        send: (n) => viaApi(() => api.post('/smart-groups', { name: '自动', tags: [{ name: n, text: 'tag:高意向' }] })),
        blank: tagBlank,
        invalid: bad,
      },
      { thing: 'saved audience (create)', send: (n) => viaApi(() => api.post('/audiences', { name: n, text: 'tag:高意向' })), blank: bad, invalid: bad },
      { thing: 'saved audience (rename)', send: (n) => viaApi(() => api.patch(`/audiences/${audience}`, { name: n })), blank: bad, invalid: bad },
      { thing: 'department (create)', send: (n) => viaApi(() => api.post('/departments', { name: n, parentId: 1 })), blank: bad, invalid: bad },
      { thing: 'department (rename)', send: (n) => viaApi(() => api.patch('/departments/2', { name: n })), blank: bad, invalid: bad },
      {
        thing: 'employee (create)',
        send: (n) => viaApi(() => api.post('/employees', { userid: unique('e'), name: n, departmentIds: [1], role: 'staff' })),
        blank: bad,
        invalid: bad,
      },
      { thing: 'employee (rename)', send: (n) => viaApi(() => api.patch(`/employees/${s.staff}`, { name: n })), blank: bad, invalid: bad },
      {
        thing: 'role (create)',
        send: (n) => viaApi(() => api.post('/roles', { roleId: unique('r'), name: n, permissions: ['customer.view'], dataScope: 'own' })),
        blank: bad,
        invalid: bad,
      },
      { thing: 'role (rename)', send: (n) => viaApi(() => api.patch('/roles/east', { name: n })), blank: bad, invalid: bad },
      { thing: 'app (create)', send: (n) => viaApi(() => api.post('/apps', { name: n, range: { departments: [2], userids: [] } })), blank: bad, invalid: bad },
      { thing: 'app (rename)', send: (n) => viaApi(() => api.patch(`/apps/${app2}`, { name: n })), blank: bad, invalid: bad },
      { thing: 'remark', send: (n) => viaApi(() => api.patch(`/customers/${s.customer}/follows/${s.staff}`, { remark: n })), blank: bad, invalid: bad },
      {
        thing: 'remark company',
        send: (n) => viaApi(() => api.patch(`/customers/${s.customer}/follows/${s.staff}`, { remarkCompany: n })),
        blank: bad,
        invalid: bad,
      },
      {
        thing: 'add_corp_tag group_name',
        send: (n) => viaWecom('add_corp_tag', { group_name: n, tag: [{ name: 'a' }] }),
        blank: { errcode: 41018 },
        invalid: { errcode: 40058 },
      },
      {
        thing: 'add_corp_tag tag name',
        send: (n) => viaWecom('add_corp_tag', { group_name: '新组', tag: [{ name: n }] }),
        blank: { errcode: 41018 },
        invalid: { errcode: 40058 },
      },
      {
        thing: 'edit_corp_tag name',
        send: (n) => viaWecom('edit_corp_tag', { id: s.tag.tagId, name: n }),
        blank: { errcode: 40072 },
        invalid: { errcode: 40058 },
      },
      {
        thing: 'add_strategy_tag tag name',
        send: (n) => viaWecom('add_strategy_tag', { strategy_id: s.strategyId, group_name: '规则组标签', tag: [{ name: n }] }),
        blank: { errcode: 41018 },
        invalid: { errcode: 40058 },
      },
      {
        thing: 'edit_strategy_tag name',
        send: (n) => viaWecom('edit_strategy_tag', { id: strategyTag, name: n }),
        blank: { errcode: 40072 },
        invalid: { errcode: 40058 },
      },
      {
        thing: 'customer_strategy/create strategy_name',
        send: (n) => viaWecom('customer_strategy/create', { parent_id: 0, strategy_name: n, admin_list: [s.admin], range: [] }),
        blank: { errcode: 40058 },
        invalid: { errcode: 40058 },
      },
      {
        thing: 'customer_strategy/edit strategy_name',
        send: (n) => viaWecom('customer_strategy/edit', { strategy_id: s.strategyId, strategy_name: n }),
        blank: { errcode: 40058 },
        invalid: { errcode: 40058 },
      },
      {
        thing: 'remark (WeCom)',
        send: (n) => viaWecom('remark', { userid: s.staff, external_userid: s.customer, remark: n }),
        blank: { errcode: 40058 },
        invalid: { errcode: 40058 },
      },
    ];

    for (const row of rows) {
      const before = await everything(db().db, s.corpId);
      expect(await row.send(blank), `${row.thing}: blank`).toEqual(row.blank);
      for (const name of invalid) expect(await row.send(name), `${row.thing}: ${JSON.stringify(name)}`).toEqual(row.invalid);
      expect(await everything(db().db, s.corpId), row.thing).toEqual(before);
    }
  });

  it('the refusal says what is wrong and where, without echoing the invisible text', async () => {
    const s = await scene();
    const res = await apiClient(app, s.key).post('/tag-groups', { name: '新组', tags: [{ name: '高意向' }, { name: 'VIP\u200bGold' }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'validation_failed',
      message: 'The tag name contains an invisible character (U+200B) at character 4; a name may hold only visible characters.',
      details: [{ path: 'tag.1.name', message: 'an invisible character (U+200B) at character 4', character: 'U+200B', position: 4 }],
    });
    const blankName = await apiClient(app, s.key).post('/departments', { name: '\u3000\u200b', parentId: 1 });
    expect(blankName.body.error).toMatchObject({
      code: 'validation_failed',
      message: 'The department name is blank: it has only spaces or invisible characters.',
      details: [{ path: 'body.name', message: 'blank' }],
    });
  });

  it('descriptions hold line breaks but no control or invisible characters', async () => {
    const s = await scene();
    const api = apiClient(app, s.key);
    const ok = await api.patch(`/tags/${s.tag.tagId}`, { description: ' 第一行\r\n第二行 ' });
    expect(ok.body.description).toBe('第一行\n第二行');
    const before = await everything(db().db, s.corpId);
    for (const [send, path] of [
      [() => api.patch(`/tags/${s.tag.tagId}`, { description: '见\u202E附件' }), 'description'],
      [() => api.post('/audiences', { name: '新受众', description: '说明\u0000', text: 'tag:高意向' }), 'body.description'],
      [() => api.patch('/roles/staff', { description: '员工\u200b' + '，可打标签' }), 'body.description'],
      [() => api.patch(`/customers/${s.customer}/follows/${s.staff}`, { description: '老客户\u0007' }), 'description'],
    ] as const) {
      const res = await send();
      expect({ status: res.status, code: res.body.error?.code, path: res.body.error?.details?.[0]?.path }).toEqual({
        status: 400,
        code: 'validation_failed',
        path,
      });
    }
    expect(await everything(db().db, s.corpId)).toEqual(before);
  });
});
