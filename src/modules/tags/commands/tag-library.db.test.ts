import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import { events, marks, tags } from '../../../db/schema/index.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { getCustomerDetail } from '../../customers/customers.queries.js';
import { listTagGroups } from '../tags.queries.js';
import { addTags } from './add-tags.js';
import { deleteTags } from './delete-tags.js';
import { restoreTags } from './restore-tags.js';
import { updateTag } from './update-tag.js';
import { updateTagGroup } from './update-tag-group.js';

describeDb('tag library commands', (db) => {
  it('creates a group with its tags, deduplicating names, and records events', async () => {
    const { ctx } = await buildCorp(db().db);
    const result = await withTx(ctx, (tx) => addTags(tx, { groupName: '客户等级', order: 5, tags: [{ name: 'A级' }, { name: 'B级' }, { name: 'A级' }] }));
    expect(result.groupCreated).toBe(true);
    expect(result.tags.map((t) => t.name)).toEqual(['A级', 'B级']);
    const recorded = (await db().db.select().from(events).where(eq(events.corpId, ctx.corpId)).orderBy(events.seq)).filter((e) => e.type.startsWith('tag'));
    expect(recorded.map((e) => e.type)).toEqual(['tag_group.created', 'tag.created', 'tag.created']);
    expect(recorded.every((e) => e.actor === 'app:customer_contact' && e.source === 'api')).toBe(true);
    expect(recorded[1]!.seq).toBeGreaterThan(recorded[0]!.seq);
  });

  it('merges into a same-named group (WeCom add_corp_tag) and refuses a clashing tag name', async () => {
    const { ctx } = await buildCorp(db().db);
    const first = await withTx(ctx, (tx) => addTags(tx, { groupName: '购买意向', tags: [{ name: '高' }] }));
    const merged = await withTx(ctx, (tx) => addTags(tx, { groupName: '购买意向', tags: [{ name: '低' }] }));
    expect(merged.group.groupId).toBe(first.group.groupId);
    await expect(withTx(ctx, (tx) => addTags(tx, { groupId: first.group.groupId, tags: [{ name: '高' }] }))).rejects.toMatchObject({ code: 'name_taken' });
    await expect(withTx(ctx, (tx) => addTags(tx, { groupName: '购买意向', tags: [{ name: '中' }], onExistingName: 'create' }))).rejects.toMatchObject({
      code: 'name_taken',
    });
  });

  it('refuses names over the corp limit and over-quota requests whole', async () => {
    const { ctx } = await buildCorp(db().db, { settings: { tagsPerGroup: 3, corpTagsMax: 4 } });
    await expect(withTx(ctx, (tx) => addTags(tx, { groupName: '组', tags: [{ name: '一二三四五六七八九十一二三四五六七' }] }))).rejects.toMatchObject({
      code: 'name_too_long',
    });
    await expect(
      withTx(ctx, (tx) => addTags(tx, { groupName: '组', tags: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] })),
    ).rejects.toMatchObject({ code: 'limit_exceeded' });
    await buildTagGroup(ctx, ['a', 'b', 'c']);
    await expect(buildTagGroup(ctx, ['x', 'y'])).rejects.toMatchObject({ code: 'limit_exceeded' });
    const listing = await listTagGroups(ctx);
    expect(listing.groups.flatMap((g) => g.tags.map((t) => t.name))).toEqual(['a', 'b', 'c']);
  });

  it('renames and reorders groups and tags; larger order lists first', async () => {
    const { ctx } = await buildCorp(db().db);
    const g1 = await buildTagGroup(ctx, ['x'], '甲');
    const g2 = await buildTagGroup(ctx, ['y', 'z'], '乙');
    await withTx(ctx, (tx) => updateTagGroup(tx, { groupId: g1.group.groupId, order: 10 }));
    await withTx(ctx, (tx) => updateTag(tx, { tagId: g2.tags[1]!.tagId, order: 3, name: 'zz', color: '#ff0000', description: '重点' }));
    await expect(withTx(ctx, (tx) => updateTagGroup(tx, { groupId: g2.group.groupId, name: '甲' }))).rejects.toMatchObject({ code: 'name_taken' });
    const listing = await listTagGroups(ctx);
    expect(listing.groups.map((g) => g.group.name)).toEqual(['甲', '乙']);
    expect(listing.groups[1]!.tags.map((t) => [t.name, t.color])).toEqual([
      ['zz', '#ff0000'],
      ['y', ''],
    ]);
  });

  it('deleting a tag removes it from every customer; restoring brings exactly those marks back', async () => {
    const { ctx } = await buildCorp(db().db);
    const [u1, u2] = await buildEmployees(ctx, 2);
    const c1 = await buildCustomer(ctx, [u1!, u2!]);
    const c2 = await buildCustomer(ctx, [u1!]);
    const { group, tags } = await buildTagGroup(ctx, ['投诉', '其他']);
    const t = tags[0]!.tagId;
    await withTx(ctx, (tx) => markTags(tx, { userid: u1!, externalUserid: c1, add: [t] }));
    await withTx(ctx, (tx) => markTags(tx, { userid: u2!, externalUserid: c1, add: [t] }));
    await withTx(ctx, (tx) => markTags(tx, { userid: u1!, externalUserid: c2, add: [t, tags[1]!.tagId] }));

    const deleted = await withTx(ctx, (tx) => deleteTags(tx, { tagIds: [t] }));
    expect(deleted.marksRemoved).toBe(3);
    expect(deleted.deletedGroupIds).toEqual([]);
    const left = await db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, ctx.corpId), eq(marks.tagId, t)));
    expect(left).toHaveLength(0);
    const detail = await getCustomerDetail(ctx, c2, { kind: 'none' });
    expect(detail.follows[0]!.tags.map((x) => x.tagName)).toEqual(['其他']);

    const restored = await withTx(ctx, (tx) => restoreTags(tx, { tagId: t }));
    expect(restored.marksRestored).toBe(3);
    const back = await db()
      .db.select()
      .from(marks)
      .where(and(eq(marks.corpId, ctx.corpId), eq(marks.tagId, t)));
    expect(back.map((m) => `${m.userid}|${m.externalUserid}`).sort()).toEqual([`${u1}|${c1}`, `${u2}|${c1}`, `${u1}|${c2}`].sort());
    expect((await listTagGroups(ctx)).groups.find((g) => g.group.groupId === group.groupId)!.tags).toHaveLength(2);
  });

  it('deleting the last tag deletes the group; restoring the group revives it with its tags', async () => {
    const { ctx } = await buildCorp(db().db);
    const { group, tags } = await buildTagGroup(ctx, ['only']);
    const deleted = await withTx(ctx, (tx) => deleteTags(tx, { tagIds: [tags[0]!.tagId] }));
    expect(deleted.deletedGroupIds).toEqual([group.groupId]);
    expect((await listTagGroups(ctx)).groups).toHaveLength(0);
    const byId = await listTagGroups(ctx, { groupIds: [group.groupId] });
    expect(byId.groups[0]!.group.deletedAt).not.toBeNull();
    await withTx(ctx, (tx) => restoreTags(tx, { groupId: group.groupId }));
    expect((await listTagGroups(ctx)).groups.map((g) => g.tags.map((t) => t.name))).toEqual([['only']]);
  });

  it('refuses unknown ids whole and changes nothing', async () => {
    const { ctx } = await buildCorp(db().db);
    const { tags } = await buildTagGroup(ctx, ['a', 'b']);
    await expect(withTx(ctx, (tx) => deleteTags(tx, { tagIds: [tags[0]!.tagId, 'etNOPE'] }))).rejects.toMatchObject({ code: 'tag_not_found' });
    expect((await listTagGroups(ctx)).groups[0]!.tags).toHaveLength(2);
  });

  it("does not reach another corp's tags", async () => {
    const a = await buildCorp(db().db);
    const b = await buildCorp(db().db);
    const { tags } = await buildTagGroup(a.ctx, ['a']);
    await expect(withTx(b.ctx, (tx) => deleteTags(tx, { tagIds: [tags[0]!.tagId] }))).rejects.toMatchObject({ code: 'tag_not_found' });
    await expect(withTx(b.ctx, (tx) => updateTag(tx, { tagId: tags[0]!.tagId, name: 'x' }))).rejects.toMatchObject({ code: 'tag_not_found' });
  });
});

