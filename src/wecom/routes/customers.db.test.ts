import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { corps, strategies, strategyRanges, tagGroups, tags } from '../../db/schema/index.js';
import { addCustomers } from '../../modules/customers/commands/add-customers.js';
import { markTags } from '../../modules/customers/commands/mark-tags.js';
import { createPersonalTag } from '../../modules/tags/commands/personal-tags.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildEmployees, buildTagGroup, employeeCtx, unique } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp, useWecomApp } from '../test-support.js';
import { followUsersPerPage } from './customers.js';

describeDb('wecom customers (mark_tag, list, get, batch/get_by_user, remark)', (db) => {
  const app = useWecomApp(db);
  const post = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token, body });
  const get = (token: string, path: string, query: Record<string, string>) => callWecom(app(), `externalcontact/${path}`, { token, query });

  /** A corp with two members, a customer both follow, and a group of three tags. */
  async function scene() {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const [u1, u2] = (await buildEmployees(ctx, 2)) as [string, string];
    const customer = await buildCustomer(ctx, [u1, u2], { name: '李四', gender: 1 });
    const group = await buildTagGroup(ctx, ['高', '中', '低'], '意向');
    return { corp, ctx, u1, u2, customer, group, tagIds: group.tags.map((t) => t.tagId) as [string, string, string] };
  }

  it('mark_tag puts several tags of one group on a relation and takes them off again', async () => {
    const { corp, u1, u2, customer, tagIds } = await scene();
    const add = await post(corp.token, 'mark_tag', { userid: u1, external_userid: customer, add_tag: [tagIds[0], tagIds[1]], remove_tag: null });
    expect(add.body).toEqual({ errcode: 0, errmsg: 'ok' });
    const detail = (await get(corp.token, 'get', { external_userid: customer })).body;
    const mine = detail.follow_user.find((f: { userid: string }) => f.userid === u1);
    expect(mine.tags.map((t: { tag_id: string }) => t.tag_id).sort()).toEqual([tagIds[0], tagIds[1]].sort());
    // Tags hang off the relation: the other member's relation is untouched.
    expect(detail.follow_user.find((f: { userid: string }) => f.userid === u2).tags).toEqual([]);
    expect((await post(corp.token, 'mark_tag', { userid: u1, external_userid: customer, add_tag: [tagIds[2]], remove_tag: [tagIds[0]] })).body.errcode).toBe(0);
    const after = (await get(corp.token, 'get', { external_userid: customer })).body.follow_user.find((f: { userid: string }) => f.userid === u1);
    expect(after.tags.map((t: { tag_id: string }) => t.tag_id).sort()).toEqual([tagIds[1], tagIds[2]].sort());
  });

  it('mark_tag refuses, changing nothing: no relation 84061, unknown member 40003, unknown customer 40096, unknown tag 40068, nothing to do 40058', async () => {
    const { corp, ctx, u1, customer, tagIds } = await scene();
    const [loner] = (await buildEmployees(ctx, 1)) as [string];
    const before = await snapshotCorp(db().db, corp.corpId);
    const cases: [unknown, number][] = [
      [{ userid: loner, external_userid: customer, add_tag: [tagIds[0]] }, 84061],
      [{ userid: 'nobody', external_userid: customer, add_tag: [tagIds[0]] }, 40003],
      [{ userid: u1, external_userid: 'wmNOPE', add_tag: [tagIds[0]] }, 40096],
      [{ userid: u1, external_userid: customer, add_tag: [tagIds[0], 'etNOPE'] }, 40068],
      [{ userid: u1, external_userid: customer, remove_tag: ['etNOPE'] }, 40068],
      [{ userid: u1, external_userid: customer, add_tag: [], remove_tag: [] }, 40058],
      [{ userid: u1, external_userid: customer }, 40058],
      [{ external_userid: customer, add_tag: [tagIds[0]] }, 40003],
      [{ userid: u1, add_tag: [tagIds[0]] }, 41035],
      [{ userid: u1, external_userid: customer, add_tag: tagIds[0] }, 40058],
    ];
    for (const [body, errcode] of cases) {
      const res = await post(corp.token, 'mark_tag', body);
      expect(res.body.errcode, JSON.stringify(body)).toBe(errcode);
    }
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);
  });

  it('get_follow_user_list lists the active members, and keeps follow_user on errors', async () => {
    const { corp, u1, u2 } = await scene();
    expect((await get(corp.token, 'get_follow_user_list', {})).body).toEqual({ errcode: 0, errmsg: 'ok', follow_user: [u1, u2].sort() });
    expect((await get('garbled', 'get_follow_user_list', {})).body).toMatchObject({ errcode: 40014, follow_user: [] });
  });

  it('list gives the external_userids a member follows; an unknown or missing userid is 40003', async () => {
    const { corp, ctx, u1, u2, customer } = await scene();
    const second = await buildCustomer(ctx, [u1]);
    expect((await get(corp.token, 'list', { userid: u1 })).body).toEqual({ errcode: 0, errmsg: 'ok', external_userid: [customer, second] });
    expect((await get(corp.token, 'list', { userid: u2 })).body.external_userid).toEqual([customer]);
    expect((await get(corp.token, 'list', { userid: 'nobody' })).body).toMatchObject({ errcode: 40003, external_userid: [] });
    expect((await get(corp.token, 'list', {})).body).toMatchObject({ errcode: 40003, external_userid: [] });
  });

  it('get shows the customer and each follow user with corp (1), personal (2, no tag_id) and rule-group (3) tags', async () => {
    const { corp, u1, u2, customer, tagIds } = await scene();
    // Rule-group tags have no command yet (issue 3); a row stands in for one.
    const strategyGroupId = unique('st');
    const strategyTagId = unique('st');
    await db()
      .db.insert(tagGroups)
      .values({ corpId: corp.corpId, groupId: strategyGroupId, name: '规则组标签', nameKey: '规则组标签', kind: 'strategy', strategyId: 1 });
    await db().db.insert(tags).values({ corpId: corp.corpId, tagId: strategyTagId, groupId: strategyGroupId, name: '华东', nameKey: '华东' });
    // Strategy tags go only on relations of members inside the rule group's range.
    await db().db.insert(strategies).values({ corpId: corp.corpId, strategyId: 1, name: '华东规则组' });
    await db().db.insert(strategyRanges).values({ corpId: corp.corpId, strategyId: 1, type: 1, node: u1 });
    await db()
      .db.update(corps)
      .set({ orgVersion: sql`${corps.orgVersion} + 1` })
      .where(eq(corps.corpId, corp.corpId));
    const personal = await withTx(employeeCtx(db().db, corp.corpId, u1), (tx) => createPersonalTag(tx, { name: '老朋友', groupName: '我的' }));
    await withTx(employeeCtx(db().db, corp.corpId, u1), (tx) => markTags(tx, { userid: u1, externalUserid: customer, add: [personal.tagId] }));
    await post(corp.token, 'mark_tag', { userid: u1, external_userid: customer, add_tag: [tagIds[0], strategyTagId] });
    await post(corp.token, 'remark', { userid: u1, external_userid: customer, remark: '李部长', description: '大客户' });

    const res = await get(corp.token, 'get', { external_userid: customer });
    expect(res.body).toMatchObject({ errcode: 0, errmsg: 'ok', next_cursor: '' });
    expect(res.body.external_contact).toEqual({ external_userid: customer, name: '李四', type: 1, gender: 1, avatar: '' });
    const [first, second] = res.body.follow_user;
    expect(first).toMatchObject({
      userid: u1,
      remark: '李部长',
      description: '大客户',
      createtime: expect.any(Number),
      oper_userid: u1,
      add_way: 0,
      remark_mobiles: [],
    });
    expect(first.tags).toEqual(
      expect.arrayContaining([
        { group_name: '意向', tag_name: '高', tag_id: tagIds[0], type: 1 },
        { group_name: '我的', tag_name: '老朋友', type: 2 },
        { group_name: '规则组标签', tag_name: '华东', tag_id: strategyTagId, type: 3 },
      ]),
    );
    expect(first.tags).toHaveLength(3);
    expect(second).toMatchObject({ userid: u2, remark: '', tags: [] });
  });

  it('get refuses a missing (41035) or unknown (40096) external_userid and a bad cursor (50100), keeping the empty fields', async () => {
    const { corp, customer } = await scene();
    expect((await get(corp.token, 'get', {})).body).toMatchObject({ errcode: 41035, external_contact: {}, follow_user: [] });
    expect((await get(corp.token, 'get', { external_userid: 'wmNOPE' })).body).toMatchObject({ errcode: 40096, external_contact: {}, follow_user: [] });
    expect((await get(corp.token, 'get', { external_userid: customer, cursor: 'garbage' })).body).toMatchObject({
      errcode: 50100,
      external_contact: {},
      follow_user: [],
    });
  });

  it(`get pages follow users past ${followUsersPerPage} with next_cursor`, async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const members = await buildEmployees(ctx, followUsersPerPage + 3);
    const customer = await buildCustomer(ctx, members);
    const first = (await get(corp.token, 'get', { external_userid: customer })).body;
    expect(first.follow_user).toHaveLength(followUsersPerPage);
    expect(first.next_cursor).not.toBe('');
    const second = (await get(corp.token, 'get', { external_userid: customer, cursor: first.next_cursor })).body;
    expect(second.follow_user).toHaveLength(3);
    expect(second.next_cursor).toBe('');
    const seen = [...first.follow_user, ...second.follow_user].map((f: { userid: string }) => f.userid);
    expect(new Set(seen).size).toBe(members.length);
  });

  it('batch/get_by_user pages through more relations than the limit with cursors; follow_info carries tag_id without personal tags', async () => {
    const { corp, ctx, u1, u2, customer, tagIds } = await scene();
    for (let i = 0; i < 4; i += 1) await buildCustomer(ctx, [u1]);
    await post(corp.token, 'mark_tag', { userid: u1, external_userid: customer, add_tag: [tagIds[1]] });
    const personal = await withTx(employeeCtx(db().db, corp.corpId, u1), (tx) => createPersonalTag(tx, { name: '私' }));
    await withTx(employeeCtx(db().db, corp.corpId, u1), (tx) => markTags(tx, { userid: u1, externalUserid: customer, add: [personal.tagId] }));

    const rows: { external_contact: { external_userid: string }; follow_info: { userid: string; tag_id: string[] } }[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const res = await post(corp.token, 'batch/get_by_user', { userid_list: [u1, u2], cursor, limit: 2 });
      expect(res.body.errcode).toBe(0);
      expect(res.body.external_contact_list.length).toBeLessThanOrEqual(2);
      rows.push(...res.body.external_contact_list);
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor !== '' && pages < 10);
    expect(pages).toBe(3);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => `${r.follow_info.userid}|${r.external_contact.external_userid}`)).size).toBe(6);
    const tagged = rows.find((r) => r.follow_info.userid === u1 && r.external_contact.external_userid === customer)!;
    expect(tagged.follow_info.tag_id).toEqual([tagIds[1]]);
    expect(tagged.follow_info).not.toHaveProperty('tags');
    expect(tagged.external_contact).toMatchObject({ external_userid: customer, name: '李四' });

    // The old single-userid form and the default limit.
    const old = await post(corp.token, 'batch/get_by_user', { userid: u2 });
    expect(old.body).toMatchObject({ errcode: 0, next_cursor: '' });
    expect(old.body.external_contact_list).toHaveLength(1);
  });

  it('batch/get_by_user clamps a limit over 100 to 100, as WeCom does', async () => {
    const { corp, u1 } = await scene();
    await withTx(systemContext(db().db, corp.corpId), (tx) =>
      addCustomers(
        tx,
        Array.from({ length: 105 }, (_, i) => ({ name: `客户${i}`, follows: [{ userid: u1 }] })),
      ),
    );
    const res = await post(corp.token, 'batch/get_by_user', { userid_list: [u1], limit: 1000 });
    expect(res.body.errcode).toBe(0);
    expect(res.body.external_contact_list).toHaveLength(100);
    expect(res.body.next_cursor).not.toBe('');
  });

  it('batch/get_by_user refuses a negative limit, over 100 userids, no userids, an unknown userid and a bad cursor', async () => {
    const { corp, u1 } = await scene();
    const cases: [unknown, number][] = [
      [{ userid_list: [u1], limit: -1 }, 40058],
      [{ userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`) }, 40058],
      [{ userid_list: [] }, 40003],
      [{}, 40003],
      [{ userid_list: [u1, 'nobody'] }, 40003],
      [{ userid_list: [u1], cursor: 'garbage' }, 50100],
    ];
    for (const [body, errcode] of cases) {
      const res = await post(corp.token, 'batch/get_by_user', body);
      expect(res.body, JSON.stringify(body).slice(0, 80)).toMatchObject({ errcode, external_contact_list: [], next_cursor: '' });
    }
  });

  it('remark edits the relation; mobiles [""] clears them; bad input and missing relations change nothing', async () => {
    const { corp, ctx, u1, customer } = await scene();
    const ok = await post(corp.token, 'remark', {
      userid: u1,
      external_userid: customer,
      remark: '李总',
      description: '重点',
      remark_company: '腾讯',
      remark_mobiles: ['13800000000'],
      remark_pic_mediaid: 'MEDIAID',
    });
    expect(ok.body).toEqual({ errcode: 0, errmsg: 'ok' });
    let mine = (await get(corp.token, 'get', { external_userid: customer })).body.follow_user.find((f: { userid: string }) => f.userid === u1);
    expect(mine).toMatchObject({ remark: '李总', description: '重点', remark_corp_name: '腾讯', remark_mobiles: ['13800000000'] });
    expect((await post(corp.token, 'remark', { userid: u1, external_userid: customer, remark_mobiles: [''] })).body.errcode).toBe(0);
    mine = (await get(corp.token, 'get', { external_userid: customer })).body.follow_user.find((f: { userid: string }) => f.userid === u1);
    expect(mine).toMatchObject({ remark: '李总', remark_mobiles: [] });

    const [loner] = (await buildEmployees(ctx, 1)) as [string];
    const before = await snapshotCorp(db().db, corp.corpId);
    const cases: [unknown, number][] = [
      [{ userid: loner, external_userid: customer, remark: 'x' }, 84061],
      [{ userid: 'nobody', external_userid: customer, remark: 'x' }, 40003],
      [{ userid: u1, external_userid: 'wmNOPE', remark: 'x' }, 40096],
      [{ external_userid: customer, remark: 'x' }, 40003],
      [{ userid: u1, remark: 'x' }, 41035],
      [{ userid: u1, external_userid: customer, remark: 'x'.repeat(21) }, 40058],
      [{ userid: u1, external_userid: customer, description: 'x'.repeat(151) }, 40058],
      [{ userid: u1, external_userid: customer, remark: 7 }, 40058],
    ];
    for (const [body, errcode] of cases) {
      const res = await post(corp.token, 'remark', body);
      expect(res.body.errcode, JSON.stringify(body)).toBe(errcode);
    }
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);
  });
});
