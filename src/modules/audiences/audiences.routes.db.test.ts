import { expect, it } from 'vitest';
import { detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { gradedScene } from './graded-scene.test-support.js';

describeDb('audiences API: count, explain, export and saved audiences', (db) => {
  const app = useTestApp(db);

  const scene = () => gradedScene(app, db);

  it('counts from the index, with a sample and the canonical text, and sees a mark made just before', async () => {
    const { f, admin, a, mark } = await scene();
    const first = await admin.post('/audiences/count', { text: 'tag:A级' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 2, total: 3, text: 'tag:A级' });
    expect(first.body.sample.map((s: { externalUserid: string }) => s.externalUserid).sort()).toEqual([f.shCustomer, f.bjCustomer].sort());
    await mark(f.internCustomer, f.people.shIntern, [a]);
    expect((await admin.post('/audiences/count', { expression: { tag: a } })).body.count).toBe(3);
    const excluded = await admin.post('/audiences/count', { text: 'tag:A级 and not tag:B级' });
    expect(excluded.body.count).toBe(2);
    expect((await admin.post('/audiences/count', { text: 'group:客户等级:all' })).body.count).toBe(1);
  });

  it('keeps every count inside the caller’s data scope', async () => {
    const { as } = await scene();
    const manager = await as('hdManager').post('/audiences/count', { text: 'tag:A级' });
    expect(manager.body).toMatchObject({ count: 1, total: 2 });
    const staff = await as('bjStaff').post('/audiences/count', { text: 'tag:A级 and tag:B级' });
    expect(staff.body).toMatchObject({ count: 1, total: 1 });
    expect((await as('shStaff').post('/audiences/count', { text: 'tag:B级' })).body.count).toBe(0);
  });

  it('answers the editor’s live count (no sample) with the same number as a count with one, inside the caller’s data scope', async () => {
    const { as } = await scene();
    const texts = ['tag:A级', 'tag:A级 and not tag:B级', 'not (tag:A级 or tag:B级)', 'tag:A级 or tag:B级', 'not tag:B级', 'group:客户等级:all'];
    for (const who of ['admin', 'hdManager', 'bjStaff', 'shStaff'] as const) {
      for (const text of texts) {
        const withSample = await as(who).post('/audiences/count', { text });
        const live = await as(who).post('/audiences/count', { text, sampleSize: 0 });
        expect(live.status).toBe(200);
        expect(live.body).toMatchObject({ count: withSample.body.count, total: withSample.body.total, sample: [] });
      }
    }
    expect((await as('hdManager').post('/audiences/count', { text: 'tag:A级', sampleSize: 0 })).body).toMatchObject({ count: 1, total: 2 });
  });

  it('refuses bad expressions with the place of the problem', async () => {
    const { f, admin, as, a } = await scene();
    const syntax = await admin.post('/audiences/count', { text: 'tag:A级 and (' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.message).toMatch(/column/);
    const unknownName = await admin.post('/audiences/count', { text: 'tag:不存在' });
    expect(unknownName.status).toBe(400);
    expect(unknownName.body.error.message).toContain('不存在');
    const unknownId = await admin.post('/audiences/count', { expression: { all: [{ tag: a }, { tag: 'etNoSuchTag00000000000000000000' }] } });
    expect(unknownId.status).toBe(404);
    expect(detailPaths(unknownId)).toEqual(['body.expression.all.1.tag']);
    const shape = await admin.post('/audiences/count', { expression: { all: [{ tag: a }, { added: { within: { amount: 0, unit: 'd' } } }] } });
    expect(shape.status).toBe(400);
    expect(detailPaths(shape)).toEqual(['body.expression.all.1.added.within.amount']);
    const both = await admin.post('/audiences/count', { text: 'tag:A级', expression: { tag: a } });
    expect(both.status).toBe(400);
    // 协议价客户 is seen by 华东 only: for 北京 staff the name does not exist.
    expect((await admin.patch(`/tag-groups/${f.contract.group.groupId}`, { scope: { view: { regions: ['华东'] } } })).status).toBe(200);
    const hidden = await as('bjStaff').post('/audiences/count', { expression: { tag: f.contract.tags[0]!.tagId } });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('tag_not_found');
  });

  it('explains clause by clause, and only for customers the caller may see', async () => {
    const { f, admin, as } = await scene();
    const res = await admin.post('/audiences/explain', { text: 'tag:A级 and not region:华北', externalUserid: f.bjCustomer });
    expect(res.status).toBe(200);
    expect(res.body.held).toBe(false);
    expect(res.body.explanation.children.map((c: { held: boolean }) => c.held)).toEqual([true, false]);
    expect(res.body.explanation.children[0].reason).toContain(f.people.bjStaff);
    const hidden = await as('shStaff').post('/audiences/explain', { text: 'tag:A级', externalUserid: f.bjCustomer });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('customer_not_found');
  });

  it('exports the matched customers as CSV with the caller’s visible tags', async () => {
    const { f, admin, as } = await scene();
    const res = await admin.post('/audiences/export', { text: 'tag:A级' });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/csv');
    const lines = String(res.body).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('external_userid,name,gender,province,city,corp_name,followers,tags');
    expect(lines).toHaveLength(3);
    const bj = lines.find((l) => l.startsWith(f.bjCustomer))!;
    expect(bj).toContain('客户等级/A级;客户等级/B级');
    expect(bj).toContain(f.people.bjStaff);
    const refused = await as('shStaff').post('/audiences/export', { text: 'tag:A级' });
    expect(refused.status).toBe(403);
  });

  it('refuses count, list and explain to a role without customer.view, even for customers in its data scope', async () => {
    const { f, admin, as } = await scene();
    const staff = as('shStaff');
    expect((await staff.post('/audiences/explain', { text: 'tag:A级', externalUserid: f.shCustomer })).body).toMatchObject({ held: true });
    const roles = await admin.get('/roles');
    const staffRole = roles.body.roles.find((r: { roleId: string }) => r.roleId === 'staff');
    const patched = await admin.patch('/roles/staff', {
      permissions: staffRole.permissions.filter(
        (p: string) => !['customer.view', 'customer.update', 'tag.apply', 'tag.remove', 'personalTag.manage'].includes(p),
      ),
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    for (const [path, body] of [
      ['/audiences/explain', { text: 'tag:A级', externalUserid: f.shCustomer }],
      ['/audiences/count', { text: 'tag:A级' }],
      ['/audiences/customers', {}],
    ] as const) {
      const res = await staff.post(path, body);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 403, 'forbidden']);
    }
  });

  it('saves audiences with their current size; private when they use personal tags', async () => {
    const { f, as, admin } = await scene();
    const manager = as('hdManager');
    const created = await manager.post('/audiences', { name: '高等级', text: 'tag:A级' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '高等级', text: 'tag:A级', size: 1, isPrivate: false, ownerUserid: f.people.hdManager });
    expect((await admin.get(`/audiences/${created.body.audienceId}`)).body.size).toBe(2);
    await expectRefused(db().db, f.corpId, () => manager.post('/audiences', { name: '高等级', text: 'tag:B级' }), 409, 'name_taken');
    await expectRefused(db().db, f.corpId, () => as('shStaff').post('/audiences', { name: '员工的', text: 'tag:B级' }), 403, 'forbidden');
    const renamed = await manager.patch(`/audiences/${created.body.audienceId}`, { name: '重点', text: 'tag:B级' });
    expect(renamed.body).toMatchObject({ name: '重点', text: 'tag:B级', size: 0 });

    const personal = await manager.post('/personal-tags', { name: '老朋友' });
    expect(personal.status).toBe(201);
    const mine = await manager.post('/audiences', { name: '我的老朋友', expression: { tag: personal.body.tagId } });
    expect(mine.body.isPrivate).toBe(true);
    const names = async (client: ReturnType<typeof as>) => (await client.get('/audiences')).body.audiences.map((x: { name: string }) => x.name).sort();
    expect(await names(manager)).toEqual(['我的老朋友', '重点']);
    expect(await names(as('bjManager'))).toEqual(['重点']);
    expect((await as('bjManager').get(`/audiences/${mine.body.audienceId}`)).status).toBe(404);
    expect((await manager.delete(`/audiences/${created.body.audienceId}`)).status).toBe(204);
    expect(await names(manager)).toEqual(['我的老朋友']);
  });

  it('records behaviour facts and counts them in windows', async () => {
    const { f, admin } = await scene();
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString();
    const recorded = await admin.post('/customer-events', {
      events: [
        { externalUserid: f.shCustomer, type: 'link.clicked', target: 'p1', occurredAt: at(1), dedupKey: 'k1' },
        { externalUserid: f.shCustomer, type: 'link.clicked', target: 'p1', occurredAt: at(2) },
        { externalUserid: f.bjCustomer, type: 'link.clicked', target: 'p1', occurredAt: at(20) },
        { externalUserid: f.bjCustomer, type: 'link.clicked', target: 'p1', occurredAt: at(3) },
      ],
    });
    expect(recorded.body).toEqual({ recorded: 4, duplicates: 0 });
    const again = await admin.post('/customer-events', {
      events: [{ externalUserid: f.shCustomer, type: 'link.clicked', target: 'p1', occurredAt: at(1), dedupKey: 'k1' }],
    });
    expect(again.body).toEqual({ recorded: 0, duplicates: 1 });
    const count = await admin.post('/audiences/count', { text: 'event:link.clicked(target=p1, count>=2, within=7d)' });
    expect(count.body.count).toBe(1);
    expect(count.body.sample[0].externalUserid).toBe(f.shCustomer);
    expect((await admin.post('/audiences/count', { text: 'event:link.clicked(target=p1, count=0)' })).body.count).toBe(1);
    const bad = await expectRefused(
      db().db,
      f.corpId,
      () =>
        admin.post('/customer-events', {
          events: [
            { externalUserid: f.shCustomer, type: 'x.y', occurredAt: at(0) },
            { externalUserid: 'wmNobody', type: 'x.y', occurredAt: at(0) },
          ],
        }),
      404,
      'customer_not_found',
    );
    expect(detailPaths(bad)).toEqual(['body.events.1.externalUserid']);
  });
});
