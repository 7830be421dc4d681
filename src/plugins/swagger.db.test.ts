import { expect, it } from 'vitest';
import { useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';

describeDb('the OpenAPI document', (db) => {
  const app = useTestApp(db, { runJobs: false });

  it("lists every route of the route table with a unique operationId (the docs' own pages aside)", async () => {
    const doc = (await app().inject({ url: '/docs/json' })).json();
    const operations = new Map<string, { operationId?: string }>();
    for (const [path, item] of Object.entries<Record<string, { operationId?: string }>>(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) operations.set(`${method.toUpperCase()} ${path}`, operation);
    }
    const routes = app()
      .routeTable.filter((r) => r.url !== '/docs' && !r.url.startsWith('/docs/'))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter((route) => !operations.has(route))).toEqual([]);
    const ids = [...operations.values()].map((o) => o.operationId);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(operations.size).toBe(routes.length);
  });

  it('documents /cgi-bin under its own tag: the token as a query parameter, request bodies and replies', async () => {
    const doc = (await app().inject({ url: '/docs/json' })).json();
    expect(doc.components.securitySchemes.accessToken).toEqual({ type: 'apiKey', in: 'query', name: 'access_token' });
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('WeCom-compatible');
    const wecomOps = Object.entries<Record<string, any>>(doc.paths).filter(([path]) => path.startsWith('/cgi-bin/'));
    expect(wecomOps.length).toBeGreaterThanOrEqual(21);
    for (const [path, item] of wecomOps) {
      for (const [method, op] of Object.entries<any>(item)) {
        expect(op.tags, `${method} ${path}`).toEqual(['WeCom-compatible']);
        expect(op.security, `${method} ${path}`).toEqual(path === '/cgi-bin/gettoken' ? [] : [{ accessToken: [] }]);
        expect(op.responses['200'].content['application/json'].schema.required, `${method} ${path}`).toEqual(expect.arrayContaining(['errcode', 'errmsg']));
        if (method === 'post') expect(op.requestBody, `${method} ${path}`).toBeDefined();
      }
    }
    const add = doc.paths['/cgi-bin/externalcontact/add_corp_tag'];
    expect(add.post.requestBody.content['application/json'].schema.properties.tag.items.required).toEqual(['name']);
    expect(add.get).toMatchObject({ deprecated: true, operationId: 'wecomExternalcontactAddCorpTagViaGet' });
    expect(doc.paths['/cgi-bin/externalcontact/list'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['userid']);
  });

  it('the documented schemas validate nothing: a WeCom call still answers its own errcode', async () => {
    const res = await app().inject({ method: 'POST', url: '/cgi-bin/externalcontact/add_corp_tag?access_token=nope', payload: { tag: 'not a list' } });
    expect(res.json()).toMatchObject({ errcode: 40014 });
  });
});
