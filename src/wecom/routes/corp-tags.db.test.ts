import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { tagGroups } from '../../db/schema/index.js';
import { describeDb } from '../../test/db.js';
import { appCtx, buildTagGroup } from '../../test/factories.js';
import { buildWecomCorp, callWecom, snapshotCorp, useWecomApp } from '../test-support.js';

describeDb('wecom corp tags (get/add/edit/del_corp_tag)', (db) => {
  const app = useWecomApp(db);
  const call = (token: string, path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token, body });

  it("get_corp_tag_list lists every live group in WeCom's shape, larger order first, without deleted flags", async () => {
    const corp = await buildWecomCorp(app(), db().db);
    await call(corp.token, 'add_corp_tag', {
      group_name: '客户等级',
      order: 1,
      tag: [
        { name: 'A级', order: 1 },
        { name: 'B级', order: 2 },
      ],
    });
    await call(corp.token, 'add_corp_tag', { group_name: '购买意向', order: 5, tag: [{ name: '高' }] });
    const res = await call(corp.token, 'get_corp_tag_list', {});
    expect(res.status).toBe(200);
    expect(res.body.errcode).toBe(0);
    expect(res.body.errmsg).toBe('ok');
    expect(res.body.tag_group.map((g: { group_name: string }) => g.group_name)).toEqual(['购买意向', '客户等级']);
    const grade = res.body.tag_group[1];
    expect(grade).toEqual({
      group_id: expect.any(String),
      group_name: '客户等级',
      create_time: expect.any(Number),
      order: 1,
      tag: [
        { id: expect.any(String), name: 'B级', create_time: expect.any(Number), order: 2 },
        { id: expect.any(String), name: 'A级', create_time: expect.any(Number), order: 1 },
      ],
    });
    // Unix seconds, not milliseconds.
    expect(Math.abs(grade.create_time - Date.now() / 1000)).toBeLessThan(600);
  });

  it('get_corp_tag_list answers gzip to clients that accept it, and reflects changes at once', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    await call(corp.token, 'add_corp_tag', { group_name: '甲', tag: [{ name: 'a' }] });
    const url = `/cgi-bin/externalcontact/get_corp_tag_list?access_token=${corp.token}`;
    const zipped = await app().inject({ method: 'POST', url, payload: {}, headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const plain = JSON.parse(gunzipSync(zipped.rawPayload).toString());
    expect(plain.tag_group.map((g: { group_name: string }) => g.group_name)).toEqual(['甲']);
    await call(corp.token, 'add_corp_tag', { group_name: '乙', tag: [{ name: 'b' }] });
    const after = await app().inject({ method: 'POST', url, payload: {} });
    expect(after.headers['content-encoding']).toBeUndefined();
    expect(
      after
        .json()
        .tag_group.map((g: { group_name: string }) => g.group_name)
        .sort(),
    ).toEqual(['乙', '甲']);
  });

  it('get_corp_tag_list filters by group_id, by tag_id, and by group_id alone when both are given; deleted items show only then', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const g1 = (await call(corp.token, 'add_corp_tag', { group_name: '甲', tag: [{ name: 'a1' }, { name: 'a2' }] })).body.tag_group;
    const g2 = (await call(corp.token, 'add_corp_tag', { group_name: '乙', tag: [{ name: 'b1' }] })).body.tag_group;
    const [a1, a2] = g1.tag;
    expect((await call(corp.token, 'del_corp_tag', { tag_id: [a2.id] })).body.errcode).toBe(0);

    const all = await call(corp.token, 'get_corp_tag_list', { tag_id: null, group_id: null });
    expect(all.body.tag_group.flatMap((g: { tag: { name: string; deleted?: boolean }[] }) => g.tag.map((t) => [t.name, t.deleted]))).toEqual([
      ['a1', undefined],
      ['b1', undefined],
    ]);

    const byGroup = await call(corp.token, 'get_corp_tag_list', { group_id: [g1.group_id] });
    expect(byGroup.body.tag_group).toHaveLength(1);
    expect(byGroup.body.tag_group[0].deleted).toBe(false);
    expect(byGroup.body.tag_group[0].tag.map((t: { id: string; deleted: boolean }) => [t.id, t.deleted])).toEqual([
      [a1.id, false],
      [a2.id, true],
    ]);

    const byTag = await call(corp.token, 'get_corp_tag_list', { tag_id: [a2.id, g2.tag[0].id] });
    expect(
      byTag.body.tag_group.map((g: { group_name: string; tag: { name: string; deleted: boolean }[] }) => [g.group_name, g.tag.map((t) => [t.name, t.deleted])]),
    ).toEqual([
      ['甲', [['a2', true]]],
      ['乙', [['b1', false]]],
    ]);

    const both = await call(corp.token, 'get_corp_tag_list', { tag_id: [a1.id], group_id: [g2.group_id] });
    expect(both.body.tag_group.map((g: { group_id: string }) => g.group_id)).toEqual([g2.group_id]);
    expect(both.body.tag_group[0].tag.map((t: { name: string }) => t.name)).toEqual(['b1']);

    const unknown = await call(corp.token, 'get_corp_tag_list', { tag_id: ['etNOPE'] });
    expect(unknown.body).toEqual({ errcode: 0, errmsg: 'ok', tag_group: [] });
  });

  it('add_corp_tag answers the group as an object, merges by group name, collapses duplicate names, and ignores group_name when group_id is given', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const created = await call(corp.token, 'add_corp_tag', {
      group_id: '',
      group_name: '客户等级',
      order: 3,
      tag: [{ name: 'A级', order: 2 }, { name: 'A级' }, { name: 'B级' }],
      agentid: 0,
    });
    expect(created.body).toEqual({
      errcode: 0,
      errmsg: 'ok',
      tag_group: {
        group_id: expect.any(String),
        group_name: '客户等级',
        create_time: expect.any(Number),
        order: 3,
        tag: [
          { id: expect.any(String), name: 'A级', create_time: expect.any(Number), order: 2 },
          { id: expect.any(String), name: 'B级', create_time: expect.any(Number), order: 0 },
        ],
      },
    });
    const groupId = created.body.tag_group.group_id;
    const merged = await call(corp.token, 'add_corp_tag', { group_name: '客户等级', tag: [{ name: 'C级' }] });
    expect(merged.body.tag_group.group_id).toBe(groupId);
    expect(merged.body.tag_group.tag.map((t: { name: string }) => t.name)).toEqual(['C级']);
    const byId = await call(corp.token, 'add_corp_tag', { group_id: groupId, group_name: '别的组', order: 9, tag: [{ name: 'D级' }] });
    expect(byId.body.tag_group).toMatchObject({ group_id: groupId, group_name: '客户等级', order: 3 });
    const list = await call(corp.token, 'get_corp_tag_list', {});
    expect(list.body.tag_group).toHaveLength(1);
    expect(list.body.tag_group[0].tag.map((t: { name: string }) => t.name).sort()).toEqual(['A级', 'B级', 'C级', 'D级']);
  });

  it('add_corp_tag refuses an empty tag list (41018), a clash (40071), names over 30 (40058) and over the corp limit (40072), changing nothing', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    await call(corp.token, 'add_corp_tag', { group_name: '组', tag: [{ name: '已有' }] });
    const before = await snapshotCorp(db().db, corp.corpId);
    const cases: [unknown, number][] = [
      [{ group_name: '新组', tag: [] }, 41018],
      [{ group_name: '新组' }, 41018],
      [{ group_name: '新组', tag: [{ order: 1 }] }, 41018],
      [{ group_name: '新组', tag: [{ name: '' }] }, 41018],
      [{ tag: [{ name: 'x' }] }, 41018],
      [{ group_name: '组', tag: [{ name: '新' }, { name: '已有' }] }, 40071],
      [{ group_name: '新组', tag: [{ name: '一'.repeat(31) }] }, 40058],
      [{ group_name: '组'.repeat(31), tag: [{ name: 'x' }] }, 40058],
      [{ group_name: '新组', tag: [{ name: '一'.repeat(17) }] }, 40072],
      [{ group_name: '新组', tag: [{ name: 'x', order: -1 }] }, 40058],
      [{ group_name: '新组', tag: [{ name: 5 }] }, 40058],
      [{ group_id: 'etNOPE', tag: [{ name: 'x' }] }, 40068],
    ];
    for (const [body, errcode] of cases) {
      const res = await call(corp.token, 'add_corp_tag', body);
      expect(res.body.errcode, JSON.stringify(body)).toBe(errcode);
      expect(res.body.tag_group, JSON.stringify(body)).toEqual({});
    }
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);
  });

  it('edit_corp_tag renames and reorders both tags and groups through one id field', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const g = (await call(corp.token, 'add_corp_tag', { group_name: '旧组名', tag: [{ name: '旧', order: 1 }, { name: '其他' }] })).body.tag_group;
    expect((await call(corp.token, 'edit_corp_tag', { id: g.tag[0].id, name: '新', order: 7 })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await call(corp.token, 'edit_corp_tag', { id: g.group_id, name: '新组名' })).body).toEqual({ errcode: 0, errmsg: 'ok' });
    // Only the order changes when the name is left out or null (an empty name is 40072, as WeCom answers).
    expect((await call(corp.token, 'edit_corp_tag', { id: g.group_id, name: null, order: 4, agent_id: '' })).body.errcode).toBe(0);
    const listed = (await call(corp.token, 'get_corp_tag_list', {})).body.tag_group[0];
    expect(listed).toMatchObject({ group_id: g.group_id, group_name: '新组名', order: 4 });
    expect(listed.tag.map((t: { name: string; order: number }) => [t.name, t.order])).toEqual([
      ['新', 7],
      ['其他', 0],
    ]);
  });

  it('edit_corp_tag refuses a missing id (41017), an unknown or deleted id (40068), clashes (40071), long and empty names (40072)', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const g = (await call(corp.token, 'add_corp_tag', { group_name: '组一', tag: [{ name: 'a' }, { name: 'b' }, { name: 'gone' }] })).body.tag_group;
    await call(corp.token, 'add_corp_tag', { group_name: '组二', tag: [{ name: 'z' }] });
    await call(corp.token, 'del_corp_tag', { tag_id: [g.tag[2].id] });
    const before = await snapshotCorp(db().db, corp.corpId);
    const cases: [unknown, number][] = [
      [{ name: 'x' }, 41017],
      [{ id: '', name: 'x' }, 41017],
      [{ id: 'etNOPE', name: 'x' }, 40068],
      [{ id: g.tag[2].id, name: 'x' }, 40068],
      [{ id: g.tag[0].id, name: 'b' }, 40071],
      [{ id: g.group_id, name: '组二' }, 40071],
      [{ id: g.tag[0].id, name: 'x'.repeat(31) }, 40058],
      [{ id: g.tag[0].id, name: 'x'.repeat(17) }, 40072],
      [{ id: g.tag[0].id, name: '' }, 40072],
      [{ id: g.group_id, name: '', order: 4 }, 40072],
      [{ id: g.tag[0].id, name: '\u3000\u200b' }, 40072],
      [{ id: g.tag[0].id, order: 'high' }, 40058],
    ];
    for (const [body, errcode] of cases) {
      const res = await call(corp.token, 'edit_corp_tag', body);
      expect(res.body.errcode, JSON.stringify(body)).toBe(errcode);
      expect(Object.keys(res.body).sort()).toEqual(['errcode', 'errmsg']);
    }
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);
  });

  it("edit_corp_tag does not reach tags outside corp groups (a strategy or smart group's)", async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const ctx = appCtx(db().db, corp.corpId);
    const { tags } = await buildTagGroup(ctx, ['x']);
    await db().db.update(tagGroups).set({ kind: 'smart' }).where(eq(tagGroups.groupId, tags[0]!.groupId));
    const before = await snapshotCorp(db().db, corp.corpId);
    expect((await call(corp.token, 'edit_corp_tag', { id: tags[0]!.tagId, name: 'y' })).body.errcode).toBe(40068);
    expect((await call(corp.token, 'edit_corp_tag', { id: tags[0]!.groupId, name: 'y' })).body.errcode).toBe(40068);
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);
  });

  it('del_corp_tag deletes tags and groups; deleting the last tag deletes its group; both lists empty is 41017', async () => {
    const corp = await buildWecomCorp(app(), db().db);
    const g1 = (await call(corp.token, 'add_corp_tag', { group_name: '甲', tag: [{ name: 'only' }] })).body.tag_group;
    const g2 = (await call(corp.token, 'add_corp_tag', { group_name: '乙', tag: [{ name: 'x' }, { name: 'y' }] })).body.tag_group;
    const g3 = (await call(corp.token, 'add_corp_tag', { group_name: '丙', tag: [{ name: 'z' }] })).body.tag_group;

    const before = await snapshotCorp(db().db, corp.corpId);
    for (const body of [{}, { tag_id: [], group_id: [] }, { tag_id: null, group_id: null, agent_id: '' }]) {
      const res = await call(corp.token, 'del_corp_tag', body);
      expect(res.body.errcode, JSON.stringify(body)).toBe(41017);
    }
    expect((await call(corp.token, 'del_corp_tag', { tag_id: [g2.tag[0].id, 'etNOPE'] })).body.errcode).toBe(40068);
    expect((await call(corp.token, 'del_corp_tag', { group_id: ['etNOPE'] })).body.errcode).toBe(40068);
    expect(await snapshotCorp(db().db, corp.corpId)).toEqual(before);

    expect((await call(corp.token, 'del_corp_tag', { tag_id: [g1.tag[0].id, g2.tag[0].id], group_id: [g3.group_id] })).body).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    const live = (await call(corp.token, 'get_corp_tag_list', {})).body.tag_group;
    expect(live.map((g: { group_name: string; tag: { name: string }[] }) => [g.group_name, g.tag.map((t) => t.name)])).toEqual([['乙', ['y']]]);
    const gone = (await call(corp.token, 'get_corp_tag_list', { group_id: [g1.group_id, g3.group_id] })).body.tag_group;
    expect(gone.map((g: { deleted: boolean; tag: { deleted: boolean }[] }) => [g.deleted, g.tag.map((t) => t.deleted)])).toEqual([
      [true, [true]],
      [true, [true]],
    ]);
    // A deleted id is unknown from then on.
    expect((await call(corp.token, 'del_corp_tag', { group_id: [g1.group_id] })).body.errcode).toBe(40068);
  });
});
