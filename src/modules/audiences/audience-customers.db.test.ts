import { expect, it } from 'vitest';
import { useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { gradedScene } from './graded-scene.test-support.js';

describeDb('audience customer listing and tag origins (the console’s 客户列表)', (db) => {
  const app = useTestApp(db);

  const scene = () => gradedScene(app, db);

  const ids = (body: { customers: { externalUserid: string }[] }) => body.customers.map((c) => c.externalUserid);

  it('pages through everyone the caller may see when no audience is given, in creation order', async () => {
    const { f, admin } = await scene();
    const first = await admin.post('/audiences/customers', { limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 3, total: 3, text: '' });
    expect(ids(first.body)).toEqual([f.shCustomer, f.bjCustomer]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin.post('/audiences/customers', { limit: 2, cursor: first.body.nextCursor });
    expect(ids(second.body)).toEqual([f.internCustomer]);
    expect(second.body.nextCursor).toBeNull();
    const bad = await admin.post('/audiences/customers', { cursor: 'garbage' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
  });

  it('lists an audience’s customers with followers and tags, narrowed by a name search, inside the data scope', async () => {
    const { f, admin, as } = await scene();
    const graded = await admin.post('/audiences/customers', { text: 'tag:A级' });
    expect(graded.body).toMatchObject({ count: 2, total: 3, text: 'tag:A级' });
    const bj = graded.body.customers.find((c: { externalUserid: string }) => c.externalUserid === f.bjCustomer);
    expect(bj).toMatchObject({ name: '北京客户', followers: [{ userid: f.people.bjStaff, name: '北京销售' }], province: '北京' });
    expect(bj.tags.map((t: { name: string; kind: string }) => `${t.name}:${t.kind}`)).toEqual(['A级:corp', 'B级:corp']);
    const searched = await admin.post('/audiences/customers', { text: 'tag:A级', q: '北京' });
    expect(searched.body.count).toBe(1);
    expect(ids(searched.body)).toEqual([f.bjCustomer]);
    expect(ids((await admin.post('/audiences/customers', { q: f.internCustomer })).body)).toEqual([f.internCustomer]);
    const manager = await as('hdManager').post('/audiences/customers', {});
    expect(manager.body).toMatchObject({ count: 2, total: 2 });
    expect(ids(manager.body).sort()).toEqual([f.shCustomer, f.internCustomer].sort());
  });

  it('refuses a bad audience text with the place of the problem', async () => {
    const { admin } = await scene();
    const syntax = await admin.post('/audiences/customers', { text: 'tag:A级 and (' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.message).toMatch(/column/);
    const unknown = await admin.post('/audiences/customers', { text: 'tag:不存在' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('不存在');
  });

  it('tells each tag’s origin in the customer detail: who, which batch, when', async () => {
    const { f, as, b } = await scene();
    const manager = as('hdManager');
    const before = Date.now();
    const queued = await manager.post('/operations/batch', { action: 'tag', tagIds: [b], selection: { externalUserids: [f.shCustomer] } });
    expect(queued.status).toBe(202);
    const operationId = queued.body.operation.operationId as string;
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes((await manager.get(`/operations/${operationId}`)).body.operation.status); i += 1)
      await new Promise((r) => setTimeout(r, 50));
    const detail = await manager.get(`/customers/${f.shCustomer}`);
    expect(detail.status).toBe(200);
    expect(detail.body.follows.map((x: { userid: string; userName: string }) => [x.userid, x.userName])).toEqual([[f.people.shStaff, '上海销售']]);
    const tags = detail.body.follows[0].tags as {
      name: string;
      origin: { source: string; by: string; byName: string | null; operationId: string | null; operationKind: string | null; at: string };
    }[];
    const batched = tags.find((t) => t.name === 'B级')!;
    expect(batched.origin).toMatchObject({ source: 'batch', by: `user:${f.people.hdManager}`, byName: '华东经理', operationId, operationKind: 'batch' });
    expect(Date.parse(batched.origin.at)).toBeGreaterThanOrEqual(before - 1000);
    const single = tags.find((t) => t.name === 'A级')!;
    expect(single.origin.operationId).toBeNull();
    expect(single.origin.operationKind).toBeNull();
  });
});
