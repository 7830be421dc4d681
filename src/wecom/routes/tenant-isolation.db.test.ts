import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { addEmployees } from '../../modules/org/commands/add-org.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildEmployees, buildTagGroup, unique } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp, useWecomApp } from '../test-support.js';

describeDb("wecom tenant isolation: one corp's token never reaches another corp's rows", (db) => {
  const app = useWecomApp(db);

  async function corpWithData(sharedUserid: string) {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    // Both corps have a member with the same userid: userids are only unique within a corp.
    await withTx(systemContext(db().db, corp.corpId), (tx) => addEmployees(tx, [{ userid: sharedUserid, name: '张三', departmentIds: [1] }]));
    const [own] = (await buildEmployees(ctx, 1)) as [string];
    const customer = await buildCustomer(ctx, [sharedUserid, own]);
    const { group, tags } = await buildTagGroup(ctx, ['a', 'b']);
    return { ...corp, userid: own, customer, groupId: group.groupId, tagIds: tags.map((t) => t.tagId) };
  }

  it("refuses corp A's tag ids, userids and external_userids under corp B's token and changes nothing in either corp", async () => {
    const shared = unique('zhangsan');
    const a = await corpWithData(shared);
    const b = await corpWithData(shared);
    const post = (path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token: b.token, body });
    const get = (path: string, query: Record<string, string>) => callWecom(app(), `externalcontact/${path}`, { token: b.token, query });
    const beforeA = await snapshotCorp(db().db, a.corpId);
    const beforeB = await snapshotCorp(db().db, b.corpId);

    // Thunks, so the calls run one after another.
    const refused: [string, () => Promise<{ body: { errcode: number } }>, number][] = [
      ['add into A group', () => post('add_corp_tag', { group_id: a.groupId, tag: [{ name: 'x' }] }), 40068],
      ['edit A tag', () => post('edit_corp_tag', { id: a.tagIds[0], name: 'x' }), 40068],
      ['edit A group', () => post('edit_corp_tag', { id: a.groupId, name: 'x' }), 40068],
      ['delete A tag', () => post('del_corp_tag', { tag_id: [a.tagIds[0]] }), 40068],
      ['delete A group', () => post('del_corp_tag', { group_id: [a.groupId] }), 40068],
      ['mark as A member', () => post('mark_tag', { userid: a.userid, external_userid: a.customer, add_tag: [b.tagIds[0]] }), 40003],
      ['mark A customer', () => post('mark_tag', { userid: b.userid, external_userid: a.customer, add_tag: [b.tagIds[0]] }), 40096],
      ['mark with A tag', () => post('mark_tag', { userid: b.userid, external_userid: b.customer, add_tag: [a.tagIds[0]] }), 40068],
      ['shared userid, A customer', () => post('mark_tag', { userid: shared, external_userid: a.customer, add_tag: [b.tagIds[0]] }), 40096],
      ['remark A customer', () => post('remark', { userid: b.userid, external_userid: a.customer, remark: 'x' }), 40096],
      ['remark as A member', () => post('remark', { userid: a.userid, external_userid: a.customer, remark: 'x' }), 40003],
      ['list A member', () => get('list', { userid: a.userid }), 40003],
      ['get A customer', () => get('get', { external_userid: a.customer }), 40096],
      ['batch A member', () => post('batch/get_by_user', { userid_list: [a.userid] }), 40003],
    ];
    for (const [label, send, errcode] of refused) expect((await send()).body.errcode, label).toBe(errcode);

    const listing = await post('get_corp_tag_list', { tag_id: a.tagIds, group_id: [] });
    expect(listing.body).toEqual({ errcode: 0, errmsg: 'ok', tag_group: [] });
    expect((await post('get_corp_tag_list', { group_id: [a.groupId] })).body.tag_group).toEqual([]);
    // The shared userid sees only B's customer, and batch only B's relations.
    expect((await get('list', { userid: shared })).body.external_userid).toEqual([b.customer]);
    const batch = await post('batch/get_by_user', { userid_list: [shared] });
    expect(batch.body.external_contact_list.map((r: { external_contact: { external_userid: string } }) => r.external_contact.external_userid)).toEqual([
      b.customer,
    ]);

    expect(await snapshotCorp(db().db, a.corpId)).toEqual(beforeA);
    expect(await snapshotCorp(db().db, b.corpId)).toEqual(beforeB);

    const own = await callWecom(app(), 'externalcontact/get', { token: a.token, query: { external_userid: a.customer } });
    expect(own.body.follow_user.map((f: { userid: string }) => f.userid).sort()).toEqual([shared, a.userid].sort());
  });

  it("merges add_corp_tag by name only within the caller's corp", async () => {
    const a = await buildWecomCorp(app(), db().db);
    const b = await buildWecomCorp(app(), db().db);
    const inA = await callWecom(app(), 'externalcontact/add_corp_tag', { token: a.token, body: { group_name: '同名组', tag: [{ name: 'x' }] } });
    const inB = await callWecom(app(), 'externalcontact/add_corp_tag', { token: b.token, body: { group_name: '同名组', tag: [{ name: 'x' }] } });
    expect(inB.body.errcode).toBe(0);
    expect(inB.body.tag_group.group_id).not.toBe(inA.body.tag_group.group_id);
    const listA = await callWecom(app(), 'externalcontact/get_corp_tag_list', { token: a.token, body: {} });
    expect(listA.body.tag_group.map((g: { group_id: string }) => g.group_id)).toEqual([inA.body.tag_group.group_id]);
  });
});
