import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { marks } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildTagGroup } from '../../test/factories.js';
import { markTags } from '../customers/commands/mark-tags.js';

describeDb('tag routes', (db) => {
  const app = useTestApp(db);

  it('PATCH /tags/:tagId: 400 lists every issue → 403 → 404 → 409 → 200', async () => {
    const s = await buildApiScene(db().db);
    const patch = (id: string, body: unknown, as?: string) => () => apiClient(app, s.key, as).patch(`/tags/${id}`, body);
    const t = s.tags[0]!.tagId;
    const bad = await expectRefused(db().db, s.corpId, patch(t, { color: 'red', description: '长'.repeat(201), order: 1.5 }), 400, 'validation_failed');
    expect(detailPaths(bad)).toEqual(['body.order', 'body.color', 'body.description']);
    expect(detailPaths(await expectRefused(db().db, s.corpId, patch(t, {}), 400, 'validation_failed'))).toEqual(['body']);
    await expectRefused(db().db, s.corpId, patch(t, { name: '新' }, s.intern), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, patch('etNOPE', { name: '新' }), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, patch(t, { name: '低意向' }), 409, 'name_taken');

    // 200 characters is the limit for a description, counted as characters, not UTF-16 units.
    const description = '🙂'.repeat(200);
    const res = await apiClient(app, s.key, s.admin).patch(`/tags/${t}`, { name: '很高', color: '#00AA00', description, order: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tagId: t, name: '很高', color: '#00AA00', description, order: 3, deleted: false });
  });

  it('DELETE /tags/:tagId then POST …/restore: 403 → 404 → 200; the last tag takes its group along', async () => {
    const s = await buildApiScene(db().db);
    const lone = await buildTagGroup(s.ctx, ['唯一']);
    const t = lone.tags[0]!.tagId;
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.staffB, externalUserid: s.customer, add: [t] }));
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.staffA).delete(`/tags/${t}`), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key).delete('/tags/etNOPE'), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key).post(`/tags/${t}/restore`), 404, 'tag_not_found');

    const del = await apiClient(app, s.key).delete(`/tags/${t}`);
    expect(del.body).toMatchObject({ deletedTagIds: [t], deletedGroupIds: [lone.group.groupId], marksRemoved: 1 });
    const flagged = await apiClient(app, s.key).get(`/tag-groups?tagId=${t}`);
    expect(flagged.body.groups[0]).toMatchObject({ deleted: true, tags: [{ tagId: t, deleted: true }] });
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, s.intern).post(`/tags/${t}/restore`), 403, 'forbidden');

    const restored = await apiClient(app, s.key).post(`/tags/${t}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ group: { groupId: lone.group.groupId, deleted: false }, restoredTags: [{ tagId: t }], marksRestored: 1 });
    expect((await db().db.select().from(marks).where(eq(marks.tagId, t))).map((m) => m.userid)).toEqual([s.staffB]);
  });

  it('POST /tags/delete: 400 → 403 → 404 all or nothing → 200', async () => {
    const s = await buildApiScene(db().db);
    const other = await buildTagGroup(s.ctx, ['甲', '乙']);
    const del = (body: unknown, as?: string) => () => apiClient(app, s.key, as).post('/tags/delete', body);
    expect(detailPaths(await expectRefused(db().db, s.corpId, del({ tagIds: 'x', groupIDs: [] }), 400, 'validation_failed'))).toEqual([
      'body.tagIds',
      'body.groupIDs',
    ]);
    await expectRefused(db().db, s.corpId, del({}), 400, 'id_missing');
    await expectRefused(db().db, s.corpId, del({ tagIds: [s.tags[0]!.tagId] }, s.intern), 403, 'forbidden');
    const unknown = await expectRefused(
      db().db,
      s.corpId,
      del({ tagIds: [s.tags[0]!.tagId, 'etNOPE'], groupIds: [other.group.groupId] }),
      404,
      'tag_not_found',
    );
    expect(unknown.body.error.details).toMatchObject([{ id: 'etNOPE' }]);

    const res = await apiClient(app, s.key).post('/tags/delete', { tagIds: [s.tags[0]!.tagId], groupIds: [other.group.groupId] });
    expect(res.status).toBe(200);
    expect(res.body.deletedTagIds.sort()).toEqual([s.tags[0]!.tagId, ...other.tags.map((t) => t.tagId)].sort());
    expect(res.body.deletedGroupIds).toEqual([other.group.groupId]);
    const left = await apiClient(app, s.key).get('/tag-groups');
    expect(left.body.groups.map((g: { tags: { name: string }[] }) => g.tags.map((t) => t.name))).toEqual([['低意向']]);
  });
});
