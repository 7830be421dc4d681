import { describe, expect, it } from 'vitest';
import { withTx } from '../context.js';
import { deleteTags } from '../modules/tags/commands/delete-tags.js';
import { createPersonalTag } from '../modules/tags/commands/personal-tags.js';
import { apiClient, buildApiScene, corpState, useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { buildTagGroup, employeeCtx } from '../test/factories.js';

type Scene = Awaited<ReturnType<typeof buildApiScene>>;

/** Every native route once, with a request that would succeed for the scene's admin. */
function everyRoute(s: Scene, ids: { deletedGroup: string; deletedTag: string; personalTag: string }) {
  const follow = `/customers/${s.customer}/follows/${s.staffA}`;
  return [
    { method: 'GET', url: '/tag-groups' },
    { method: 'POST', url: '/tag-groups', body: { name: '新组', tags: [{ name: '新' }] } },
    { method: 'GET', url: `/tag-groups/${s.group.groupId}` },
    { method: 'PATCH', url: `/tag-groups/${s.group.groupId}`, body: { name: '改名' } },
    { method: 'DELETE', url: `/tag-groups/${s.group.groupId}` },
    { method: 'POST', url: `/tag-groups/${ids.deletedGroup}/restore` },
    { method: 'POST', url: `/tag-groups/${s.group.groupId}/tags`, body: { tags: [{ name: '中意向' }] } },
    { method: 'PATCH', url: `/tags/${s.tags[0]!.tagId}`, body: { name: '改' } },
    { method: 'DELETE', url: `/tags/${s.tags[0]!.tagId}` },
    { method: 'POST', url: `/tags/${ids.deletedTag}/restore` },
    { method: 'POST', url: '/tags/delete', body: { tagIds: [s.tags[1]!.tagId] } },
    { method: 'GET', url: '/personal-tags' },
    { method: 'POST', url: '/personal-tags', body: { name: '老朋友' } },
    { method: 'PATCH', url: `/personal-tags/${ids.personalTag}`, body: { name: '新名' } },
    { method: 'DELETE', url: `/personal-tags/${ids.personalTag}` },
    { method: 'GET', url: '/customers' },
    { method: 'GET', url: `/customers/${s.customer}` },
    { method: 'POST', url: `${follow}/tags`, body: { add: [s.tags[0]!.tagId] } },
    { method: 'PATCH', url: follow, body: { remark: '张总' } },
    { method: 'GET', url: '/settings' },
    { method: 'PATCH', url: '/settings', body: { limits: { nameMaxLength: 20 } } },
    {
      method: 'POST',
      url: '/messages',
      body: {
        messages: [{ userid: s.staffA, externalUserid: s.customer, direction: 'in', text: '你好', sentAt: '2026-12-01T08:00:00.000Z', idempotencyKey: 'k1' }],
      },
    },
  ] as const;
}

async function sceneWithDeletions(db: Parameters<typeof buildApiScene>[0]) {
  const s = await buildApiScene(db);
  const doomed = await buildTagGroup(s.ctx, ['旧甲', '旧乙']);
  await withTx(s.ctx, (tx) => deleteTags(tx, { groupIds: [doomed.group.groupId] }));
  const lone = await buildTagGroup(s.ctx, ['留', '删']);
  await withTx(s.ctx, (tx) => deleteTags(tx, { tagIds: [lone.tags[1]!.tagId] }));
  const personal = await withTx(employeeCtx(db, s.corpId, s.staffA), (tx) => createPersonalTag(tx, { name: '私' }));
  return { s, ids: { deletedGroup: doomed.group.groupId, deletedTag: lone.tags[1]!.tagId, personalTag: personal.tagId } };
}

describeDb('native API', (db) => {
  const app = useTestApp(db);

  it('401: every route refuses a missing or wrong API key, before validating, and changes nothing', async () => {
    const { s, ids } = await sceneWithDeletions(db().db);
    const before = await corpState(db().db, s.corpId);
    for (const key of [null, 'not-a-key', `${s.key}x`]) {
      for (const route of everyRoute(s, ids)) {
        const res = await apiClient(app, key)[route.method === 'DELETE' ? 'delete' : (route.method.toLowerCase() as 'get' | 'post' | 'patch')](
          route.url,
          'body' in route ? route.body : undefined,
        );
        expect(res.status, `${route.method} ${route.url}`).toBe(401);
        expect(res.body.error).toMatchObject({ code: 'unauthorized', requestId: expect.stringMatching(/^req/) });
      }
    }
    // A malformed body still gets 401 first: authentication comes before validation.
    expect((await apiClient(app, null).post('/tag-groups', { bogus: true })).status).toBe(401);
    expect(await corpState(db().db, s.corpId)).toEqual(before);
  });

  it('401: acting as an unknown employee or one from another corp is refused', async () => {
    const s = await buildApiScene(db().db);
    const other = await buildApiScene(db().db);
    for (const userid of ['nobody', other.staffA]) {
      const res = await apiClient(app, s.key, userid).get('/tag-groups');
      expect(res.status).toBe(401);
      expect(res.body.error.message).toContain(userid);
    }
  });

  it("404 across tenants: corp B's key (even as its admin) never reaches corp A's ids, and nothing changes", async () => {
    const { s: a, ids } = await sceneWithDeletions(db().db);
    const b = await buildApiScene(db().db);
    const beforeA = await corpState(db().db, a.corpId);
    const beforeB = await corpState(db().db, b.corpId);
    const api = apiClient(app, b.key, b.admin);
    const onAIds = everyRoute(a, ids).filter((r) => /\/(tag-groups|tags|personal-tags|customers)\/./.test(r.url));
    for (const route of onAIds) {
      const res = await api[route.method === 'DELETE' ? 'delete' : (route.method.toLowerCase() as 'get' | 'post' | 'patch')](
        route.url,
        'body' in route ? route.body : undefined,
      );
      expect(res.status, `${route.method} ${route.url}`).toBe(404);
    }
    expect((await api.post('/tags/delete', { tagIds: [a.tags[0]!.tagId] })).status).toBe(404);
    expect((await api.get(`/customers?userid=${a.staffA}`)).status).toBe(404);
    // A's tag on B's own customer is unknown too.
    expect((await api.post(`/customers/${b.customer}/follows/${b.staffA}/tags`, { add: [a.tags[0]!.tagId] })).body.error.code).toBe('tag_not_found');
    // Listing by A's ids finds nothing rather than leaking A's groups.
    expect((await api.get(`/tag-groups?groupId=${a.group.groupId}&tagId=${a.tags[0]!.tagId}`)).body.groups).toEqual([]);
    expect(await corpState(db().db, a.corpId)).toEqual(beforeA);
    expect(await corpState(db().db, b.corpId)).toEqual(beforeB);
  });

  it('400 lists every issue across path, query and body, one detail each', async () => {
    const s = await buildApiScene(db().db);
    const before = await corpState(db().db, s.corpId);
    const api = apiClient(app, s.key);
    const longId = 'x'.repeat(80);
    const res = await api.patch(`/customers/${longId}/follows/${s.staffA}`, { remark: 5, remarkMobiles: 'no', typo: 1, other: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.other',
      'body.remark',
      'body.remarkMobiles',
      'body.typo',
      'params.externalUserid',
    ]);
    const query = await api.get('/customers?limit=5000&colour=1');
    expect(query.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.limit', 'query.colour']);
    const missing = await api.post('/tag-groups');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toHaveLength(1);
    expect(await corpState(db().db, s.corpId)).toEqual(before);
  });

  it('404: an unknown path under /api/v1 answers the coded envelope', async () => {
    const s = await buildApiScene(db().db);
    const res = await apiClient(app, s.key).get('/nope?x=1');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', message: 'No route GET /api/v1/nope.' });
  });

  describe('OpenAPI', () => {
    it('/docs/json lists the native paths with their schemas (the WeCom surface and the probes beside them)', async () => {
      const res = await app().inject({ method: 'GET', url: '/docs/json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      const paths = Object.keys(doc.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/tag-groups',
          '/api/v1/tag-groups/{groupId}',
          '/api/v1/tag-groups/{groupId}/restore',
          '/api/v1/tag-groups/{groupId}/tags',
          '/api/v1/tags/{tagId}',
          '/api/v1/tags/{tagId}/restore',
          '/api/v1/tags/delete',
          '/api/v1/personal-tags',
          '/api/v1/personal-tags/{tagId}',
          '/api/v1/customers',
          '/api/v1/customers/{externalUserid}',
          '/api/v1/customers/{externalUserid}/follows/{userid}/tags',
          '/api/v1/customers/{externalUserid}/follows/{userid}',
          '/api/v1/settings',
        ]),
      );
      expect(paths.filter((p) => !p.startsWith('/api/v1/') && !p.startsWith('/cgi-bin/'))).toEqual([
        '/hooks/{sourceId}',
        '/hooks/wecom/{corpId}',
        '/healthz',
        '/readyz',
      ]);
      const create = doc.paths['/api/v1/tag-groups'].post;
      expect(create.requestBody.content['application/json'].schema).toMatchObject({ additionalProperties: false, required: ['name', 'tags'] });
      expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
      const patchTag = doc.paths['/api/v1/tags/{tagId}'].patch.requestBody.content['application/json'].schema;
      expect(patchTag.properties.description.maxLength).toBe(200);
      expect(patchTag.properties.color.pattern).toBeDefined();
      expect(doc.paths['/api/v1/tag-groups'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['groupId', 'tagId']);
    });
  });
});
