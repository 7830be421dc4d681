import { expect, it } from 'vitest';
import { buildRuleGroupOrg, buildStrategy } from '../../modules/strategies/test-support.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildCustomer, buildTagGroup } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp, useWecomApp } from '../test-support.js';

describeDb('wecom strategy tags (get/add/edit/del_strategy_tag)', (db) => {
  const app = useWecomApp(db);
  const call = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token, body });

  /** A corp with the rule-group org and one top-level rule group over 华东 (departments 2–3). */
  async function scene() {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const org = await buildRuleGroupOrg(ctx);
    const strategy = await buildStrategy(ctx, { adminList: [org.boss], range: [{ type: 2, deptId: 2 }] });
    return { corp, ctx, org, strategyId: strategy.strategyId };
  }

  it("add_strategy_tag answers the group as an object (doc 94882's example) and get_strategy_tag_list lists it with strategy_id, larger order first, without deleted flags", async () => {
    const { corp, strategyId } = await scene();
    const added = await call(corp.token, 'add_strategy_tag', {
      strategy_id: strategyId,
      group_id: '',
      group_name: 'GOURP_NAME',
      order: 1,
      tag: [{ name: 'NAME1', order: 1 }, { name: 'NAME2', order: 2 }, { name: 'NAME1' }],
    });
    expect(added.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      tag_group: {
        group_id: expect.any(String),
        group_name: 'GOURP_NAME',
        create_time: expect.any(Number),
        order: 1,
        tag: [
          { id: expect.any(String), name: 'NAME1', create_time: expect.any(Number), order: 1 },
          { id: expect.any(String), name: 'NAME2', create_time: expect.any(Number), order: 2 },
        ],
      },
    });
    const listed = await call(corp.token, 'get_strategy_tag_list', { strategy_id: strategyId, tag_id: [], group_id: [] });
    expect(listed.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      tag_group: [
        {
          group_id: added.body.tag_group.group_id,
          group_name: 'GOURP_NAME',
          create_time: expect.any(Number),
          order: 1,
          strategy_id: strategyId,
          tag: [
            { id: added.body.tag_group.tag[1].id, name: 'NAME2', create_time: expect.any(Number), order: 2 },
            { id: added.body.tag_group.tag[0].id, name: 'NAME1', create_time: expect.any(Number), order: 1 },
          ],
        },
      ],
    });
    expect(Math.abs(listed.body.tag_group[0].create_time - Date.now() / 1000)).toBeLessThan(600);
  });

  it('get_strategy_tag_list filters like get_corp_tag_list, leaves deleted items out even by id, and never lists corp tags', async () => {
    const { corp, ctx, org, strategyId } = await scene();
    const other = await buildStrategy(ctx, { adminList: [org.boss] });
    await buildTagGroup(ctx, ['corp'], '企业组');
    const g1 = (await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_name: '甲', tag: [{ name: 'a1' }, { name: 'a2' }] })).body
      .tag_group;
    const g2 = (await call(corp.token, 'add_strategy_tag', { strategy_id: other.strategyId, group_name: '乙', order: 9, tag: [{ name: 'b1' }] })).body
      .tag_group;
    expect((await call(corp.token, 'del_strategy_tag', { tag_id: [g1.tag[1].id] })).body).toEqual({ errcode: 0, errmsg: 'ok' });

    const names = (res: { body: { tag_group: { group_name: string; strategy_id: number; tag: { name: string }[] }[] } }) =>
      res.body.tag_group.map((g) => [g.group_name, g.strategy_id, g.tag.map((t) => t.name)]);
    expect(names(await call(corp.token, 'get_strategy_tag_list', {}))).toEqual([
      ['乙', other.strategyId, ['b1']],
      ['甲', strategyId, ['a1']],
    ]);
    expect(names(await call(corp.token, 'get_strategy_tag_list', { strategy_id: 0, group_id: [g1.group_id] }))).toEqual([['甲', strategyId, ['a1']]]);
    expect(names(await call(corp.token, 'get_strategy_tag_list', { tag_id: [g1.tag[1].id, g2.tag[0].id] }))).toEqual([['乙', other.strategyId, ['b1']]]);
    expect(names(await call(corp.token, 'get_strategy_tag_list', { tag_id: [g2.tag[0].id], group_id: [g1.group_id] }))).toEqual([['甲', strategyId, ['a1']]]);
    expect(names(await call(corp.token, 'get_strategy_tag_list', { strategy_id: strategyId, group_id: [g2.group_id] }))).toEqual([]);
    const listed = await call(corp.token, 'get_strategy_tag_list', { group_id: [g1.group_id] });
    expect(JSON.stringify(listed.body)).not.toContain('deleted');
  });

  it('add_strategy_tag merges by name within the rule group; edit_strategy_tag renames and reorders tags and groups; clashes are 40071', async () => {
    const { corp, strategyId } = await scene();
    const g = (await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_name: '等级', tag: [{ name: '高' }, { name: '低' }] })).body
      .tag_group;
    const merged = (await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_name: '等级', tag: [{ name: '中' }] })).body.tag_group;
    expect(merged.group_id).toBe(g.group_id);
    await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_name: '别组', tag: [{ name: 'x' }] });
    expect((await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_id: g.group_id, tag: [{ name: '高' }] })).body.errcode).toBe(40071);
    expect((await call(corp.token, 'edit_strategy_tag', { id: g.tag[0].id, name: '很高', order: 5 })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await call(corp.token, 'edit_strategy_tag', { id: g.group_id, name: '客户等级', order: 3 })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await call(corp.token, 'edit_strategy_tag', { id: g.tag[1].id, name: '很高' })).body.errcode).toBe(40071);
    expect((await call(corp.token, 'edit_strategy_tag', { id: g.group_id, name: '别组' })).body.errcode).toBe(40071);
    expect((await call(corp.token, 'edit_strategy_tag', { id: g.tag[1].id, name: '' })).body.errcode).toBe(40072);
    const listed = (await call(corp.token, 'get_strategy_tag_list', { group_id: [g.group_id] })).body.tag_group[0];
    expect(listed).toMatchObject({ group_name: '客户等级', order: 3, strategy_id: strategyId });
    expect(listed.tag.map((t: { name: string; order: number }) => [t.name, t.order])).toEqual([
      ['很高', 5],
      ['低', 0],
      ['中', 0],
    ]);
  });

  it('del_strategy_tag deletes tags and groups; the last tag takes its group along; corp tags stay out of reach both ways', async () => {
    const { corp, ctx, strategyId } = await scene();
    const corpGroup = await buildTagGroup(ctx, ['c'], '企业');
    const g1 = (await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_name: '甲', tag: [{ name: 'only' }] })).body.tag_group;
    const g2 = (await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_name: '乙', tag: [{ name: 'x' }, { name: 'y' }] })).body.tag_group;
    const before = await snapshotCorp(db().db, corp.corpId);
    expect((await call(corp.token, 'del_strategy_tag', { tag_id: [corpGroup.tags[0]!.tagId] })).body.errcode).toBe(40068);
    expect((await call(corp.token, 'del_strategy_tag', { group_id: [corpGroup.group.groupId] })).body.errcode).toBe(40068);
    expect((await call(corp.token, 'edit_strategy_tag', { id: corpGroup.tags[0]!.tagId, name: 'z' })).body.errcode).toBe(40068);
    expect((await call(corp.token, 'del_corp_tag', { tag_id: [g1.tag[0].id] })).body.errcode).toBe(40068);
    expect((await call(corp.token, 'edit_corp_tag', { id: g1.group_id, name: 'z' })).body.errcode).toBe(40068);
    expect((await call(corp.token, 'get_corp_tag_list', { group_id: [g1.group_id] })).body.tag_group).toEqual([]);
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);

    expect((await call(corp.token, 'del_strategy_tag', { tag_id: [g1.tag[0].id, g2.tag[0].id] })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    const live = (await call(corp.token, 'get_strategy_tag_list', {})).body.tag_group;
    expect(live.map((g: { group_name: string; tag: { name: string }[] }) => [g.group_name, g.tag.map((t) => t.name)])).toEqual([['乙', ['y']]]);
    expect((await call(corp.token, 'del_strategy_tag', { group_id: [g1.group_id] })).body.errcode).toBe(40068);
  });

  it("mark_tag takes a rule-group tag only on a range member's relation; externalcontact/get shows it as type 3", async () => {
    const { corp, ctx, org, strategyId } = await scene();
    const customer = await buildCustomer(ctx, [org.shanghai, org.beijing]);
    const g = (await call(corp.token, 'add_strategy_tag', { strategy_id: strategyId, group_name: '规则组标签', tag: [{ name: '华东' }] })).body.tag_group;
    // 华北 is outside the rule group's range (华东 and its subtree), as WeCom requires of mark_tag.
    const before = await snapshotCorp(db().db, corp.corpId);
    expect((await call(corp.token, 'mark_tag', { userid: org.beijing, external_userid: customer, add_tag: [g.tag[0].id] })).body.errcode).toBe(60011);
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);
    expect((await call(corp.token, 'mark_tag', { userid: org.shanghai, external_userid: customer, add_tag: [g.tag[0].id] })).body.errcode).toBe(0);
    const res = await callWecom(app(), 'externalcontact/get', { token: corp.token, query: { external_userid: customer } });
    const tagsOf = (userid: string) => res.body.follow_user.find((f: { userid: string }) => f.userid === userid).tags;
    expect(tagsOf(org.shanghai)).toEqual([{ group_name: '规则组标签', tag_name: '华东', tag_id: g.tag[0].id, type: 3 }]);
    expect(tagsOf(org.beijing)).toEqual([]);
  });
});
