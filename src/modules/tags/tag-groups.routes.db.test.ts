import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { events, marks } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { markTags } from '../customers/commands/mark-tags.js';
import { deleteTags } from './commands/delete-tags.js';

describeDb('tag group routes', (db) => {
  const app = useTestApp(db);

  it('GET /tag-groups: live groups with abilities; by id also deleted ones, flagged; all query issues listed', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const gone = (await api.post('/tag-groups', { name: '旧', tags: [{ name: 'x' }, { name: 'y' }] })).body;
    await withTx(s.ctx, (tx) => deleteTags(tx, { groupIds: [gone.groupId] }));

    const bad = await api.get('/tag-groups?groupid=1&tagid=2');
    expect(bad.status).toBe(400);
    expect(detailPaths(bad)).toEqual(['query.groupid', 'query.tagid']);

    const live = await api.get('/tag-groups');
    expect(live.body.groups.map((g: { name: string }) => g.name)).toEqual([s.group.name]);
    expect(live.body.groups[0].abilities['tagGroup.delete']).toBe(true);
    const intern = await apiClient(app, s.key, s.intern).get('/tag-groups');
    expect(Object.values(intern.body.groups[0].abilities).every((v) => v === false)).toBe(true);
    const staff = await apiClient(app, s.key, s.staffA).get('/tag-groups');
    expect(staff.body.groups[0].abilities).toMatchObject({ 'tag.apply': true, 'tagGroup.update': false });

    const byId = await api.get(`/tag-groups?groupId=${gone.groupId},${s.group.groupId}`);
    expect(byId.body.groups.map((g: { deleted: boolean }) => g.deleted).sort()).toEqual([false, true]);
    const deletedGroup = byId.body.groups.find((g: { deleted: boolean }) => g.deleted);
    expect(deletedGroup.tags.every((t: { deleted: boolean; deletedAt: string }) => t.deleted && t.deletedAt)).toBe(true);
    const byTags = await api.get(`/tag-groups?tagId=${s.tags[0]!.tagId}&tagId=${gone.tags[1].tagId}`);
    expect(byTags.body.groups.flatMap((g: { tags: { name: string }[] }) => g.tags.map((t) => t.name)).sort()).toEqual(['y', '高意向']);
  });

  it('POST /tag-groups: 400 lists every issue → 403 → 409 → 201, refusals change nothing', async () => {
    const s = await buildApiScene(db().db);
    const post = (body: unknown, as?: string) => () => apiClient(app, s.key, as).post('/tag-groups', body);
    const bad = await expectRefused(db().db, s.corpId, post({ name: '', order: -1, tags: [{ name: 'a', colour: '#fff' }] }), 400, 'validation_failed');
    expect(detailPaths(bad)).toEqual(['body.name', 'body.order', 'body.tags.0.colour']);
    expect(detailPaths(await expectRefused(db().db, s.corpId, post({ name: 'g', tags: [] }), 400, 'validation_failed'))).toEqual(['body.tags']);
    for (const who of [s.intern, s.staffA]) await expectRefused(db().db, s.corpId, post({ name: 'g', tags: [{ name: 'a' }] }, who), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, post({ name: s.group.name, tags: [{ name: 'a' }] }), 409, 'name_taken');

    const res = await apiClient(app, s.key, s.admin).post('/tag-groups', {
      name: '客户等级',
      order: 9,
      tags: [
        { name: 'A', color: '#FF0000', description: '重点客户' },
        { name: 'B', order: 2 },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: '客户等级', order: 9, deleted: false, abilities: { 'tag.create': true } });
    expect(res.body.tags.map((t: { name: string; color: string }) => [t.name, t.color])).toEqual([
      ['A', '#FF0000'],
      ['B', ''],
    ]);
    const recorded = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.subjectId, res.body.groupId)));
    expect(recorded.map((e) => [e.type, e.actor, e.source])).toEqual([['tag_group.created', `user:${s.admin}`, 'api']]);
    expect(recorded[0]!.requestId).toMatch(/^req/);
  });

  it('GET /tag-groups/:groupId: 404 for an unknown id, 200 with its tags', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    expect((await api.get('/tag-groups/etNOPE')).body.error.code).toBe('tag_not_found');
    const res = await api.get(`/tag-groups/${s.group.groupId}`);
    expect(res.status).toBe(200);
    expect(res.body.tags.map((t: { tagId: string }) => t.tagId)).toEqual(s.tags.map((t) => t.tagId));
  });

  it('PATCH /tag-groups/:groupId: 400 → 403 → 404 → 409 → 200', async () => {
    const s = await buildApiScene(db().db);
    const other = (await apiClient(app, s.key).post('/tag-groups', { name: '另一组', tags: [{ name: 'x' }] })).body;
    const patch = (id: string, body: unknown, as?: string) => () => apiClient(app, s.key, as).patch(`/tag-groups/${id}`, body);
    const g = s.group.groupId;
    expect(detailPaths(await expectRefused(db().db, s.corpId, patch(g, { name: 3, order: 'high' }), 400, 'validation_failed'))).toEqual([
      'body.name',
      'body.order',
    ]);
    expect(detailPaths(await expectRefused(db().db, s.corpId, patch(g, {}), 400, 'validation_failed'))).toEqual(['body']);
    await expectRefused(db().db, s.corpId, patch(g, { name: '新' }, s.intern), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, patch('etNOPE', { name: '新' }), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, patch(g, { name: other.name }), 409, 'name_taken');
    const res = await apiClient(app, s.key).patch(`/tag-groups/${g}`, { name: '意向', order: 7 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ groupId: g, name: '意向', order: 7 });
    expect((await apiClient(app, s.key).get('/tag-groups')).body.groups.map((x: { name: string }) => x.name)).toEqual(['意向', '另一组']);
  });

  it('DELETE /tag-groups/:groupId then POST …/restore: 403 → 404 → 200, marks archived and brought back', async () => {
    const s = await buildApiScene(db().db);
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.staffA, externalUserid: s.customer, add: [s.tags[0]!.tagId, s.tags[1]!.tagId] }));
    const g = s.group.groupId;
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.intern).delete(`/tag-groups/${g}`), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key).delete('/tag-groups/etNOPE'), 404, 'tag_not_found');
    // A live group is not restorable.
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key).post(`/tag-groups/${g}/restore`), 404, 'tag_not_found');

    const del = await apiClient(app, s.key).delete(`/tag-groups/${g}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ deletionId: expect.stringMatching(/^op/), deletedGroupIds: [g], marksRemoved: 2 });
    expect(del.body.deletedTagIds.sort()).toEqual(s.tags.map((t) => t.tagId).sort());
    expect((await apiClient(app, s.key).get('/tag-groups')).body.groups).toEqual([]);
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.intern).post(`/tag-groups/${g}/restore`), 403, 'forbidden');

    const restored = await apiClient(app, s.key).post(`/tag-groups/${g}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ group: { groupId: g, deleted: false }, marksRestored: 2 });
    expect(restored.body.restoredTags).toHaveLength(2);
    expect(await db().db.select().from(marks).where(eq(marks.corpId, s.corpId))).toHaveLength(2);
  });

  it('POST /tag-groups/:groupId/tags: 400 → 403 → 404 → 409 → 201', async () => {
    const s = await buildApiScene(db().db);
    const add = (id: string, body: unknown, as?: string) => () => apiClient(app, s.key, as).post(`/tag-groups/${id}/tags`, body);
    const g = s.group.groupId;
    expect(detailPaths(await expectRefused(db().db, s.corpId, add(g, { tags: [], extra: 1 }), 400, 'validation_failed'))).toEqual(['body.tags', 'body.extra']);
    await expectRefused(db().db, s.corpId, add(g, { tags: [{ name: '中' }] }, s.staffA), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, add('etNOPE', { tags: [{ name: '中' }] }), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, add(g, { tags: [{ name: '中' }, { name: '高意向' }] }), 409, 'name_taken');
    const res = await apiClient(app, s.key).post(`/tag-groups/${g}/tags`, { tags: [{ name: '中意向', order: 5 }] });
    expect(res.status).toBe(201);
    expect(res.body.tags).toMatchObject([{ name: '中意向', order: 5, groupId: g }]);
    expect((await apiClient(app, s.key).get(`/tag-groups/${g}`)).body.tags.map((t: { name: string }) => t.name)).toEqual(['中意向', '高意向', '低意向']);
  });
});
