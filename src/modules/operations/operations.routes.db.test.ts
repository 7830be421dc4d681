import { and, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { events, follows, marks, operationJournal, operations } from '../../db/schema/index.js';
import { apiClient, buildApiScene, corpState, detailPaths, expectRefused, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { buildCustomer, buildTagGroup } from '../../test/factories.js';
import { addCustomers } from '../customers/commands/add-customers.js';
import { addStrategyTags } from '../strategies/commands/add-strategy-tags.js';
import { editStrategy } from '../strategies/commands/edit-strategy.js';
import { buildStrategy } from '../strategies/test-support.js';

describeDb('operations API: batch jobs, listing, progress and cancel', (db) => {
  // The worker is driven by hand (`drain`) so each test decides when a job runs.
  const app = useTestApp(db, { runJobs: false });
  const drain = () => app().operations.drain();

  async function scene() {
    const s = await buildApiScene(db().db);
    const admin = apiClient(app, s.key);
    const as = (userid: string) => apiClient(app, s.key, userid);
    // Four more customers of A, two of B; `s.customer` is followed by both.
    const onlyA = await withTx(systemContext(db().db, s.corpId), (tx) =>
      addCustomers(
        tx,
        Array.from({ length: 4 }, (_, i) => ({ name: `A客户${i}`, follows: [{ userid: s.staffA }] })),
      ),
    );
    const onlyB = await withTx(systemContext(db().db, s.corpId), (tx) =>
      addCustomers(
        tx,
        Array.from({ length: 2 }, (_, i) => ({ name: `B客户${i}`, follows: [{ userid: s.staffB }] })),
      ),
    );
    const [hot, cold] = s.tags.map((t) => t.tagId) as [string, string];
    return { ...s, admin, as, onlyA, onlyB, hot, cold };
  }

  const marksOf = async (corpId: string, tagId: string) =>
    (
      await db()
        .db.select()
        .from(marks)
        .where(and(eq(marks.corpId, corpId), eq(marks.tagId, tagId)))
    )
      .map((m) => `${m.externalUserid}|${m.userid}`)
      .sort();

  it('climbs the ladder 401 → 400 → 403 → 404 → 400 empty → 202, and a refusal writes nothing', async () => {
    const s = await scene();
    const body = { action: 'tag', tagIds: [s.hot], selection: { externalUserids: [s.customer] } };
    await expectRefused(db().db, s.corpId, () => apiClient(app, null).post('/operations/batch', body), 401, 'unauthorized');
    const bad = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { action: 'zap', tagIds: [], selection: { externalUserids: [], text: 'x' }, relations: { who: 1 } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(bad)).toEqual(
      expect.arrayContaining(['body.action', 'body.tagIds', 'body.selection.externalUserids', 'body.relations.who', 'body.selection']),
    );
    const moveBad = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { action: 'move', tagIds: [s.hot], selection: { externalUserids: [s.customer] } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(moveBad)).toEqual(['body.move', 'body.tagIds']);
    await expectRefused(db().db, s.corpId, () => s.as(s.intern).post('/operations/batch', body), 403, 'forbidden');
    // staffB acting on A's relations only: outside B's data scope.
    await expectRefused(db().db, s.corpId, () => s.as(s.staffB).post('/operations/batch', { ...body, relations: { userid: s.staffA } }), 403, 'forbidden');
    const unknownTags = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { ...body, tagIds: [s.hot, 'etNope1', 'etNope2'] }),
      404,
      'tag_not_found',
    );
    expect(detailPaths(unknownTags)).toEqual(['body.tagIds.1', 'body.tagIds.2']);
    const unknownCustomers = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { ...body, selection: { externalUserids: [s.customer, 'wmNope', s.onlyA[0], 'wmNope2'] } }),
      404,
      'customer_not_found',
    );
    expect(detailPaths(unknownCustomers)).toEqual(['body.selection.externalUserids.1', 'body.selection.externalUserids.3']);
    // B's customers are invisible to A (own data scope): they read as unknown, not as forbidden.
    const outOfReach = await expectRefused(
      db().db,
      s.corpId,
      () => s.as(s.staffA).post('/operations/batch', { ...body, selection: { externalUserids: [s.onlyA[0], s.onlyB[0]] } }),
      404,
      'customer_not_found',
    );
    expect(detailPaths(outOfReach)).toEqual(['body.selection.externalUserids.1']);
    const notFollowed = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { ...body, selection: { externalUserids: [s.onlyA[0], s.onlyB[1]] }, relations: { userid: s.staffA } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(notFollowed)).toEqual(['body.selection.externalUserids.1']);
    const empty = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { ...body, selection: { expression: { tag: s.cold } } }),
      400,
      'validation_failed',
    );
    expect(empty.body.error.message).toMatch(/empty selection/i);
    const badExpr = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { ...body, selection: { expression: { all: [{ tag: 'etNoSuchTag' }] } } }),
      404,
      'tag_not_found',
    );
    expect(detailPaths(badExpr)).toEqual(['body.selection.expression.all.0.tag']);

    const ok = await s.admin.post('/operations/batch', body);
    expect(ok.status).toBe(202);
    expect(ok.body.operation).toMatchObject({
      kind: 'batch',
      status: 'queued',
      actor: 'app:customer_contact',
      actorName: null,
      source: 'api',
      total: 2,
      done: 0,
    });
    expect(await drain()).toEqual([ok.body.operation.operationId]);
  });

  it('tags an explicit selection on every follower, as one operation with one id in events and a journal', async () => {
    const s = await scene();
    const res = await s.admin.post('/operations/batch', {
      action: 'tag',
      tagIds: [s.hot, s.cold],
      selection: { externalUserids: [s.customer, s.onlyA[0]!, s.onlyB[0]!] },
    });
    expect(res.status).toBe(202);
    // The 202 shows the explicit selection by its size (a 100,000-id list is not echoed); the operation's own page has the ids.
    expect(res.body.operation.params).toEqual({ action: 'tag', tagIds: [s.hot, s.cold], selection: { customers: 3 } });
    const id = res.body.operation.operationId;
    expect(await drain()).toEqual([id]);
    const detail = await s.admin.get(`/operations/${id}`);
    expect(detail.body.operation).toMatchObject({ status: 'succeeded', total: 4, done: 4, result: { added: 8, removed: 0 }, error: null });
    expect(detail.body.operation.params.selection).toEqual({ externalUserids: [s.customer, s.onlyA[0], s.onlyB[0]] });
    expect(await marksOf(s.corpId, s.hot)).toEqual(
      [`${s.customer}|${s.staffA}`, `${s.customer}|${s.staffB}`, `${s.onlyA[0]}|${s.staffA}`, `${s.onlyB[0]}|${s.staffB}`].sort(),
    );
    const evs = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.operationId, id)));
    expect(evs.map((e) => e.type).sort()).toEqual(['operation.applied', 'operation.queued']);
    expect(evs.find((e) => e.type === 'operation.applied')!.payload).toMatchObject({ tagIds: [s.hot, s.cold], added: 8, removed: 0 });
    const [journal] = await db()
      .db.select({ n: count() })
      .from(operationJournal)
      .where(and(eq(operationJournal.corpId, s.corpId), eq(operationJournal.operationId, id)));
    expect(journal!.n).toBe(8);
    const [byOp] = await db()
      .db.select({ n: count() })
      .from(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.operationId, id)));
    expect(byOp!.n).toBe(8);
  });

  it('acts on one employee’s relations only, and untags an audience', async () => {
    const s = await scene();
    const tag = await s.admin.post('/operations/batch', {
      action: 'tag',
      tagIds: [s.hot],
      selection: { externalUserids: [s.customer, s.onlyA[1]!] },
      relations: { userid: s.staffA },
    });
    expect(tag.status).toBe(202);
    await drain();
    expect(await marksOf(s.corpId, s.hot)).toEqual([`${s.customer}|${s.staffA}`, `${s.onlyA[1]}|${s.staffA}`].sort());
    // Now everyone carrying 高意向 loses it, by audience (text syntax, with the tag's name).
    const untag = await s.admin.post('/operations/batch', { action: 'untag', tagIds: [s.hot], selection: { text: 'tag:高意向' } });
    expect(untag.status).toBe(202);
    await drain();
    const detail = await s.admin.get(`/operations/${untag.body.operation.operationId}`);
    // The shared customer has two relations (A's, B's): both visited, one carried the tag.
    expect(detail.body.operation).toMatchObject({ status: 'succeeded', total: 3, result: { added: 0, removed: 2 } });
    expect(await marksOf(s.corpId, s.hot)).toEqual([]);
  });

  it('acts on everyone within the caller’s data scope with `everyone: true` (the console’s unfiltered select-all), and refuses it beside another selection', async () => {
    const s = await scene();
    const followsOf = async (userid?: string) =>
      (
        await db()
          .db.select()
          .from(follows)
          .where(userid ? and(eq(follows.corpId, s.corpId), eq(follows.userid, userid)) : eq(follows.corpId, s.corpId))
      )
        .map((f) => `${f.externalUserid}|${f.userid}`)
        .sort();
    for (const selection of [{ everyone: true, text: 'tag:高意向' }, { everyone: false }, { everyone: 'yes' }]) {
      const refused = await expectRefused(
        db().db,
        s.corpId,
        () => s.admin.post('/operations/batch', { action: 'tag', tagIds: [s.hot], selection }),
        400,
        'validation_failed',
      );
      expect(detailPaths(refused).some((p) => p.startsWith('body.selection'))).toBe(true);
    }
    // A staff member with their own data scope reaches only their own relations.
    const mine = await s.as(s.staffA).post('/operations/batch', { action: 'tag', tagIds: [s.hot], selection: { everyone: true } });
    expect(mine.status).toBe(202);
    await drain();
    expect(await marksOf(s.corpId, s.hot)).toEqual(await followsOf(s.staffA));
    const all = await s.admin.post('/operations/batch', { action: 'tag', tagIds: [s.cold], selection: { everyone: true } });
    expect(all.status).toBe(202);
    expect(all.body.operation.total).toBe((await followsOf()).length);
    await drain();
    expect(await marksOf(s.corpId, s.cold)).toEqual(await followsOf());
    const queued = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.operationId, all.body.operation.operationId), eq(events.type, 'operation.queued')));
    expect(queued[0]!.payload).toMatchObject({ selection: { everyone: true } });
  });

  it('moves within a group: the group’s other tags come off, the target goes on', async () => {
    const s = await scene();
    const level = await buildTagGroup(s.ctx, ['L1', 'L2', 'L3']);
    const [l1, l2, l3] = level.tags.map((t) => t.tagId) as [string, string, string];
    await s.admin.post('/operations/batch', { action: 'tag', tagIds: [l1], selection: { externalUserids: [s.onlyA[0]!, s.onlyA[1]!] } });
    await s.admin.post('/operations/batch', { action: 'tag', tagIds: [l3, s.hot], selection: { externalUserids: [s.onlyA[1]!] } });
    await drain();
    const wrongGroup = await expectRefused(
      db().db,
      s.corpId,
      () =>
        s.admin.post('/operations/batch', {
          action: 'move',
          move: { groupId: level.group.groupId, tagId: s.hot },
          selection: { externalUserids: [s.onlyA[0]!] },
        }),
      400,
      'validation_failed',
    );
    expect(detailPaths(wrongGroup)).toEqual(['body.move.tagId']);
    const move = await s.admin.post('/operations/batch', {
      action: 'move',
      move: { groupId: level.group.groupId, tagId: l2 },
      selection: { expression: { tag: l1 } },
    });
    expect(move.status).toBe(202);
    await drain();
    const detail = (await s.admin.get(`/operations/${move.body.operation.operationId}`)).body.operation;
    expect(detail).toMatchObject({ status: 'succeeded', result: { added: 2, removed: 3 } });
    expect(await marksOf(s.corpId, l1)).toEqual([]);
    expect(await marksOf(s.corpId, l3)).toEqual([]);
    expect(await marksOf(s.corpId, l2)).toEqual([`${s.onlyA[0]}|${s.staffA}`, `${s.onlyA[1]}|${s.staffA}`].sort());
    expect(await marksOf(s.corpId, s.hot)).toEqual([`${s.onlyA[1]}|${s.staffA}`]);
  });

  it('lets a staff member batch their own personal tag on their own relations only', async () => {
    const s = await scene();
    const mine = await s.as(s.staffA).post('/personal-tags', { name: '老朋友' });
    expect(mine.status).toBe(201);
    const pt = mine.body.tagId;
    await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { action: 'tag', tagIds: [pt], selection: { externalUserids: [s.customer] } }),
      404,
      'tag_not_found',
    );
    const res = await s.as(s.staffA).post('/operations/batch', { action: 'tag', tagIds: [pt], selection: { externalUserids: [s.customer, s.onlyA[0]!] } });
    expect(res.status).toBe(202);
    expect(res.body.operation).toMatchObject({ actor: `user:${s.staffA}`, actorName: `员工${s.staffA}` });
    await drain();
    expect(await marksOf(s.corpId, pt)).toEqual([`${s.customer}|${s.staffA}`, `${s.onlyA[0]}|${s.staffA}`].sort());
  });

  it('cancels a queued job at once; a finished one cannot be cancelled', async () => {
    const s = await scene();
    const res = await s.admin.post('/operations/batch', { action: 'tag', tagIds: [s.hot], selection: { externalUserids: [s.customer] } });
    const id = res.body.operation.operationId;
    const cancelled = await s.admin.post(`/operations/${id}/cancel`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.operation).toMatchObject({ status: 'cancelled', cancelRequested: true });
    expect(await drain()).toEqual([]);
    expect(await marksOf(s.corpId, s.hot)).toEqual([]);
    const evs = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.operationId, id)));
    expect(evs.map((e) => e.type).sort()).toEqual(['operation.cancelled', 'operation.queued']);
    await expectRefused(db().db, s.corpId, () => s.admin.post(`/operations/${id}/cancel`), 409, 'conflict');
    await expectRefused(db().db, s.corpId, () => s.admin.post('/operations/opNoSuchOperation/cancel'), 404, 'not_found');
  });

  it('cancelling a running job records who asked, once; a job whose worker died ends cancelled, not run again', async () => {
    const s = await scene();
    const res = await s.as(s.staffA).post('/operations/batch', { action: 'tag', tagIds: [s.hot], selection: { externalUserids: [s.customer] } });
    const id = res.body.operation.operationId as string;
    // As if a worker in another process had claimed the job.
    await db()
      .db.update(operations)
      .set({ status: 'running', attempts: 1, startedAt: new Date(), heartbeatAt: new Date() })
      .where(eq(operations.operationId, id));
    const opEvents = async () =>
      (
        await db()
          .db.select()
          .from(events)
          .where(and(eq(events.corpId, s.corpId), eq(events.operationId, id)))
          .orderBy(events.seq)
      ).map((e) => `${e.type} ${e.actor}`);
    const cancelled = await s.as(s.staffA).post(`/operations/${id}/cancel`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.operation).toMatchObject({ status: 'running', cancelRequested: true });
    expect(await opEvents()).toEqual([`operation.queued user:${s.staffA}`, `operation.cancel_requested user:${s.staffA}`]);
    // Asking again while the request is pending changes nothing, the log included.
    const before = await corpState(db().db, s.corpId);
    expect((await s.as(s.staffA).post(`/operations/${id}/cancel`)).status).toBe(202);
    expect(await corpState(db().db, s.corpId)).toEqual(before);
    // That worker died: recovery answers the request instead of queueing the job to run again.
    await app().operations.recover(true);
    expect(await drain()).toEqual([]);
    expect(await marksOf(s.corpId, s.hot)).toEqual([]);
    expect((await s.as(s.staffA).get(`/operations/${id}`)).body.operation).toMatchObject({ status: 'cancelled', done: 0 });
    expect(await opEvents()).toEqual([
      `operation.queued user:${s.staffA}`,
      `operation.cancel_requested user:${s.staffA}`,
      'operation.cancelled system:operations',
    ]);
  });

  it('fails the whole batch when a tag is deleted between queueing and running', async () => {
    const s = await scene();
    const res = await s.admin.post('/operations/batch', { action: 'tag', tagIds: [s.hot, s.cold], selection: { externalUserids: [s.customer, s.onlyA[0]!] } });
    const id = res.body.operation.operationId;
    expect((await s.admin.delete(`/tags/${s.cold}`)).status).toBe(200);
    await drain();
    const detail = (await s.admin.get(`/operations/${id}`)).body.operation;
    expect(detail).toMatchObject({ status: 'failed', error: { code: 'tag_not_found' }, result: null });
    expect(detail.error.message).toContain(s.cold);
    expect(await marksOf(s.corpId, s.hot)).toEqual([]);
    const evs = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.operationId, id)));
    expect(evs.map((e) => e.type).sort()).toEqual(['operation.failed', 'operation.queued']);
  });

  it('fails with forbidden when the requester lost the permission before the job ran', async () => {
    const s = await scene();
    const res = await s.as(s.staffA).post('/operations/batch', { action: 'tag', tagIds: [s.hot], selection: { externalUserids: [s.onlyA[0]!] } });
    expect(res.status).toBe(202);
    expect((await s.admin.patch(`/employees/${s.staffA}`, { role: 'readonly' })).status).toBe(200);
    await drain();
    expect((await s.admin.get(`/operations/${res.body.operation.operationId}`)).body.operation).toMatchObject({
      status: 'failed',
      error: { code: 'forbidden' },
    });
    expect(await marksOf(s.corpId, s.hot)).toEqual([]);
  });

  it('lists newest first with a cursor and filters; each sees their own, audit.view sees all', async () => {
    const s = await scene();
    const ids: string[] = [];
    for (const c of s.onlyA.slice(0, 3))
      ids.push((await s.admin.post('/operations/batch', { action: 'tag', tagIds: [s.hot], selection: { externalUserids: [c] } })).body.operation.operationId);
    const mine = (await s.as(s.staffA).post('/operations/batch', { action: 'tag', tagIds: [s.cold], selection: { externalUserids: [s.onlyA[0]!] } })).body
      .operation.operationId;
    const first = await s.admin.get('/operations?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.operations.map((o: { operationId: string }) => o.operationId)).toEqual([mine, ids[2]]);
    const second = await s.admin.get(`/operations?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.operations.map((o: { operationId: string }) => o.operationId)).toEqual([ids[1], ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    const own = await s.as(s.staffA).get('/operations');
    expect(own.body.operations.map((o: { operationId: string }) => o.operationId)).toEqual([mine]);
    expect((await s.as(s.staffA).get(`/operations/${ids[0]}`)).status).toBe(404);
    await drain();
    expect((await s.admin.get('/operations?status=succeeded')).body.operations).toHaveLength(4);
    expect((await s.admin.get('/operations?status=queued')).body.operations).toHaveLength(0);
    expect((await s.admin.get('/operations?cursor=garbage')).status).toBe(400);
    // A listing names an explicit selection by its size; the operation's own page has the ids.
    expect(own.body.operations[0].params).toEqual({ action: 'tag', tagIds: [s.cold], selection: { customers: 1 } });
    expect((await s.as(s.staffA).get(`/operations/${mine}`)).body.operation.params.selection).toEqual({ externalUserids: [s.onlyA[0]] });
  });

  it('tells each caller what it may do with an operation now (abilities), and filters by creation time', async () => {
    const s = await scene();
    const start = new Date(Date.now() - 1000).toISOString();
    const id = (await s.as(s.staffA).post('/operations/batch', { action: 'tag', tagIds: [s.cold], selection: { externalUserids: [s.onlyA[0]!] } })).body
      .operation.operationId;
    const abilities = async (as: ReturnType<typeof apiClient>, opId = id) => (await as.get(`/operations/${opId}`)).body.operation.abilities;
    expect(await abilities(s.as(s.staffA))).toEqual({ undo: false, redo: false, cancel: true });
    expect(await abilities(s.admin)).toEqual({ undo: false, redo: false, cancel: true });
    await drain();
    expect(await abilities(s.as(s.staffA))).toEqual({ undo: true, redo: false, cancel: false });
    expect((await s.admin.get('/operations')).body.operations[0]).toMatchObject({ operationId: id, abilities: { undo: true, redo: false, cancel: false } });
    const undo = (await s.admin.post(`/operations/${id}/undo`)).body.operation.operationId;
    expect(await abilities(s.as(s.staffA))).toEqual({ undo: false, redo: true, cancel: false });
    // An undo is reversed through its target, never itself.
    expect(await abilities(s.admin, undo)).toEqual({ undo: false, redo: false, cancel: false });
    expect((await s.as(s.staffA).post(`/operations/${id}/redo`)).status).toBe(200);
    expect(await abilities(s.as(s.staffA))).toEqual({ undo: true, redo: false, cancel: false });

    const listed = async (query: string) => (await s.admin.get(`/operations?${query}`)).body.operations.map((o: { operationId: string }) => o.operationId);
    expect(await listed(`from=${encodeURIComponent(start)}&kind=batch`)).toEqual([id]);
    expect(await listed(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect(await listed(`to=${encodeURIComponent(start)}`)).toEqual([]);
    expect((await s.admin.get('/operations?from=yesterday')).status).toBe(400);
  });

  it('streams progress as Server-Sent Events until the job ends', async () => {
    const s = await scene();
    const more = await Promise.all(Array.from({ length: 5 }, () => buildCustomer(s.ctx, [s.staffA])));
    const res = await s.admin.post('/operations/batch', { action: 'tag', tagIds: [s.hot], selection: { externalUserids: [...s.onlyA, ...more] } });
    const id = res.body.operation.operationId;
    const stream = app().inject({ method: 'GET', url: `/api/v1/operations/${id}/progress`, headers: { authorization: `Bearer ${s.key}` } });
    await new Promise((r) => setTimeout(r, 50));
    await drain();
    const sse = await stream;
    expect(sse.statusCode).toBe(200);
    expect(String(sse.headers['content-type'])).toContain('text/event-stream');
    const frames = sse.body
      .split('\n\n')
      .filter(Boolean)
      .map((f) => {
        const lines = f.split('\n');
        expect(lines[0]).toBe('event: progress');
        return JSON.parse(lines[1]!.replace(/^data: /, ''));
      });
    expect(frames[0]).toMatchObject({ status: 'queued', done: 0, total: 9 });
    expect(frames.at(-1)).toMatchObject({ status: 'succeeded', done: 9, total: 9 });
    // A finished job's stream answers once and ends.
    const after = await app().inject({ method: 'GET', url: `/api/v1/operations/${id}/progress`, headers: { authorization: `Bearer ${s.key}` } });
    expect(after.body.trim().split('\n\n')).toHaveLength(1);
  });

  it('undoes a move batch exactly (provenance included), redoes it exactly, and undoes it again', async () => {
    const s = await scene();
    const state = () => db().db.select().from(marks).where(eq(marks.corpId, s.corpId)).orderBy(marks.externalUserid, marks.userid, marks.tagId);
    const run = async (body: unknown) => {
      const res = await s.admin.post('/operations/batch', body);
      expect(await drain()).toEqual([res.body.operation.operationId]);
      return res.body.operation.operationId as string;
    };
    // `cold` on three customers first (four relations), by a batch of its own: that is the provenance to restore.
    await run({ action: 'tag', tagIds: [s.cold], selection: { externalUserids: [s.customer, s.onlyA[0]!, s.onlyA[1]!] } });
    const start = await state();
    const move = await run({ action: 'move', move: { groupId: s.group.groupId, tagId: s.hot }, selection: { externalUserids: [s.customer, ...s.onlyA] } });
    expect((await s.admin.get(`/operations/${move}`)).body.operation.result).toMatchObject({ added: 6, removed: 4, relations: 6, unchanged: 0 });
    const moved = await state();
    expect(moved.filter((m) => m.tagId === s.cold)).toEqual([]);

    const undo = await s.admin.post(`/operations/${move}/undo`);
    expect(undo.body.operation.result).toMatchObject({ added: 4, removed: 6, conflictCount: 0 });
    expect(await state()).toEqual(start);
    const redo = await s.admin.post(`/operations/${move}/redo`);
    expect(redo.body.operation.result).toMatchObject({ added: 6, removed: 4, conflictCount: 0 });
    expect(await state()).toEqual(moved);
    await s.admin.post(`/operations/${move}/undo`);
    expect(await state()).toEqual(start);
  });

  it('puts a rule-group tag only on relations of members inside the rule group’s range, and counts the rest', async () => {
    const s = await scene();
    const strategy = await buildStrategy(s.ctx, { adminList: [s.staffA], range: [{ type: 1, userid: s.staffA }] });
    const {
      tags: [ruleTag],
    } = await withTx(s.ctx, (tx) => addStrategyTags(tx, { strategyId: strategy.strategyId, groupName: '华东等级', tags: [{ name: 'A' }] }));
    // `s.customer` is followed by A (inside) and B (outside); onlyB[0] by B alone.
    // Only B's relation selected: the rule-group tag could go nowhere, so the batch is refused.
    const nowhere = await expectRefused(
      db().db,
      s.corpId,
      () => s.admin.post('/operations/batch', { action: 'tag', tagIds: [ruleTag!.tagId], selection: { externalUserids: [s.onlyB[0]!] } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(nowhere)).toEqual(['body.tagIds']);
    const res = await s.admin.post('/operations/batch', {
      action: 'tag',
      tagIds: [ruleTag!.tagId, s.hot],
      selection: { externalUserids: [s.customer, s.onlyB[0]!] },
    });
    expect(res.status).toBe(202);
    expect(await drain()).toEqual([res.body.operation.operationId]);
    expect((await s.admin.get(`/operations/${res.body.operation.operationId}`)).body.operation.result).toMatchObject({
      added: 4,
      outOfRange: 2,
      unchanged: 0,
      relations: 3,
    });
    expect(await marksOf(s.corpId, ruleTag!.tagId)).toEqual([`${s.customer}|${s.staffA}`]);
    expect(await marksOf(s.corpId, s.hot)).toEqual([`${s.customer}|${s.staffA}`, `${s.customer}|${s.staffB}`, `${s.onlyB[0]}|${s.staffB}`].sort());

    // Undone, then A leaves the range: a redo may not put the rule-group tag back on A's relation.
    const id = res.body.operation.operationId;
    await s.admin.post(`/operations/${id}/undo`);
    await withTx(s.ctx, (tx) =>
      editStrategy(tx, { strategyId: strategy.strategyId, rangeAdd: [{ type: 1, userid: s.staffB }], rangeDel: [{ type: 1, userid: s.staffA }] }),
    );
    const redo = await s.admin.post(`/operations/${id}/redo`);
    expect(redo.status).toBe(200);
    expect(redo.body.operation.result).toMatchObject({ added: 3, conflictCount: 1 });
    expect(redo.body.conflicts).toEqual([{ tagId: ruleTag!.tagId, externalUserid: s.customer, userid: s.staffA, reason: 'out_of_range' }]);
    expect(await marksOf(s.corpId, ruleTag!.tagId)).toEqual([]);
    expect(await marksOf(s.corpId, s.hot)).toHaveLength(3);
  });
});
