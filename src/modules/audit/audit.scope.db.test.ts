import { and, eq, gt, max } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { events } from '../../db/schema/index.js';
import { recordEvent } from '../../events/record.js';
import { apiClient, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, unique } from '../../test/factories.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';
import { parseCsv } from './test-support.js';

type Entry = { seq: number; type: string; subject: { id: string | null }; payload: unknown; redacted: boolean };

describeDb('audit log by data scope', (db) => {
  // Batches stay queued: their events are the ones the requests write, nothing in the background.
  const app = useTestApp(db, { runJobs: false });

  /** The log as `reader` (acting through the customer-contact secret) sees it after `seq`, newest first. */
  async function readAfter(secret: string, reader: string | undefined, seq: number): Promise<Entry[]> {
    const res = await apiClient(app, secret, reader).get('/audit?limit=500');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return (res.body.events as Entry[]).filter((e) => e.seq > seq);
  }
  const brief = (entries: Entry[]) => entries.map((e) => `${e.type} ${e.subject.id}`);

  it('a manager reads what their region reaches and what they did; admins and the full secret read everything', async () => {
    const f = await buildRegionalCorp(db().db);
    const p = f.people;
    const full = apiClient(app, f.secret);
    const asAdmin = apiClient(app, f.secret, p.admin);
    const asManager = apiClient(app, f.secret, p.hdManager);
    // A region-wide reader who does not keep the library, so tag-group scopes apply to them.
    expect((await full.post('/roles', { roleId: 'auditor', name: '审计', permissions: ['customer.view', 'audit.view'], dataScope: 'region' })).status).toBe(
      201,
    );
    const auditor = unique('aud');
    expect((await full.post('/employees', { userid: auditor, name: '华东审计', departmentIds: [3], role: 'auditor' })).status).toBe(201);
    const shLeaving = await buildCustomer(f.ctx, [p.shStaff]);
    const bjLeaving = await buildCustomer(f.ctx, [p.bjStaff]);
    const baseline = Number(
      (
        await db()
          .db.select({ seq: max(events.seq) })
          .from(events)
          .where(eq(events.corpId, f.corpId))
      )[0]!.seq,
    );
    const [gradeA] = f.grade.tags;

    // In the 华东 region: a relation's tags and remark, an employee, a hand-over away from it.
    expect((await asAdmin.post(`/customers/${f.shCustomer}/follows/${p.shStaff}/tags`, { add: [gradeA!.tagId] })).status).toBe(200);
    expect((await asAdmin.patch(`/customers/${f.shCustomer}/follows/${p.shStaff}`, { remark: '华东备注' })).status).toBe(200);
    expect((await full.patch(`/employees/${p.shStaff}`, { name: '上海销售（改）' })).status).toBe(200);
    expect((await asAdmin.post('/customers/transfer', { handoverUserid: p.shStaff, takeoverUserid: p.bjStaff, externalUserids: [shLeaving] })).status).toBe(
      200,
    );
    // In 华北, and corp-level: none of it is the 华东 manager's business.
    expect((await asAdmin.post(`/customers/${f.bjCustomer}/follows/${p.bjStaff}/tags`, { add: [gradeA!.tagId] })).status).toBe(200);
    expect((await asAdmin.patch(`/customers/${f.bjCustomer}/follows/${p.bjStaff}`, { remark: '华北备注' })).status).toBe(200);
    expect((await full.patch(`/employees/${p.bjStaff}`, { name: '北京销售（改）' })).status).toBe(200);
    expect((await asAdmin.post('/customers/transfer', { handoverUserid: p.bjStaff, takeoverUserid: p.bjManager, externalUserids: [bjLeaving] })).status).toBe(
      200,
    );
    expect((await full.post('/departments', { name: '新部门', parentId: 1 })).status).toBe(201);
    expect((await full.patch('/settings', { limits: { nameMaxLength: 20 } })).status).toBe(200);
    expect((await full.post('/apps', { name: '华北应用', range: { departments: [5], userids: [] } })).status).toBe(201);
    expect((await asAdmin.post('/personal-tags', { name: '管理员私有' })).status).toBe(201);
    const adminBatch = await asAdmin.post('/operations/batch', { action: 'tag', tagIds: [gradeA!.tagId], selection: { externalUserids: [f.bjCustomer] } });
    expect(adminBatch.status).toBe(202);
    // A group only 华北 sees: the manager keeps the library and sees it; the auditor does not.
    expect((await full.patch(`/tag-groups/${f.contract.group.groupId}`, { scope: { view: { regions: ['华北'] } } })).status).toBe(200);
    // What the manager does themselves, and what happens to it.
    const mine = await asManager.post('/personal-tags', { name: '经理私有' });
    expect(mine.status).toBe(201);
    const group = await asManager.post('/tag-groups', { name: '经理建的组', tags: [{ name: '经理建的标签' }] });
    expect(group.status).toBe(201);
    const managerBatch = await asManager.post('/operations/batch', { action: 'tag', tagIds: [gradeA!.tagId], selection: { externalUserids: [f.shCustomer] } });
    expect(managerBatch.status).toBe(202);
    const managerOp = managerBatch.body.operation.operationId as string;
    expect((await asAdmin.post(`/operations/${managerOp}/cancel`)).status).toBe(202);
    // A smart tag's sync names customers across regions (recorded as the maintainer does).
    await withTx(systemContext(db().db, f.corpId, 'smart-groups', 'rule'), async (tx) => {
      await recordEvent(tx, {
        type: 'smart_tag.synced',
        subjectType: 'tag',
        subjectId: gradeA!.tagId,
        payload: { added: [f.shCustomer, f.bjCustomer], removed: [], externalUserids: [f.shCustomer, f.bjCustomer] },
      });
      await recordEvent(tx, {
        type: 'smart_tag.synced',
        subjectType: 'tag',
        subjectId: gradeA!.tagId,
        payload: { added: [f.bjCustomer], removed: [], externalUserids: [f.bjCustomer] },
      });
    });

    const sh = `${p.shStaff}|${f.shCustomer}`;
    const seen = await readAfter(f.secret, p.hdManager, baseline);
    const newGroup = group.body as { groupId: string; tags: { tagId: string }[] };
    expect(brief(seen)).toEqual([
      `smart_tag.synced ${gradeA!.tagId}`,
      `operation.cancelled ${managerOp}`,
      `operation.queued ${managerOp}`,
      `tag.created ${newGroup.tags[0]!.tagId}`,
      `tag_group.created ${newGroup.groupId}`,
      `personal_tag.created ${mine.body.tagId}`,
      `tag_group.updated ${f.contract.group.groupId}`,
      `customer.transferred ${shLeaving}`,
      `employee.updated ${p.shStaff}`,
      `follow.remarked ${sh}`,
      `follow.tags_changed ${sh}`,
    ]);
    // The sync shows only the 华东 customer, flagged as narrowed; the manager's own personal tag in full.
    expect(seen[0]).toMatchObject({ payload: { added: [f.shCustomer], removed: [], externalUserids: [f.shCustomer] }, redacted: true });
    expect(seen.find((e) => e.type === 'personal_tag.created')).toMatchObject({ redacted: false, subject: { id: mine.body.tagId } });

    // The auditor did nothing, and does not see the group only 华北 sees.
    expect(brief(await readAfter(f.secret, auditor, baseline))).toEqual([
      `smart_tag.synced ${gradeA!.tagId}`,
      `tag.created ${newGroup.tags[0]!.tagId}`,
      `tag_group.created ${newGroup.groupId}`,
      `customer.transferred ${shLeaving}`,
      `employee.updated ${p.shStaff}`,
      `follow.remarked ${sh}`,
      `follow.tags_changed ${sh}`,
    ]);

    // Filters narrow inside the scope and never reach out of it (not even through the sync's list).
    const byCustomer = async (customer: string) =>
      brief((await asManager.get(`/audit?customer=${customer}`)).body.events.filter((e: Entry) => e.seq > baseline));
    expect(await byCustomer(f.shCustomer)).toEqual([`smart_tag.synced ${gradeA!.tagId}`, `follow.remarked ${sh}`, `follow.tags_changed ${sh}`]);
    expect(await byCustomer(f.bjCustomer)).toEqual([]);
    // Corp-wide readers see every event, the export shows the manager the same rows as the listing.
    const everything = await db()
      .db.select({ seq: events.seq })
      .from(events)
      .where(and(eq(events.corpId, f.corpId), gt(events.seq, baseline)));
    for (const reader of [p.admin, undefined]) expect((await readAfter(f.secret, reader, baseline)).length).toBe(everything.length);
    const csv = await app().inject({ url: '/api/v1/audit/export', headers: { authorization: `Bearer ${f.secret}`, 'tagloom-acting-user': p.hdManager } });
    const seqs = parseCsv(csv.body.replace(/^\uFEFF/, ''))
      .slice(1)
      .map((row) => Number(row[0]))
      .filter((seq) => seq > baseline);
    expect(seqs).toEqual(seen.map((e) => e.seq));
  });
});
