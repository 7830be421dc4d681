import { expect, it } from 'vitest';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildEmployees } from '../../test/factories.js';

describeDb('personal tag routes', (db) => {
  const app = useTestApp(db);

  /** A scene where staff A keeps a personal tag and has put it on the shared customer. */
  async function sceneWithPersonalTag() {
    const s = await buildApiScene(db().db);
    const asA = apiClient(app, s.key, s.staffA);
    const created = await asA.post('/personal-tags', { name: '老朋友', groupName: '我的' });
    expect(created.status).toBe(201);
    const marked = await asA.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [created.body.tagId, s.tags[0]!.tagId] });
    expect(marked.body.added.sort()).toEqual([created.body.tagId, s.tags[0]!.tagId].sort());
    return { s, tagId: created.body.tagId as string, asA };
  }

  it('401 → 400 lists every issue → 403 for an app alone or a read-only employee → 409 → 201', async () => {
    const s = await buildApiScene(db().db);
    const post = (body: unknown, as?: string) => () => apiClient(app, s.key, as).post('/personal-tags', body);
    await expectRefused(db().db, s.corpId, () => apiClient(app, null, s.staffA).post('/personal-tags', { name: 'x' }), 401, 'unauthorized');
    expect(detailPaths(await expectRefused(db().db, s.corpId, post({ name: '', colour: 1 }, s.staffA), 400, 'validation_failed'))).toEqual([
      'body.name',
      'body.colour',
    ]);
    await expectRefused(db().db, s.corpId, post({ name: '老朋友' }), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, post({ name: '老朋友' }, s.intern), 403, 'forbidden');
    expect((await apiClient(app, s.key).get('/personal-tags')).status).toBe(403);
    expect((await apiClient(app, s.key, s.intern).get('/personal-tags')).status).toBe(403);
    const tooLong = await expectRefused(db().db, s.corpId, post({ name: '一二三四五六七八九十一二三四五六七' }, s.staffA), 400, 'name_too_long');
    expect(tooLong.body.error.message).toContain('the limit is 16');

    const res = await apiClient(app, s.key, s.staffA).post('/personal-tags', { name: '老朋友' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: '老朋友', groupName: '', tagId: expect.stringMatching(/^pt/) });
    await expectRefused(db().db, s.corpId, post({ name: '老朋友' }, s.staffA), 409, 'name_taken');
    // Names are per owner: B may use the same one.
    expect((await apiClient(app, s.key, s.staffB).post('/personal-tags', { name: '老朋友' })).status).toBe(201);
  });

  it('the owner lists, renames and deletes their tag; the delete takes it off their customers', async () => {
    const { s, tagId, asA } = await sceneWithPersonalTag();
    expect((await asA.get('/personal-tags')).body.tags).toMatchObject([{ tagId, name: '老朋友', groupName: '我的' }]);
    await asA.post('/personal-tags', { name: '需回访' });
    expect(
      detailPaths(await expectRefused(db().db, s.corpId, () => asA.patch(`/personal-tags/${tagId}`, { name: 1, x: 1 }), 400, 'validation_failed')),
    ).toEqual(['body.name', 'body.x']);
    await expectRefused(db().db, s.corpId, () => asA.patch(`/personal-tags/${tagId}`, { name: '需回访' }), 409, 'name_taken');
    await expectRefused(db().db, s.corpId, () => asA.patch('/personal-tags/ptNOPE', { name: '新' }), 404, 'tag_not_found');
    const renamed = await asA.patch(`/personal-tags/${tagId}`, { name: '老友' });
    expect(renamed.body).toMatchObject({ tagId, name: '老友' });
    const detail = await asA.get(`/customers/${s.customer}`);
    const mine = detail.body.follows.find((f: { userid: string }) => f.userid === s.staffA);
    expect(mine.tags).toContainEqual({
      tagId,
      name: '老友',
      groupId: null,
      groupName: '我的',
      type: 'personal',
      origin: expect.objectContaining({ by: `user:${s.staffA}`, operationId: null }),
    });

    const deleted = await asA.delete(`/personal-tags/${tagId}`);
    expect(deleted.body).toEqual({ marksRemoved: 1 });
    expect((await asA.get('/personal-tags')).body.tags.map((t: { name: string }) => t.name)).toEqual(['需回访']);
    const after = await asA.get(`/customers/${s.customer}`);
    expect(after.body.follows.find((f: { userid: string }) => f.userid === s.staffA).tags.map((t: { type: string }) => t.type)).toEqual(['corp']);
  });

  it('another employee cannot list, read, rename, delete or apply it: to them it does not exist', async () => {
    const { s, tagId } = await sceneWithPersonalTag();
    // An admin reaches every relation in the corp, so this is about privacy, not data scope.
    const [manager] = await buildEmployees(s.ctx, 1, 'admin');
    const asB = apiClient(app, s.key, s.staffB);
    expect((await asB.get('/personal-tags')).body.tags).toEqual([]);
    await expectRefused(db().db, s.corpId, () => asB.patch(`/personal-tags/${tagId}`, { name: '偷改' }), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, () => asB.delete(`/personal-tags/${tagId}`), 404, 'tag_not_found');
    await expectRefused(db().db, s.corpId, () => asB.post(`/customers/${s.customer}/follows/${s.staffB}/tags`, { add: [tagId] }), 404, 'tag_not_found');
    // Even someone allowed to tag A's relation (an admin) is told it does not exist, not "forbidden".
    for (const who of [s.staffB, manager!]) {
      await expectRefused(
        db().db,
        s.corpId,
        () => apiClient(app, s.key, who).post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { remove: [tagId] }),
        404,
        'tag_not_found',
      );
    }
    // An app alone may neither manage nor apply it.
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key).patch(`/personal-tags/${tagId}`, { name: '偷改' }), 403, 'forbidden');
    await expectRefused(
      db().db,
      s.corpId,
      () => apiClient(app, s.key).post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { remove: [tagId] }),
      404,
      'tag_not_found',
    );

    const tagsSeenBy = async (client: ReturnType<typeof apiClient>) =>
      (await client.get(`/customers/${s.customer}`)).body.follows.flatMap((f: { tags: { tagId: string }[] }) => f.tags.map((t) => t.tagId));
    expect(await tagsSeenBy(asB)).toEqual([s.tags[0]!.tagId]);
    expect(await tagsSeenBy(apiClient(app, s.key))).toEqual([s.tags[0]!.tagId]);
    expect(await tagsSeenBy(apiClient(app, s.key, manager!))).toEqual([s.tags[0]!.tagId]);
    expect((await tagsSeenBy(apiClient(app, s.key, s.staffA))).sort()).toEqual([tagId, s.tags[0]!.tagId].sort());
  });
});
