import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { apiClient, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';

/** Polls until `check` passes (smart tags follow data asynchronously, within about a second). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (check(value)) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) return { value, ms: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeDb('smart groups: tags kept equal to their rules', (db) => {
  const app = useTestApp(db);

  async function scene() {
    const f = await buildRegionalCorp(db().db);
    const admin = apiClient(app, f.secret);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    const mark = async (customer: string, userid: string, body: { add?: string[]; remove?: string[] }) =>
      expect((await admin.post(`/customers/${customer}/follows/${userid}/tags`, body)).status).toBe(200);
    return { f, admin, a, b, mark };
  }

  const carriers = async (client: ReturnType<typeof apiClient>, tagId: string) => {
    const res = await client.post('/audiences/count', { expression: { tag: tagId }, sampleSize: 100 });
    return (res.body.sample as { externalUserid: string }[]).map((s) => s.externalUserid).sort();
  };

  it('applies a rule to existing customers, then follows marks added and removed', async () => {
    const { f, admin, a, mark } = await scene();
    await mark(f.shCustomer, f.people.shStaff, { add: [a] });
    const created = await admin.post('/smart-groups', { name: '自动分层', tags: [{ name: '高价值-华东', text: 'tag:A级 and region:华东' }] });
    expect(created.status).toBe(201);
    const smartTag = created.body.tags[0].tagId as string;
    expect(created.body.tags[0]).toMatchObject({ name: '高价值-华东', text: 'tag:A级 and region:华东' });

    const applied = await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 1,
    );
    expect(applied.value).toEqual([f.shCustomer]);
    await mark(f.internCustomer, f.people.shIntern, { add: [a] });
    await mark(f.bjCustomer, f.people.bjStaff, { add: [a] });
    const grown = await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 2,
    );
    expect(grown.value).toEqual([f.shCustomer, f.internCustomer].sort());
    await mark(f.shCustomer, f.people.shStaff, { remove: [a] });
    const shrunk = await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 1,
    );
    expect(shrunk.value).toEqual([f.internCustomer]);

    // The marks are real marks with source `rule`, visible on the customer as any tag.
    const detail = await admin.get(`/customers/${f.internCustomer}`);
    expect(JSON.stringify(detail.body)).toContain(smartTag);
    const audit = await admin.get(`/audit?type=smart_tag.synced&limit=10`);
    expect(audit.body.events.length).toBeGreaterThanOrEqual(2);
  });

  it('follows a rule change, and previews what a change would do before saving', async () => {
    const { f, admin, a, b, mark } = await scene();
    await mark(f.shCustomer, f.people.shStaff, { add: [a] });
    await mark(f.bjCustomer, f.people.bjStaff, { add: [b] });
    const created = await admin.post('/smart-groups', { name: '等级', tags: [{ name: '有A', expression: { tag: a } }] });
    const groupId = created.body.groupId as string;
    const smartTag = created.body.tags[0].tagId as string;
    await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 1,
    );

    const preview = await admin.post('/smart-groups/preview', { tags: [{ tagId: smartTag, text: 'tag:B级' }, { text: 'tag:A级 or tag:B级' }] });
    expect(preview.status).toBe(200);
    expect(preview.body.tags).toEqual([
      { tagId: smartTag, members: 1, gain: 1, lose: 1, text: 'tag:B级' },
      // The canonical text orders siblings by id, and tag ids are random.
      { members: 2, gain: 2, lose: 0, text: expect.stringMatching(/^tag:[AB]级 or tag:[AB]级$/) },
    ]);
    expect((await admin.patch(`/smart-groups/${groupId}/tags/${smartTag}`, { text: 'tag:B级' })).status).toBe(200);
    const moved = await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 1 && c[0] === f.bjCustomer,
    );
    expect(moved.value).toEqual([f.bjCustomer]);
  });

  it('refuses hand marking, rules on personal or smart tags, and bad rules; changes nothing', async () => {
    const { f, admin, a } = await scene();
    const created = await admin.post('/smart-groups', { name: '规则', tags: [{ name: '有A', expression: { tag: a } }] });
    const smartTag = created.body.tags[0].tagId as string;
    await expectRefused(
      db().db,
      f.corpId,
      () => admin.post(`/customers/${f.shCustomer}/follows/${f.people.shStaff}/tags`, { add: [smartTag] }),
      400,
      'validation_failed',
    );
    const chained = await expectRefused(
      db().db,
      f.corpId,
      () => admin.post('/smart-groups', { name: '链', tags: [{ name: 'x', expression: { not: { tag: smartTag } } }] }),
      400,
      'validation_failed',
    );
    expect(detailPaths(chained)).toEqual(['body.tags.0.expression.not.tag']);
    const staff = apiClient(app, f.secret, f.people.shStaff);
    await expectRefused(
      db().db,
      f.corpId,
      () => staff.post('/smart-groups', { name: '员工', tags: [{ name: 'x', expression: { tag: a } }] }),
      403,
      'forbidden',
    );
    const manager = apiClient(app, f.secret, f.people.hdManager);
    const personal = await manager.post('/personal-tags', { name: '私' });
    await expectRefused(
      db().db,
      f.corpId,
      () => manager.post('/smart-groups', { name: '私规则', tags: [{ name: 'x', expression: { tag: personal.body.tagId } }] }),
      400,
      'validation_failed',
    );
    const syntax = await expectRefused(
      db().db,
      f.corpId,
      () => admin.post('/smart-groups', { name: '坏', tags: [{ name: 'x', text: 'tag:A级 and' }] }),
      400,
      'validation_failed',
    );
    expect(syntax.body.error.message).toMatch(/column/);
    await expectRefused(
      db().db,
      f.corpId,
      () => admin.post('/smart-groups', { name: '规则', tags: [{ name: 'y', expression: { tag: a } }] }),
      409,
      'name_taken',
    );
  });

  it('shows a group only to its application scope, and deletes with its marks archived', async () => {
    const { f, admin, a, mark } = await scene();
    await mark(f.shCustomer, f.people.shStaff, { add: [a] });
    const created = await admin.post('/smart-groups', { name: '华东专用', scope: { regions: ['华东'] }, tags: [{ name: '有A', expression: { tag: a } }] });
    expect(created.body.scope).toEqual({ regions: ['华东'] });
    const names = async (who: string) => (await apiClient(app, f.secret, who).get('/smart-groups')).body.groups.map((g: { name: string }) => g.name);
    expect(await names(f.people.shStaff)).toEqual(['华东专用']);
    expect(await names(f.people.bjStaff)).toEqual([]);
    const smartTag = created.body.tags[0].tagId as string;
    await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 1,
    );
    expect((await admin.delete(`/smart-groups/${created.body.groupId}`)).status).toBe(204);
    expect((await admin.get('/smart-groups')).body.groups).toEqual([]);
    const after = await admin.post('/audiences/count', { expression: { tag: smartTag } });
    expect(after.status).toBe(404);
  });

  it('puts a member’s smart tag on a follow relation the customer gains later, and keeps it there', async () => {
    const { f, admin, a, mark } = await scene();
    await mark(f.shCustomer, f.people.shStaff, { add: [a] });
    const created = await admin.post('/smart-groups', { name: '自动', tags: [{ name: '有A', expression: { tag: a } }] });
    const smartTag = created.body.tags[0].tagId as string;
    await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 1,
    );
    const relationsWithTag = async () =>
      await queryRows<{ userid: string; source: string }>(
        db().db,
        sql`
        select userid, source from marks where corp_id = ${f.corpId} and external_userid = ${f.shCustomer} and tag_id = ${smartTag} order by userid`,
      );

    // An import adds the 华东经理 as a second follower of the member.
    const res = await app().inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { authorization: `Bearer ${f.secret}`, 'content-type': 'text/csv' },
      payload: `external_userid,userid\n${f.shCustomer},${f.people.hdManager}\n`,
    });
    expect(res.statusCode).toBe(201);
    const expected = [
      { userid: f.people.hdManager, source: 'rule' },
      { userid: f.people.shStaff, source: 'rule' },
    ].sort((x, y) => x.userid.localeCompare(y.userid));
    expect(await relationsWithTag()).toEqual(expected);
    const [event] = await queryRows<{ payload: { added: string[]; newRelations: boolean } }>(
      db().db,
      sql`
      select payload from events where corp_id = ${f.corpId} and type = 'smart_tag.synced' and payload->>'newRelations' = 'true'`,
    );
    expect(event?.payload).toMatchObject({ added: [f.shCustomer], newRelations: true });

    // The maintainer, running on the import's events, neither removes it nor doubles it.
    await eventually(
      () => carriers(admin, smartTag),
      (c) => c.length === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await relationsWithTag()).toEqual(expected);
  });
});
