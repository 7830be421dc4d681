import { expect, it } from 'vitest';
import { systemContext, withTx } from '../context.js';
import { addDepartments } from '../modules/org/commands/add-org.js';
import { apiClient, expectRefused, useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { buildCorp, buildCustomer, buildEmployees } from '../test/factories.js';
import { expectOrgRefused } from '../test/session.js';
import { callWecom, fetchToken, snapshotCorp } from '../wecom/test-support.js';

describeDb('names a person sees as the same are one name (issue 12 §6)', (db) => {
  const app = useTestApp(db);

  async function scene() {
    const corp = await buildCorp(db().db);
    await withTx(systemContext(db().db, corp.corpId), (tx) =>
      addDepartments(tx, [
        { deptId: 1, name: '总部', parentId: 0 },
        { deptId: 2, name: 'HQ华东', parentId: 1 },
      ]),
    );
    const [staff] = await buildEmployees(corp.ctx, 1, 'staff');
    const customer = await buildCustomer(corp.ctx, [staff!]);
    return { ...corp, key: corp.secret, staff: staff!, customer, api: apiClient(app, corp.secret), token: await fetchToken(app(), corp.corpId, corp.secret) };
  }

  it('tag groups and tags: café in NFC and NFD, VIP, VIP + U+200B, ＶＩＰ and vip, 客户等级 + U+200B clash in one group; names are stored in NFC without invisible ends', async () => {
    const s = await scene();
    const created = await s.api.post('/tag-groups', { name: '\u3000客户等级\u200b', tags: [{ name: 'cafe\u0301' }, { name: 'VIP' }, { name: '👨‍👩‍👧' }] });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('客户等级');
    expect(created.body.tags.map((t: { name: string }) => t.name)).toEqual(['café', 'VIP', '👨‍👩‍👧']);
    const groupId = created.body.groupId as string;
    const vip = created.body.tags[1].tagId as string;

    for (const name of ['客户等级', '客户等级\u200b', '\uFEFF客户等级\u3000'])
      await expectRefused(db().db, s.corpId, () => s.api.post('/tag-groups', { name, tags: [{ name: 'x' }] }), 409, 'name_taken');
    // Inside a name an invisible character is refused outright, so no look-alike gets in that way either.
    await expectRefused(db().db, s.corpId, () => s.api.post('/tag-groups', { name: '客户\u2060等级', tags: [{ name: 'x' }] }), 400, 'validation_failed');
    for (const name of ['café', 'VIP\u200b', 'ＶＩＰ', 'vip', 'Ｖip\u2060']) {
      const res = await expectRefused(db().db, s.corpId, () => s.api.post(`/tag-groups/${groupId}/tags`, { tags: [{ name }] }), 409, 'name_taken');
      expect(res.body.error.message).toMatch(/already has "(café|VIP)"/);
    }
    // A family is not three people standing side by side.
    expect((await s.api.post(`/tag-groups/${groupId}/tags`, { tags: [{ name: '👨👩👧' }] })).status).toBe(201);
    // Renaming to a sibling's look-alike clashes; to a look-alike of its own name is a rename.
    const cafe = created.body.tags[0].tagId as string;
    await expectRefused(db().db, s.corpId, () => s.api.patch(`/tags/${cafe}`, { name: 'ｖｉｐ' }), 409, 'name_taken');
    expect((await s.api.patch(`/tags/${vip}`, { name: 'Vip' })).body.name).toBe('Vip');

    // One request naming the same tag twice in different spellings makes one tag, as WeCom collapses duplicates.
    const once = await s.api.post('/tag-groups', { name: '会员', tags: [{ name: '金卡' }, { name: '金卡\u200b' }, { name: 'ＧＯＬＤ' }, { name: 'gold' }] });
    expect(once.body.tags.map((t: { name: string }) => t.name)).toEqual(['金卡', 'ＧＯＬＤ']);
  });

  it('counts characters as a person does: 16 family emoji or flags fit the default limit of 16, 17 do not, on both APIs', async () => {
    const s = await scene();
    expect((await s.api.post('/tag-groups', { name: '表情', tags: [{ name: '👨‍👩‍👧‍👦'.repeat(16) }] })).status).toBe(201);
    await expectRefused(db().db, s.corpId, () => s.api.post('/tag-groups', { name: '表情2', tags: [{ name: '👨‍👩‍👧‍👦'.repeat(17) }] }), 400, 'name_too_long');
    const call = (body: unknown) => callWecom(app(), 'externalcontact/add_corp_tag', { token: s.token, body });
    expect((await call({ group_name: '国旗', tag: [{ name: '🇨🇳'.repeat(16) }] })).body.errcode).toBe(0);
    const before = await snapshotCorp(db().db, s.corpId);
    expect((await call({ group_name: '国旗', tag: [{ name: '🇯🇵'.repeat(17) }] })).body.errcode).toBe(40072);
    expect((await call({ group_name: '国旗', tag: [{ name: '🇯🇵'.repeat(31) }] })).body.errcode).toBe(40058);
    expect(await snapshotCorp(db().db, s.corpId)).toEqual(before);
  });

  it('add_corp_tag merges a look-alike group_name into the group, answers 40071 for a look-alike tag, and keeps the first spelling of a repeated one', async () => {
    const s = await scene();
    const call = (path: string, body: unknown) => callWecom(app(), `externalcontact/${path}`, { token: s.token, body });
    const first = (await call('add_corp_tag', { group_name: 'VIP客户', tag: [{ name: '金卡' }] })).body.tag_group;
    const merged = await call('add_corp_tag', { group_name: 'ＶＩＰ客户\u200b', tag: [{ name: '银卡' }, { name: '银卡\u3000' }] });
    expect(merged.body).toMatchObject({ errcode: 0, tag_group: { group_id: first.group_id, group_name: 'VIP客户', tag: [{ name: '银卡' }] } });
    expect(merged.body.tag_group.tag).toHaveLength(1);
    const before = await snapshotCorp(db().db, s.corpId);
    expect((await call('add_corp_tag', { group_name: 'vip客户', tag: [{ name: '金卡\u200b' }] })).body.errcode).toBe(40071);
    expect((await call('edit_corp_tag', { id: merged.body.tag_group.tag[0].id, name: '\u3000金卡\u200b' })).body.errcode).toBe(40071);
    expect(await snapshotCorp(db().db, s.corpId)).toEqual(before);
  });

  it('personal tags, saved audiences and sibling departments are unique by what a person sees', async () => {
    const s = await scene();
    const own = apiClient(app, s.key, s.staff);
    expect((await own.post('/personal-tags', { name: '老朋友' })).status).toBe(201);
    for (const name of ['老朋友\u200b', '\uFEFF老朋友']) await expectRefused(db().db, s.corpId, () => own.post('/personal-tags', { name }), 409, 'name_taken');

    await s.api.post('/tag-groups', { name: '意向', tags: [{ name: '高意向' }] });
    expect((await s.api.post('/audiences', { name: 'VIP 名单', text: 'tag:高意向' })).status).toBe(201);
    for (const name of ['ＶＩＰ\u3000名单', 'vip  名单', 'VIP 名单\u200b'])
      await expectRefused(db().db, s.corpId, () => s.api.post('/audiences', { name, text: 'tag:高意向' }), 409, 'name_taken');

    for (const name of ['ＨＱ华东', 'hq华东\u200b'])
      await expectOrgRefused(db().db, s.corpId, () => s.api.post('/departments', { name, parentId: 1 }), 409, 'name_taken');
    expect((await s.api.post('/departments', { name: 'HQ华北', parentId: 1 })).status).toBe(201);
  });

  it('an audience written with a look-alike of a tag name finds the tag', async () => {
    const s = await scene();
    const group = await s.api.post('/tag-groups', { name: '客户等级', tags: [{ name: 'VIP' }, { name: 'café' }] });
    const [vip, cafe] = group.body.tags.map((t: { tagId: string }) => t.tagId);
    const saved = await s.api.post('/audiences', { name: '看look-alike', text: 'tag:ＶＩＰ or tag:"cafe\u0301" or tag:"客户等级\u200b/vip"' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.expression).toEqual({ any: [{ tag: vip }, { tag: cafe }, { tag: vip }] });
  });

  it('an import finds tags by what a person sees and creates a tag written in two spellings once', async () => {
    const s = await scene();
    const group = await s.api.post('/tag-groups', { name: '客户等级', tags: [{ name: 'VIP' }] });
    const vip = group.body.tags[0].tagId as string;
    const csv = ['external_userid,userid,tags', `${s.customer},${s.staff},ＶＩＰ;客户等级\u200b/vip;来源/cafe\u0301;来源/café;ＶＩＰ客户/金卡`].join('\n');
    const res = await app().inject({
      method: 'POST',
      url: '/api/v1/imports?createTags=true',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(201);
    const tags = (await s.api.get(`/customers/${s.customer}`)).body.follows[0].tags as { tagId: string; name: string; groupName: string }[];
    expect(tags.map((t) => `${t.groupName}/${t.name}`).sort()).toEqual(['ＶＩＰ客户/金卡', '客户等级/VIP', '来源/café'].sort());
    expect(tags.filter((t) => t.tagId === vip)).toHaveLength(1);
  });
});
