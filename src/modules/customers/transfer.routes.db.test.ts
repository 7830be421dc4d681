import { and, asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { corps, events, follows, marks } from '../../db/schema/index.js';
import { apiClient, buildApiScene, corpState, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, buildEmployees, employeeCtx, unique } from '../../test/factories.js';
import { addEmployees } from '../org/commands/add-org.js';
import { tagsOfFollows } from './customers.queries.js';

describeDb('customer hand-over', (db) => {
  const app = useTestApp(db);

  /**
   * Staff A follows `solo` alone (tags t0 and A's personal tag) and shares `shared` with B (A: t0,
   * t1 and the personal tag; B: t1 and B's own remark).
   */
  async function scene() {
    const s = await buildApiScene(db().db);
    const [a, b] = [s.staffA, s.staffB];
    const [t0, t1] = [s.tags[0]!.tagId, s.tags[1]!.tagId];
    const solo = await buildCustomer(s.ctx, [a]);
    const asA = apiClient(app, s.key, a);
    const pt = (await asA.post('/personal-tags', { name: 'A的私房' })).body.tagId as string;
    expect((await asA.post(`/customers/${solo}/follows/${a}/tags`, { add: [t0, pt] })).status).toBe(200);
    expect((await asA.post(`/customers/${s.customer}/follows/${a}/tags`, { add: [t0, t1, pt] })).status).toBe(200);
    expect((await asA.patch(`/customers/${solo}/follows/${a}`, { remark: 'A的备注' })).status).toBe(200);
    expect((await apiClient(app, s.key, b).post(`/customers/${s.customer}/follows/${b}/tags`, { add: [t1] })).status).toBe(200);
    expect((await apiClient(app, s.key, b).patch(`/customers/${s.customer}/follows/${b}`, { remark: 'B的备注' })).status).toBe(200);
    return { s, a, b, t0, t1, pt, solo, shared: s.customer };
  }

  const marksOf = async (corpId: string, externalUserid: string) =>
    (
      await db()
        .db.select()
        .from(marks)
        .where(and(eq(marks.corpId, corpId), eq(marks.externalUserid, externalUserid)))
    )
      .map((m) => `${m.userid} ${m.tagId} ${m.personal}`)
      .sort();
  const followersOf = async (corpId: string, externalUserid: string) =>
    db()
      .db.select({ userid: follows.userid, remark: follows.remark })
      .from(follows)
      .where(and(eq(follows.corpId, corpId), eq(follows.externalUserid, externalUserid)))
      .orderBy(asc(follows.userid));

  it('POST /customers/transfer: 401 → 400 → 403 → 404 → 409, each changing nothing', async () => {
    const { s, a, b, solo } = await scene();
    const other = await buildApiScene(db().db);
    const [manager] = await buildEmployees(s.ctx, 1, 'manager');
    const left = unique('left');
    await withTx(systemContext(db().db, s.corpId), (tx) => addEmployees(tx, [{ userid: left, name: '已离职', departmentIds: [1], status: 'left' }]));
    const send = (body: unknown, as?: string) => () => apiClient(app, s.key, as).post('/customers/transfer', body);
    const ok = { handoverUserid: a, takeoverUserid: b, externalUserids: [solo] };

    expect((await apiClient(app, null).post('/customers/transfer', ok)).status).toBe(401);
    const bad = await expectRefused(db().db, s.corpId, send({ handoverUserid: a, externalUserids: [], reasons: 'x' }), 400, 'validation_failed');
    expect(detailPaths(bad)).toEqual(['body.takeoverUserid', 'body.externalUserids', 'body.reasons']);
    expect(
      detailPaths(
        await expectRefused(db().db, s.corpId, send({ ...ok, externalUserids: Array.from({ length: 101 }, (_, i) => `wm${i}`) }), 400, 'validation_failed'),
      ),
    ).toEqual(['body.externalUserids']);
    await expectRefused(db().db, s.corpId, send({ ...ok, takeoverUserid: a }), 400, 'validation_failed');
    // Staff, managers and interns hold no customer.transfer right, not even over their own customers.
    for (const who of [a, manager!, s.intern]) await expectRefused(db().db, s.corpId, send(ok, who), 403, 'forbidden');
    expect(detailPaths(await expectRefused(db().db, s.corpId, send({ ...ok, handoverUserid: 'nobody' }, s.admin), 404, 'employee_not_found'))).toEqual([
      'body.handoverUserid',
    ]);
    expect(detailPaths(await expectRefused(db().db, s.corpId, send({ ...ok, takeoverUserid: other.staffB }, s.admin), 404, 'employee_not_found'))).toEqual([
      'body.takeoverUserid',
    ]);
    await expectRefused(db().db, s.corpId, send({ ...ok, takeoverUserid: left }), 409, 'employee_inactive');
  });

  it('moves the relation and its enterprise tags; the personal tag stays with the old owner', async () => {
    const { s, a, b, t0, pt, solo } = await scene();
    const [corpBefore] = await db().db.select().from(corps).where(eq(corps.corpId, s.corpId));
    const res = await apiClient(app, s.key, s.admin).post('/customers/transfer', {
      handoverUserid: a,
      takeoverUserid: b,
      externalUserids: [solo],
      reason: '在职继承: 调岗',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      operationId: expect.stringMatching(/^op/),
      transferred: 1,
      results: [{ externalUserid: solo, ok: true, errcode: 0, merged: false, movedTagIds: [t0] }],
    });

    expect(await followersOf(s.corpId, solo)).toEqual([{ userid: b, remark: 'A的备注' }]);
    expect(await marksOf(s.corpId, solo)).toEqual([`${a} ${pt} 1`, `${b} ${t0} 0`].sort());
    // A still sees their personal tag on the customer through the query layer; nobody else does.
    const asA = await tagsOfFollows(employeeCtx(db().db, s.corpId, a), [solo], { kind: 'owner', userid: a });
    expect(asA.get(`${a}|${solo}`)).toEqual([
      { tagId: pt, tagName: 'A的私房', groupName: '', type: 2, origin: expect.objectContaining({ by: `user:${a}`, operationId: null }) },
    ]);
    const detailAsB = await apiClient(app, s.key, b).get(`/customers/${solo}`);
    expect(detailAsB.body.follows).toMatchObject([{ userid: b, tags: [{ tagId: t0, type: 'corp' }] }]);
    expect(JSON.stringify(detailAsB.body)).not.toContain(pt);

    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'customer.transferred')));
    expect(event).toMatchObject({
      actor: `user:${s.admin}`,
      subjectType: 'customer',
      subjectId: solo,
      reason: '在职继承: 调岗',
      operationId: res.body.operationId,
      before: { userid: a, tagIds: [t0] },
      after: { userid: b, tagIds: [t0] },
      payload: { externalUserid: solo, handoverUserid: a, takeoverUserid: b, merged: false, movedTagIds: [t0], droppedDuplicateTagIds: [] },
    });
    const audit = await apiClient(app, s.key, s.admin).get(`/audit?customer=${solo}&type=customer.transferred`);
    expect(audit.body.events).toMatchObject([{ seq: event!.seq, reason: '在职继承: 调岗' }]);
    // A hand-over changes no library version.
    const [corpAfter] = await db().db.select().from(corps).where(eq(corps.corpId, s.corpId));
    expect({ tag: corpAfter!.tagVersion, org: corpAfter!.orgVersion }).toEqual({ tag: corpBefore!.tagVersion, org: corpBefore!.orgVersion });
  });

  it('merges into a relation the takeover already has: their row kept, tags without duplicates', async () => {
    const { s, a, b, t0, t1, pt, shared } = await scene();
    const res = await apiClient(app, s.key).post('/customers/transfer', { handoverUserid: a, takeoverUserid: b, externalUserids: [shared, shared] });
    expect(res.body.results).toEqual([{ externalUserid: shared, ok: true, errcode: 0, merged: true, movedTagIds: [t0] }]);
    expect(await followersOf(s.corpId, shared)).toEqual([{ userid: b, remark: 'B的备注' }]);
    expect(await marksOf(s.corpId, shared)).toEqual([`${a} ${pt} 1`, `${b} ${t0} 0`, `${b} ${t1} 0`].sort());
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'customer.transferred')));
    expect(event).toMatchObject({
      actor: 'app:customer_contact',
      before: { userid: a, tagIds: [t0, t1].sort() },
      after: { userid: b, tagIds: [t0, t1].sort() },
      payload: { merged: true, droppedDuplicateTagIds: [t1] },
    });
  });

  it('reports unknown, other-corp and unfollowed customers one by one; the valid ones still move', async () => {
    const { s, a, b, solo } = await scene();
    const other = await buildApiScene(db().db);
    const onlyB = await buildCustomer(s.ctx, [b]);
    const api = apiClient(app, s.key, s.admin);
    const before = await corpState(db().db, s.corpId);
    const refused = await api.post('/customers/transfer', { handoverUserid: a, takeoverUserid: b, externalUserids: ['wmNOPE', other.customer, onlyB] });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      transferred: 0,
      results: [
        { externalUserid: 'wmNOPE', ok: false, errcode: 40096, code: 'customer_not_found' },
        { externalUserid: other.customer, ok: false, errcode: 40096, code: 'customer_not_found' },
        { externalUserid: onlyB, ok: false, errcode: 84061, code: 'no_relation' },
      ],
    });
    expect(await corpState(db().db, s.corpId)).toEqual(before);

    const mixed = await api.post('/customers/transfer', { handoverUserid: a, takeoverUserid: b, externalUserids: [onlyB, solo] });
    expect(mixed.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([false, true]);
    expect((await followersOf(s.corpId, solo)).map((f) => f.userid)).toEqual([b]);
    expect((await followersOf(other.corpId, other.customer)).map((f) => f.userid).sort()).toEqual([other.staffA, other.staffB].sort());
  });

  it('hands over the customers of an employee who has left (离职继承)', async () => {
    const s = await buildApiScene(db().db);
    const gone = unique('gone');
    await withTx(systemContext(db().db, s.corpId), (tx) => addEmployees(tx, [{ userid: gone, name: '离职员工', departmentIds: [1], status: 'left' }]));
    const customer = await buildCustomer(s.ctx, [gone]);
    const res = await apiClient(app, s.key).post('/customers/transfer', {
      handoverUserid: gone,
      takeoverUserid: s.staffB,
      externalUserids: [customer],
      reason: '离职继承',
    });
    expect(res.body).toMatchObject({ transferred: 1, results: [{ ok: true, merged: false }] });
    expect((await followersOf(s.corpId, customer)).map((f) => f.userid)).toEqual([s.staffB]);
  });
});
