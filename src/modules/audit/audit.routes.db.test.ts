import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Ctx } from '../../context.js';
import { events } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, buildEmployees } from '../../test/factories.js';
import { pageAuditEvents } from './audit.queries.js';
import { exportCsv, readAllAudit } from './test-support.js';

type Scene = Awaited<ReturnType<typeof buildApiScene>>;

/** `type subject` of each event, newest first: enough to tell which events a filter kept. */
const brief = (evs: { type: string; subject: { id: string | null } }[]) => evs.map((e) => `${e.type} ${e.subject.id}`);

describeDb('audit routes', (db) => {
  const app = useTestApp(db);

  /** A scene with activity by two actors on two customers and two tags. */
  async function activity(s: Scene) {
    const [t0, t1] = [s.tags[0]!.tagId, s.tags[1]!.tagId];
    const c2 = await buildCustomer(s.ctx, [s.staffA]);
    const asAdmin = apiClient(app, s.key, s.admin);
    const asApp = apiClient(app, s.key);
    expect((await asAdmin.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [t0] })).status).toBe(200);
    expect((await asApp.post(`/customers/${s.customer}/follows/${s.staffB}/tags`, { add: [t1] })).status).toBe(200);
    expect((await asApp.post(`/customers/${c2}/follows/${s.staffA}/tags`, { add: [t0] })).status).toBe(200);
    expect((await asApp.patch(`/customers/${s.customer}/follows/${s.staffA}`, { remark: '张总' })).status).toBe(200);
    const deletion = await asApp.delete(`/tags/${t1}`);
    expect(deletion.status).toBe(200);
    return { t0, t1, c2, deletionId: deletion.body.deletionId as string, read: (q: string) => readAllAudit(app, s.key, s.admin, q) };
  }

  it('GET /audit: 401 → 400 lists every issue → 403 for staff and read-only → 200 for admin, manager and the app', async () => {
    const s = await buildApiScene(db().db);
    const [manager] = await buildEmployees(s.ctx, 1, 'manager');
    expect((await apiClient(app, null).get('/audit')).status).toBe(401);
    const bad = await apiClient(app, s.key).get('/audit?limit=501&actor=zhangsan&from=yesterday&colour=red');
    expect(bad.status).toBe(400);
    expect(detailPaths(bad)).toEqual(['query.actor', 'query.from', 'query.limit', 'query.colour']);
    expect(detailPaths(await apiClient(app, s.key).get('/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'))).toEqual(['query.to']);
    expect((await apiClient(app, s.key).get('/audit?type=tag.exploded')).body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'query.type', type: 'tag.exploded' }],
    });
    expect((await apiClient(app, s.key).get('/audit?cursor=bm9wZQ')).body.error.code).toBe('invalid_cursor');
    for (const who of [s.staffA, s.intern]) {
      await expectRefused(db().db, s.corpId, () => apiClient(app, s.key, who).get('/audit'), 403, 'forbidden');
      expect((await exportCsv(app, s.key, who)).status).toBe(403);
    }
    // An ordinary app limited to a visible range may not read the corp-wide log.
    const ranged: Ctx = { ...s.ctx, actor: { kind: 'app', appId: 'crm', appKind: 'app', range: { departments: [1], userids: [] } } };
    await expect(pageAuditEvents(ranged, {}, { limit: 10 })).rejects.toMatchObject({ code: 'forbidden' });
    for (const who of [s.admin, undefined]) {
      const res = await apiClient(app, s.key, who).get('/audit');
      expect(res.status).toBe(200);
      expect(res.body.events.at(-1)).toMatchObject({
        type: 'corp.created',
        actor: 'system:setup',
        source: 'system',
        subject: { type: 'corp', id: s.corpId },
        redacted: false,
      });
    }
    // A manager reads the log too, within their data scope (here, a region of one: themselves) and
    // the tag library they see; a detailed test is in audit.scope.db.test.ts.
    const scoped = await apiClient(app, s.key, manager).get('/audit');
    expect(scoped.status).toBe(200);
    expect(brief(scoped.body.events).sort()).toEqual(
      [`employee.created ${manager}`, `tag_group.created ${s.group.groupId}`, ...s.tags.map((t) => `tag.created ${t.tagId}`)].sort(),
    );
  });

  it('filters by actor, customer, tag, type, operation and time, alone and combined', async () => {
    const s = await buildApiScene(db().db);
    const { t0, t1, c2, deletionId, read } = await activity(s);
    const [a, b, c] = [s.staffA, s.staffB, s.customer];

    const byAdmin = await read(`actor=user:${s.admin}`);
    expect(brief(byAdmin)).toEqual([`follow.tags_changed ${a}|${c}`]);
    // The console shows who by name; an app has none.
    expect(byAdmin[0]).toMatchObject({
      actor: `user:${s.admin}`,
      actorName: `员工${s.admin}`,
      source: 'api',
      payload: { added: [t0], removed: [] },
      requestId: expect.stringMatching(/^req/),
    });
    expect((await read('actor=app:customer_contact')).every((e) => e.actor === 'app:customer_contact' && e.actorName === null)).toBe(true);

    expect(brief(await read(`customer=${c}`))).toEqual([
      `follow.remarked ${a}|${c}`,
      `follow.tags_changed ${b}|${c}`,
      `follow.tags_changed ${a}|${c}`,
      `customer.created ${c}`,
    ]);
    expect(brief(await read(`customer=${c2}`))).toEqual([`follow.tags_changed ${a}|${c2}`, `customer.created ${c2}`]);
    expect((await read(`customer=${c}`))[0]).toMatchObject({ before: { remark: '' }, after: { remark: '张总' } });

    expect(brief(await read(`tag=${t0}`))).toEqual([`follow.tags_changed ${a}|${c2}`, `follow.tags_changed ${a}|${c}`, `tag.created ${t0}`]);
    expect(brief(await read(`tag=${t1}`))).toEqual([`tag.deleted ${t1}`, `follow.tags_changed ${b}|${c}`, `tag.created ${t1}`]);
    expect(await read('tag=etNOPE')).toEqual([]);

    expect(brief(await read('type=tag.deleted'))).toEqual([`tag.deleted ${t1}`]);
    expect(brief(await read('type=tag.deleted&type=tag.created'))).toEqual([`tag.deleted ${t1}`, `tag.created ${t1}`, `tag.created ${t0}`]);
    expect(brief(await read(`operationId=${deletionId}`))).toEqual([`tag.deleted ${t1}`]);
    expect(brief(await read(`actor=app:customer_contact&customer=${c}&type=follow.tags_changed`))).toEqual([`follow.tags_changed ${b}|${c}`]);

    // Time: move the remark back to 2025 and look at windows around it (from inclusive, to exclusive).
    const [remark] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'follow.remarked')));
    await db()
      .db.update(events)
      .set({ at: new Date('2025-06-01T00:00:00Z') })
      .where(eq(events.seq, remark!.seq));
    expect(brief(await read('to=2025-06-01T08:00:01%2B08:00'))).toEqual([`follow.remarked ${a}|${c}`]);
    expect(await read('from=2025-06-01T00:00:00.001Z&to=2026-01-01T00:00:00Z')).toEqual([]);
    expect(brief(await read('from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z'))).toEqual([`follow.remarked ${a}|${c}`]);
    expect(brief(await read(`customer=${c}&from=2025-12-31T00:00:00Z`))).toEqual([
      `follow.tags_changed ${b}|${c}`,
      `follow.tags_changed ${a}|${c}`,
      `customer.created ${c}`,
    ]);
  });

  it('pages newest first by seq; a cursor stays stable while events are appended', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key, s.admin);
    for (let i = 0; i < 7; i += 1) await api.patch(`/customers/${s.customer}/follows/${s.staffA}`, { remark: `备注${i}` });
    const all = await readAllAudit(app, s.key, s.admin);
    const seqs = all.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));

    const q = `customer=${s.customer}&type=follow.remarked&limit=3`;
    const first = await api.get(`/audit?${q}`);
    expect(first.body.events.map((e: { after: { remark: string } }) => e.after.remark)).toEqual(['备注6', '备注5', '备注4']);
    // An event appended between pages lands above the first page, never inside the later ones.
    await api.patch(`/customers/${s.customer}/follows/${s.staffA}`, { remark: '新来的' });
    const second = await api.get(`/audit?${q}&cursor=${first.body.nextCursor}`);
    const third = await api.get(`/audit?${q}&cursor=${second.body.nextCursor}`);
    expect(second.body.events.map((e: { after: { remark: string } }) => e.after.remark)).toEqual(['备注3', '备注2', '备注1']);
    expect(third.body).toMatchObject({ nextCursor: null, events: [{ after: { remark: '备注0' } }] });
    expect((await api.get(`/audit?${q}`)).body.events[0].after.remark).toBe('新来的');

    const unfiltered: number[] = [];
    for (let cursor = ''; ; ) {
      const page = await api.get(`/audit?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      unfiltered.push(...page.body.events.map((e: { seq: number }) => e.seq));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(unfiltered).toEqual((await readAllAudit(app, s.key, s.admin)).map((e) => e.seq));
  });

  it('is described in the OpenAPI document, the export as text/csv', async () => {
    const doc = (await app().inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/api/v1/audit'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'actor',
      'customer',
      'tag',
      'type',
      'operationId',
      'from',
      'to',
      'cursor',
      'limit',
    ]);
    expect(Object.keys(doc.paths['/api/v1/audit/export'].get.responses['200'].content)).toEqual(['text/csv']);
    expect(Object.keys(doc.paths['/api/v1/customers/transfer'].post.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413']);
  });

  it('tenant isolation: another corp’s events never appear, not even through its ids', async () => {
    const s = await buildApiScene(db().db);
    const other = await buildApiScene(db().db);
    await activity(other);
    await apiClient(app, other.key, other.admin).patch(`/customers/${other.customer}/follows/${other.staffA}`, { remark: '别家' });

    const mine = (await db().db.select({ seq: events.seq }).from(events).where(eq(events.corpId, s.corpId))).map((r) => r.seq).sort((x, y) => y - x);
    expect((await readAllAudit(app, s.key, s.admin)).map((e) => e.seq)).toEqual(mine);
    for (const q of [`customer=${other.customer}`, `tag=${other.tags[0]!.tagId}`, `actor=user:${other.admin}`])
      expect(await readAllAudit(app, s.key, undefined, q)).toEqual([]);
    const csv = await exportCsv(app, s.key, s.admin);
    for (const id of [other.corpId, other.customer, other.tags[0]!.tagId, other.admin, '别家']) expect(csv.text).not.toContain(id);
    // The other corp's admin cannot act through this corp's key.
    expect((await apiClient(app, s.key, other.admin).get('/audit')).status).toBe(401);
  });
});
