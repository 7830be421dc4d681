import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events } from '../../db/schema/index.js';
import { apiClient, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';
import { givePassword, loginCookie, sessionClient } from '../../test/session.js';

describeDb('rule groups (规则组) on the native API: the console’s list, create, edit, delete and their tags', (db) => {
  const app = useTestApp(db);

  async function scene() {
    const f = await buildRegionalCorp(db().db);
    const admin = apiClient(app, f.secret);
    const staffPassword = await givePassword(db().db, f.corpId, f.people.shStaff);
    const staff = sessionClient(app, await loginCookie(app, f.corpId, f.people.shStaff, staffPassword));
    const adminPassword = await givePassword(db().db, f.corpId, f.people.admin);
    const adminSession = sessionClient(app, await loginCookie(app, f.corpId, f.people.admin, adminPassword));
    return { f, admin, staff, adminSession };
  }

  it('creates a rule group with range, admins and privileges, lists it, and records the event', async () => {
    const { f, admin } = await scene();
    expect((await admin.get('/strategies')).body).toEqual({ strategies: [] });
    const created = await admin.post('/strategies', {
      name: '华东规则组',
      adminList: [f.people.hdManager],
      privilege: { send_customer_msg: true },
      range: { departments: [2], userids: [f.people.bjStaff] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      parentId: 0,
      name: '华东规则组',
      adminList: [f.people.hdManager],
      range: { departments: [2], userids: [f.people.bjStaff] },
    });
    expect(created.body.privilege).toMatchObject({ view_customer_list: true, send_customer_msg: true, manage_customer_tag: true, share_customer: false });
    const child = await admin.post('/strategies', {
      parentId: created.body.strategyId,
      name: '上海子组',
      adminList: [f.people.shStaff],
      range: { departments: [3] },
    });
    expect(child.status).toBe(201);
    expect(child.body.privilege.send_customer_msg).toBe(true);
    const listed = await admin.get('/strategies');
    expect(listed.body.strategies.map((s: { name: string }) => s.name)).toEqual(['华东规则组', '上海子组']);
    const recorded = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, f.corpId), eq(events.type, 'strategy.created')));
    expect(recorded).toHaveLength(2);
  });

  it('refuses what WeCom refuses: a child outside its parent’s range, unknown admins, blank names', async () => {
    const { f, admin } = await scene();
    const parent = (await admin.post('/strategies', { name: '华东', adminList: [f.people.hdManager], range: { departments: [2] } })).body;
    const outside = await expectRefused(
      db().db,
      f.corpId,
      () => admin.post('/strategies', { parentId: parent.strategyId, name: '越界', adminList: [f.people.hdManager], range: { departments: [6] } }),
      400,
      'validation_failed',
    );
    expect(outside.body.error.message).toMatch(/inside its parent/);
    await expectRefused(db().db, f.corpId, () => admin.post('/strategies', { name: '无人', adminList: ['nobody-here'] }), 404, 'employee_not_found');
    await expectRefused(db().db, f.corpId, () => admin.post('/strategies', { name: '', adminList: [f.people.admin] }), 400, 'validation_failed');
    await expectRefused(db().db, f.corpId, () => admin.patch('/strategies/999999', { name: '没有' }), 404, 'strategy_not_found');
  });

  it('edits name, privileges and replaces the range; shrinking under a child is refused', async () => {
    const { f, admin } = await scene();
    const parent = (await admin.post('/strategies', { name: '全国', adminList: [f.people.admin], range: { departments: [2, 5] } })).body;
    const edited = await admin.patch(`/strategies/${parent.strategyId}`, {
      name: '全国规则组',
      privilege: { export_customer_list: true, manage_customer_tag: false },
      range: { departments: [2], userids: [f.people.bjStaff] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: '全国规则组', range: { departments: [2], userids: [f.people.bjStaff] } });
    expect(edited.body.privilege).toMatchObject({ export_customer_list: true, manage_customer_tag: false });
    await admin.post('/strategies', { parentId: parent.strategyId, name: '上海', adminList: [f.people.shStaff], range: { departments: [3] } });
    const shrink = await expectRefused(
      db().db,
      f.corpId,
      () => admin.patch(`/strategies/${parent.strategyId}`, { range: { departments: [], userids: [] } }),
      409,
      'conflict',
    );
    expect(shrink.body.error.message).toMatch(/remove them from it first/);
  });

  it('adds a tag group to a rule group, lists and deletes it; deleting a rule group with children is refused', async () => {
    const { f, admin } = await scene();
    const top = (await admin.post('/strategies', { name: '华东', adminList: [f.people.hdManager], range: { departments: [2] } })).body;
    const group = await admin.post(`/strategies/${top.strategyId}/tag-groups`, { name: '华东专属', tags: [{ name: '样板间客户' }, { name: '老业主' }] });
    expect(group.status).toBe(201);
    expect(group.body).toMatchObject({ strategyId: top.strategyId, name: '华东专属' });
    expect(group.body.tags.map((t: { name: string }) => t.name).sort()).toEqual(['样板间客户', '老业主'].sort());
    expect((await admin.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups).toHaveLength(1);
    expect((await admin.get('/tag-groups')).body.groups.some((g: { name: string }) => g.name === '华东专属')).toBe(false);
    const child = (await admin.post('/strategies', { parentId: top.strategyId, name: '上海', adminList: [f.people.shStaff], range: { departments: [3] } }))
      .body;
    await expectRefused(
      db().db,
      f.corpId,
      () => admin.post(`/strategies/${child.strategyId}/tag-groups`, { name: '子组标签', tags: [{ name: 'x' }] }),
      400,
      'validation_failed',
    );
    await expectRefused(db().db, f.corpId, () => admin.delete(`/strategies/${top.strategyId}`), 409, 'conflict');
    await expectRefused(db().db, f.corpId, () => admin.delete(`/strategies/${child.strategyId}/tag-groups/${group.body.groupId}`), 404, 'tag_not_found');
    expect((await admin.delete(`/strategies/${top.strategyId}/tag-groups/${group.body.groupId}`)).status).toBe(204);
    expect((await admin.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups).toHaveLength(0);
    expect((await admin.delete(`/strategies/${child.strategyId}`)).status).toBe(200);
    const gone = await admin.delete(`/strategies/${top.strategyId}`);
    expect(gone.status).toBe(200);
    expect((await admin.get('/strategies')).body.strategies).toEqual([]);
  });

  it('an admin in the console manages the tag groups of a rule group whose range they are not in', async () => {
    const { f, adminSession } = await scene();
    const top = (await adminSession.post('/strategies', { name: '华北', adminList: [f.people.bjManager], range: { departments: [5] } })).body;
    const group = await adminSession.post(`/strategies/${top.strategyId}/tag-groups`, { name: '华北专属', tags: [{ name: '老业主' }] });
    expect(group.status).toBe(201);
    expect(group.body.tags.map((t: { name: string }) => t.name)).toEqual(['老业主']);
    expect((await adminSession.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups.map((g: { name: string }) => g.name)).toEqual(['华北专属']);
    expect((await adminSession.delete(`/strategies/${top.strategyId}/tag-groups/${group.body.groupId}`)).status).toBe(204);
    expect((await adminSession.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups).toEqual([]);
  });

  it('adds a tag to an existing tag group by its name, renames and reorders one tag, and deletes one tag (the last one takes its group)', async () => {
    const { f, admin, staff } = await scene();
    const top = (await admin.post('/strategies', { name: '华东', adminList: [f.people.hdManager], range: { departments: [2] } })).body;
    const other = (await admin.post('/strategies', { name: '华北', adminList: [f.people.bjManager], range: { departments: [5] } })).body;
    const group = (await admin.post(`/strategies/${top.strategyId}/tag-groups`, { name: '华东专属', tags: [{ name: '样板间客户' }] })).body;
    const merged = await admin.post(`/strategies/${top.strategyId}/tag-groups`, { name: '华东专属', tags: [{ name: '老业主' }] });
    expect(merged.body).toMatchObject({ groupId: group.groupId });
    expect(merged.body.tags.map((t: { name: string }) => t.name).sort()).toEqual(['样板间客户', '老业主'].sort());
    const owner = merged.body.tags.find((t: { name: string }) => t.name === '老业主').tagId as string;
    const sample = group.tags[0].tagId as string;

    const renamed = await admin.patch(`/strategies/${top.strategyId}/tags/${owner}`, { name: '老业主客户', order: 7 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ groupId: group.groupId, tags: [{ tagId: owner, name: '老业主客户', order: 7 }, { tagId: sample }] });
    const [edited] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, f.corpId), eq(events.type, 'tag.updated'), eq(events.subjectId, owner)));
    expect(edited).toBeDefined();
    await expectRefused(db().db, f.corpId, () => admin.patch(`/strategies/${top.strategyId}/tags/${owner}`, { name: '样板间客户' }), 409, 'name_taken');
    await expectRefused(db().db, f.corpId, () => admin.patch(`/strategies/${other.strategyId}/tags/${owner}`, { name: '越界' }), 404, 'tag_not_found');
    await expectRefused(
      db().db,
      f.corpId,
      () => admin.patch(`/strategies/${top.strategyId}/tags/${f.grade.tags[0]!.tagId}`, { name: '企业标签' }),
      404,
      'tag_not_found',
    );
    await expectRefused(db().db, f.corpId, () => admin.patch(`/strategies/${top.strategyId}/tags/${owner}`, {}), 400, 'validation_failed');
    await expectRefused(db().db, f.corpId, () => staff.patch(`/strategies/${top.strategyId}/tags/${owner}`, { name: '越权' }), 403, 'forbidden');
    await expectRefused(db().db, f.corpId, () => staff.delete(`/strategies/${top.strategyId}/tags/${owner}`), 403, 'forbidden');
    await expectRefused(db().db, f.corpId, () => admin.delete(`/strategies/${other.strategyId}/tags/${owner}`), 404, 'tag_not_found');

    expect((await admin.delete(`/strategies/${top.strategyId}/tags/${owner}`)).status).toBe(204);
    expect((await admin.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups).toMatchObject([{ groupId: group.groupId, tags: [{ tagId: sample }] }]);
    expect((await admin.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups[0].tags).toHaveLength(1);
    expect((await admin.delete(`/strategies/${top.strategyId}/tags/${sample}`)).status).toBe(204);
    expect((await admin.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups).toEqual([]);
  });

  it('renames and reorders a rule group’s tag group through edit_strategy_tag’s command; bad input, another library’s or corp’s group and no right change nothing', async () => {
    const { f, admin, staff } = await scene();
    const top = (await admin.post('/strategies', { name: '华东', adminList: [f.people.hdManager], range: { departments: [2] } })).body;
    const other = (await admin.post('/strategies', { name: '华北', adminList: [f.people.bjManager], range: { departments: [5] } })).body;
    const group = (await admin.post(`/strategies/${top.strategyId}/tag-groups`, { name: '华东专属', tags: [{ name: '样板间客户' }] })).body;
    await admin.post(`/strategies/${top.strategyId}/tag-groups`, { name: '华东活动', tags: [{ name: '到店' }] });
    const url = `/strategies/${top.strategyId}/tag-groups/${group.groupId}`;

    const renamed = await admin.patch(url, { name: '华东重点', order: 9 });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ groupId: group.groupId, strategyId: top.strategyId, name: '华东重点', order: 9, tags: [{ name: '样板间客户' }] });
    expect(
      (await admin.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups.find((g: { groupId: string }) => g.groupId === group.groupId),
    ).toMatchObject({ name: '华东重点', order: 9 });
    const [edited] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, f.corpId), eq(events.type, 'tag_group.updated'), eq(events.subjectId, group.groupId)));
    expect(edited).toBeDefined();
    expect((await admin.patch(url, { order: 2 })).body).toMatchObject({ name: '华东重点', order: 2 });

    await expectRefused(db().db, f.corpId, () => admin.patch(url, {}), 400, 'validation_failed');
    await expectRefused(db().db, f.corpId, () => admin.patch(url, { order: -1 }), 400, 'validation_failed');
    await expectRefused(db().db, f.corpId, () => admin.patch(url, { name: '华东重点', color: '#fff' }), 400, 'validation_failed');
    await expectRefused(db().db, f.corpId, () => admin.patch(url, { name: '一二三四五六七八九十一二三四五六七' }), 400, 'name_too_long');
    await expectRefused(db().db, f.corpId, () => admin.patch(url, { name: '   ' }), 400, 'name_missing');
    await expectRefused(db().db, f.corpId, () => admin.patch(url, { name: '华东活动' }), 409, 'name_taken');
    await expectRefused(
      db().db,
      f.corpId,
      () => admin.patch(`/strategies/${other.strategyId}/tag-groups/${group.groupId}`, { name: '越界' }),
      404,
      'tag_not_found',
    );
    await expectRefused(
      db().db,
      f.corpId,
      () => admin.patch(`/strategies/${top.strategyId}/tag-groups/${f.grade.group.groupId}`, { name: '企业组' }),
      404,
      'tag_not_found',
    );
    await expectRefused(db().db, f.corpId, () => admin.patch(`/strategies/999999/tag-groups/${group.groupId}`, { name: '没有' }), 404, 'strategy_not_found');
    await expectRefused(db().db, f.corpId, () => staff.patch(url, { name: '越权' }), 403, 'forbidden');

    const elsewhere = await buildRegionalCorp(db().db);
    const outsider = apiClient(app, elsewhere.secret);
    const theirs = (await outsider.post('/strategies', { name: '别家', adminList: [elsewhere.people.admin], range: { departments: [2] } })).body;
    await expectRefused(
      db().db,
      f.corpId,
      () => outsider.patch(`/strategies/${theirs.strategyId}/tag-groups/${group.groupId}`, { name: '串门' }),
      404,
      'tag_not_found',
    );
    expect(
      (await admin.get(`/strategies/${top.strategyId}/tag-groups`)).body.groups.find((g: { groupId: string }) => g.groupId === group.groupId),
    ).toMatchObject({ name: '华东重点', order: 2 });
  });

  it('needs strategy.manage to read or change rule groups: a staff session is refused without a change', async () => {
    const { f, admin, staff } = await scene();
    const top = (await admin.post('/strategies', { name: '华东', adminList: [f.people.hdManager], range: { departments: [2] } })).body;
    await expectRefused(db().db, f.corpId, () => staff.get('/strategies'), 403, 'forbidden');
    await expectRefused(db().db, f.corpId, () => staff.get(`/strategies/${top.strategyId}/tag-groups`), 403, 'forbidden');
    await expectRefused(db().db, f.corpId, () => staff.post('/strategies', { name: '越权', adminList: [f.people.shStaff] }), 403, 'forbidden');
    await expectRefused(db().db, f.corpId, () => staff.patch(`/strategies/${top.strategyId}`, { name: '越权' }), 403, 'forbidden');
    await expectRefused(db().db, f.corpId, () => staff.delete(`/strategies/${top.strategyId}`), 403, 'forbidden');
    await expectRefused(
      db().db,
      f.corpId,
      () => staff.post(`/strategies/${top.strategyId}/tag-groups`, { name: '越权', tags: [{ name: 'x' }] }),
      403,
      'forbidden',
    );
  });
});
