import { and, count, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { type Ctx, systemContext, withTx } from '../../../context.js';
import { events, marks, operationJournal, operations } from '../../../db/schema/index.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { queueBatch } from '../batch/queue-batch.js';
import { OperationWorker } from './worker.js';

describeDb('operation worker: claims, failure, cancel, recovery', (db) => {
  async function scene(customers = 10) {
    const corp = await buildCorp(db().db);
    const [seller] = await buildEmployees(corp.ctx, 1, 'staff');
    const ids = await withTx(systemContext(db().db, corp.corpId), (tx) =>
      addCustomers(
        tx,
        Array.from({ length: customers }, (_, i) => ({ name: `客户${i}`, follows: [{ userid: seller! }] })),
      ),
    );
    const lib = await buildTagGroup(corp.ctx, ['T1', 'T2']);
    const tagId = lib.tags[0]!.tagId;
    const queue = (ctx: Ctx = corp.ctx, externalUserids = ids) =>
      withTx(ctx, (tx) => queueBatch(tx, { action: 'tag', tagIds: [tagId], selection: { externalUserids } }));
    return { corp, ids, tagId, queue };
  }
  const kind = () => db().kind;
  const countWhere = async (table: typeof marks | typeof operationJournal, corpId: string, operationId: string) => {
    const [row] = await db()
      .db.select({ n: count() })
      .from(table)
      .where(and(eq(table.corpId, corpId), eq(table.operationId, operationId)));
    return row!.n;
  };
  const statusOf = async (corpId: string, operationId: string) =>
    (
      await db()
        .db.select()
        .from(operations)
        .where(and(eq(operations.corpId, corpId), eq(operations.operationId, operationId)))
    )[0]!;

  it('two workers on one database never run the same job (SKIP LOCKED)', async () => {
    const s = await scene(4);
    const queued = [];
    for (let i = 0; i < 12; i += 1) queued.push((await s.queue(s.corp.ctx, [s.ids[i % 4]!])).operationId);
    const a = new OperationWorker(db().db, { kind: kind() });
    const b = new OperationWorker(db().db, { kind: kind() });
    const [ranA, ranB] = await Promise.all([a.drain(), b.drain()]);
    expect([...ranA, ...ranB].sort()).toEqual([...queued].sort());
    expect(ranA.filter((id) => ranB.includes(id))).toEqual([]);
    for (const id of queued) expect((await statusOf(s.corp.corpId, id)).status).toBe('succeeded');
    // Each job applied under its own id once: three jobs per customer, the first one added the mark.
    const applied = await db()
      .db.select({ n: count() })
      .from(events)
      .where(and(eq(events.corpId, s.corp.corpId), eq(events.type, 'operation.applied')));
    expect(applied[0]!.n).toBe(12);
  });

  it('starts a job queued elsewhere as soon as NOTIFY announces it, without waiting for its poll', async () => {
    const s = await scene(3);
    // Polls every ten minutes: only the notification can make it look at the queue within the test.
    const worker = new OperationWorker(db().db, { kind: kind(), pollMs: 600_000, staleMs: 1_800_000, listen: db().listen });
    await worker.start();
    try {
      const op = await s.queue();
      const started = Date.now();
      while ((await statusOf(s.corp.corpId, op.operationId)).status !== 'succeeded' && Date.now() - started < 20_000)
        await new Promise((r) => setTimeout(r, 50));
      expect((await statusOf(s.corp.corpId, op.operationId)).status).toBe('succeeded');
      expect(await countWhere(marks, s.corp.corpId, op.operationId)).toBe(3);
    } finally {
      await worker.stop();
    }
  });

  it('rolls the whole batch back when it fails mid-way, and records the failure', async () => {
    const s = await scene(10);
    const op = await s.queue();
    const worker = new OperationWorker(db().db, {
      kind: kind(),
      chunkSize: 3,
      beforeChunk: async (_op, done) => {
        if (done >= 6) throw new Error('disk on fire');
      },
    });
    await worker.drain();
    const row = await statusOf(s.corp.corpId, op.operationId);
    expect(row).toMatchObject({ status: 'failed', error: { code: 'internal' }, done: 0 });
    expect(await countWhere(marks, s.corp.corpId, op.operationId)).toBe(0);
    expect(await countWhere(operationJournal, s.corp.corpId, op.operationId)).toBe(0);
    const evs = await db()
      .db.select({ type: events.type })
      .from(events)
      .where(and(eq(events.corpId, s.corp.corpId), eq(events.operationId, op.operationId)));
    expect(evs.map((e) => e.type).sort()).toEqual(['operation.failed', 'operation.queued']);
  });

  it('cancels a running batch between chunks: nothing applied, status cancelled', async () => {
    const s = await scene(10);
    const op = await s.queue();
    const worker: OperationWorker = new OperationWorker(db().db, {
      kind: kind(),
      chunkSize: 2,
      beforeChunk: async (running, done) => {
        if (done !== 4) return;
        // On PostgreSQL the request goes through the row (as from another process); on PGlite in memory.
        if (kind() === 'postgres') await db().db.update(operations).set({ cancelRequested: true }).where(eq(operations.operationId, running.operationId));
        else worker.requestCancel(running.corpId, running.operationId);
      },
    });
    const seen: string[] = [];
    worker.progress.on(`${s.corp.corpId}/${op.operationId}`, (p: { status: string; done: number }) => seen.push(`${p.status}:${p.done}`));
    await worker.drain();
    expect((await statusOf(s.corp.corpId, op.operationId)).status).toBe('cancelled');
    expect(await countWhere(marks, s.corp.corpId, op.operationId)).toBe(0);
    expect(seen).toEqual(['running:0', 'running:0', 'running:2', 'running:4', 'cancelled:0']);
  });

  it('requeues a job left running by a dead worker, and fails it after three interruptions', async () => {
    const s = await scene(3);
    const op = await s.queue();
    const stale = sql`now() - interval '1 hour'`;
    await db().db.update(operations).set({ status: 'running', attempts: 1, heartbeatAt: stale }).where(eq(operations.operationId, op.operationId));
    const worker = new OperationWorker(db().db, { kind: kind() });
    expect(await worker.recover(false)).toEqual({ requeued: 1, failed: 0 });
    expect(await worker.drain()).toEqual([op.operationId]);
    expect(await statusOf(s.corp.corpId, op.operationId)).toMatchObject({ status: 'succeeded', attempts: 2 });

    const doomed = await s.queue();
    await db().db.update(operations).set({ status: 'running', attempts: 3, heartbeatAt: stale }).where(eq(operations.operationId, doomed.operationId));
    expect(await worker.recover(false)).toEqual({ requeued: 0, failed: 1 });
    const row = await statusOf(s.corp.corpId, doomed.operationId);
    expect(row).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    expect(row.error!.message).toContain('3 times');
    // A live job (fresh heartbeat) is left alone by the periodic recovery.
    const live = await s.queue();
    await db().db.update(operations).set({ status: 'running', attempts: 1, heartbeatAt: sql`now()` }).where(eq(operations.operationId, live.operationId));
    expect(await worker.recover(false)).toEqual({ requeued: 0, failed: 0 });
    await db().db.update(operations).set({ status: 'cancelled' }).where(eq(operations.operationId, live.operationId));
  });

  it('stopping mid-job rolls it back and puts it back in the queue without counting an attempt', async () => {
    const s = await scene(6);
    const op = await s.queue();
    let stopping: Promise<void> | null = null;
    const worker: OperationWorker = new OperationWorker(db().db, {
      kind: kind(),
      chunkSize: 2,
      beforeChunk: async () => {
        stopping ??= worker.stop();
      },
    });
    await worker.runOnce();
    await stopping;
    expect(await statusOf(s.corp.corpId, op.operationId)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await countWhere(marks, s.corp.corpId, op.operationId)).toBe(0);
    expect(await new OperationWorker(db().db, { kind: kind() }).drain()).toEqual([op.operationId]);
    expect(await countWhere(marks, s.corp.corpId, op.operationId)).toBe(6);
  });
});