describeDb('tag attribute checks', (db) => {
  it('refuses a bad colour or an over-long description on add and edit, changing nothing', async () => {
    const { ctx } = await buildCorp(db().db);
    await expect(withTx(ctx, (tx) => addTags(tx, { groupName: '组', tags: [{ name: 'a', color: 'red' }] }))).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'tag.0.color' }],
    });
    const { tags } = await buildTagGroup(ctx, ['a']);
    await expect(withTx(ctx, (tx) => updateTag(tx, { tagId: tags[0]!.tagId, description: '长'.repeat(201) }))).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'description' }],
    });
    const listing = await listTagGroups(ctx);
    expect(listing.groups.map((g) => g.tags.map((t) => [t.name, t.description]))).toEqual([[['a', '']]]);
  });
});

describeDb('restore window', (db) => {
  it('refuses to restore a tag deleted more than 30 days ago, changing nothing', async () => {
    const { ctx } = await buildCorp(db().db);
    const { tags: created } = await buildTagGroup(ctx, ['旧', '新']);
    await withTx(ctx, (tx) => deleteTags(tx, { tagIds: [created[0]!.tagId] }));
    await db()
      .db.update(tags)
      .set({ deletedAt: new Date(Date.now() - 31 * 86400_000) })
      .where(and(eq(tags.corpId, ctx.corpId), eq(tags.tagId, created[0]!.tagId)));
    await expect(withTx(ctx, (tx) => restoreTags(tx, { tagId: created[0]!.tagId }))).rejects.toMatchObject({ code: 'restore_expired' });
    expect((await listTagGroups(ctx)).groups[0]!.tags.map((t) => t.name)).toEqual(['新']);
  });

  it('refuses a restore whose name is now taken by a live tag', async () => {
    const { ctx } = await buildCorp(db().db);
    const { group, tags: created } = await buildTagGroup(ctx, ['重名', '其他']);
    await withTx(ctx, (tx) => deleteTags(tx, { tagIds: [created[0]!.tagId] }));
    await withTx(ctx, (tx) => addTags(tx, { groupId: group.groupId, tags: [{ name: '重名' }] }));
    await expect(withTx(ctx, (tx) => restoreTags(tx, { tagId: created[0]!.tagId }))).rejects.toMatchObject({ code: 'name_taken' });
  });
});
