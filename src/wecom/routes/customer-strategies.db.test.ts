import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { addDepartments, addEmployees } from '../../modules/org/commands/add-org.js';
import { optionalPrivileges } from '../../modules/strategies/privileges.js';
import { buildRuleGroupOrg } from '../../modules/strategies/test-support.js';
import { describeDb } from '../../test/db.js';
import { appCtx } from '../../test/factories.js';
import { buildWecomCorp, callWecom, useWecomApp } from '../test-support.js';

describeDb('wecom customer rule groups (customer_strategy/list|get|get_range|create|edit|del)', (db) => {
  const app = useWecomApp(db);
  const call = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/customer_strategy/${path}`, { token, body });

  // doc 94883's create example, verbatim apart from the privilege flags it lists.
  const privilege = {
    view_customer_list: true,
    view_customer_data: true,
    view_room_list: true,
    contact_me: true,
    join_room: true,
    share_customer: false,
    oper_resign_customer: true,
    send_customer_msg: true,
    edit_welcome_msg: true,
    view_behavior_data: true,
    view_room_data: true,
    send_group_msg: true,
    room_deduplication: true,
    rapid_reply: true,
    onjob_customer_transfer: true,
    edit_anti_spam_rule: true,
    export_customer_list: true,
    export_customer_data: true,
    export_customer_group_list: true,
    manage_customer_tag: true,
  };
  const docCreate = {
    parent_id: 0,
    strategy_name: 'NAME',
    admin_list: ['zhangsan', 'lisi'],
    privilege,
    range: [
      { type: 1, userid: 'zhangsan' },
      { type: 2, partyid: 1 },
    ],
  };

  async function docCorp() {
    const corp = await buildWecomCorp(app(), db().db);
    await withTx(systemContext(db().db, corp.corpId), async (tx) => {
      await addDepartments(tx, [
        { deptId: 1, name: '总部' },
        { deptId: 2, name: '华东', parentId: 1 },
      ]);
      await addEmployees(tx, [
        { userid: 'zhangsan', name: '张三', departmentIds: [1] },
        { userid: 'lisi', name: '李四', departmentIds: [2] },
      ]);
    });
    return corp;
  }

  it("create, get and get_range answer doc 94883's examples", async () => {
    const corp = await docCorp();
    expect((await call(corp.token, 'create', docCreate)).body).toEqual({ errcode: 0, errmsg: 'ok', strategy_id: 1 });
    const got = await call(corp.token, 'get', { strategy_id: 1 });
    expect(got.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      strategy: {
        strategy_id: 1,
        parent_id: 0,
        strategy_name: 'NAME',
        create_time: expect.any(Number),
        admin_list: ['zhangsan', 'lisi'],
        privilege: { ...privilege, oper_resign_group: false },
      },
    });
    expect(Object.keys(got.body.strategy.privilege).sort()).toEqual(
      [...optionalPrivileges, 'view_customer_list', 'view_customer_data', 'view_room_list', 'contact_me', 'join_room'].sort(),
    );
    expect(Math.abs(got.body.strategy.create_time - Date.now() / 1000)).toBeLessThan(600);
    expect((await call(corp.token, 'get_range', { strategy_id: 1, cursor: '', limit: 1000 })).body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      range: [
        { type: 1, userid: 'zhangsan' },
        { type: 2, partyid: 1 },
      ],
    });
  });

  it('list and get_range page with next_cursor, which is absent on the last page; limit over 1000 clamps; a foreign cursor is 50100', async () => {
    const corp = await docCorp();
    for (let i = 0; i < 3; i += 1) expect((await call(corp.token, 'create', { ...docCreate, strategy_name: `组${i}` })).body.errcode).toBe(0);
    const first = await call(corp.token, 'list', { cursor: '', limit: 2 });
    expect(first.body).toEqual({ errcode: 0, errmsg: 'ok', strategy: [{ strategy_id: 1 }, { strategy_id: 2 }], next_cursor: expect.any(String) });
    const second = await call(corp.token, 'list', { cursor: first.body.next_cursor, limit: 2 });
    expect(second.body).toEqual({ errcode: 0, errmsg: 'ok', strategy: [{ strategy_id: 3 }] });
    expect((await call(corp.token, 'list', { limit: 5000 })).body.strategy).toHaveLength(3);
    expect((await call(corp.token, 'list', {})).body.strategy).toHaveLength(3);

    const range = Array.from({ length: 2 }, (_, i) => ({ type: 2, partyid: i + 1 }));
    await call(corp.token, 'edit', { strategy_id: 1, range_add: range });
    const pages: unknown[] = [];
    let cursor = '';
    for (let n = 0; n < 5; n += 1) {
      const page = (await call(corp.token, 'get_range', { strategy_id: 1, cursor, limit: 1 })).body;
      expect(page.errcode).toBe(0);
      pages.push(...page.range);
      if (!('next_cursor' in page)) break;
      cursor = page.next_cursor;
    }
    expect(pages).toEqual([
      { type: 1, userid: 'zhangsan' },
      { type: 2, partyid: 1 },
      { type: 2, partyid: 2 },
    ]);
    expect((await call(corp.token, 'get_range', { strategy_id: 1, cursor: first.body.next_cursor })).body).toMatchObject({ errcode: 50100, range: [] });
    expect((await call(corp.token, 'list', { cursor: 'garbage' })).body).toMatchObject({ errcode: 50100, strategy: [] });
  });

  it("edit overwrites non-empty fields only, adds and removes range nodes; a child reports its parent's privilege; del removes the group", async () => {
    const corp = await docCorp();
    await call(corp.token, 'create', docCreate);
    const edit = await call(corp.token, 'edit', {
      strategy_id: 1,
      strategy_name: '',
      admin_list: [],
      privilege: {},
      range_add: [{ type: 2, partyid: 2, userid: '' }],
      range_del: [{ type: 1, userid: 'zhangsan', partyid: 0 }],
    });
    expect(edit.body).toEqual({ errcode: 0, errmsg: 'ok' });
    const got = (await call(corp.token, 'get', { strategy_id: 1 })).body.strategy;
    expect(got).toMatchObject({ strategy_name: 'NAME', admin_list: ['zhangsan', 'lisi'], privilege: { share_customer: false } });
    expect((await call(corp.token, 'get_range', { strategy_id: 1 })).body.range).toEqual([
      { type: 2, partyid: 1 },
      { type: 2, partyid: 2 },
    ]);
    await call(corp.token, 'edit', { strategy_id: 1, strategy_name: '新名', admin_list: ['lisi'], privilege: { share_customer: true } });
    expect((await call(corp.token, 'get', { strategy_id: 1 })).body.strategy).toMatchObject({
      strategy_name: '新名',
      admin_list: ['lisi'],
      privilege: { share_customer: true, manage_customer_tag: true, rapid_reply: false },
    });

    const child = await call(corp.token, 'create', {
      parent_id: 1,
      strategy_name: '子组',
      admin_list: ['lisi'],
      privilege: { share_customer: false },
      range: [{ type: 1, userid: 'lisi' }],
    });
    expect(child.body).toEqual({ errcode: 0, errmsg: 'ok', strategy_id: 2 });
    expect((await call(corp.token, 'get', { strategy_id: 2 })).body.strategy).toMatchObject({ parent_id: 1, privilege: { share_customer: true } });
    expect((await call(corp.token, 'del', { strategy_id: 1 })).body.errcode).toBe(40058);
    expect((await call(corp.token, 'del', { strategy_id: 2 })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await call(corp.token, 'get', { strategy_id: 2 })).body).toMatchObject({ errcode: 40068, strategy: {} });
    expect((await call(corp.token, 'list', {})).body.strategy).toEqual([{ strategy_id: 1 }]);
  });

  it('create refuses a child range outside the parent (40058), nesting past 5 (40058), unknown members (40003) and departments (60123)', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const org = await buildRuleGroupOrg(appCtx(db().db, corp.corpId));
    const top = (await call(corp.token, 'create', { strategy_name: '华东', admin_list: [org.boss], range: [{ type: 2, partyid: 2 }] })).body.strategy_id;
    const child = (p: number, range: unknown[]) => call(corp.token, 'create', { parent_id: p, strategy_name: '子', admin_list: [org.boss], range });
    expect((await child(top, [{ type: 2, partyid: 4 }])).body.errcode).toBe(40058);
    expect((await child(top, [{ type: 1, userid: org.beijing }])).body.errcode).toBe(40058);
    let parent = top;
    for (let depth = 2; depth <= 5; depth += 1) {
      const res = await child(parent, [
        { type: 2, partyid: 3 },
        { type: 1, userid: org.shanghai },
      ]);
      expect(res.body.errcode, `depth ${depth}`).toBe(0);
      parent = res.body.strategy_id;
    }
    expect((await child(parent, [])).body.errcode).toBe(40058);
    expect((await call(corp.token, 'create', { strategy_name: 'x', admin_list: ['nobody'] })).body.errcode).toBe(40003);
    expect((await call(corp.token, 'create', { strategy_name: 'x', admin_list: [org.boss], range: [{ type: 1, userid: 'nobody' }] })).body.errcode).toBe(40003);
    expect((await call(corp.token, 'create', { strategy_name: 'x', admin_list: [org.boss], range: [{ type: 2, partyid: 99 }] })).body.errcode).toBe(60123);
    expect((await call(corp.token, 'list', {})).body.strategy).toHaveLength(5);
  });
});
