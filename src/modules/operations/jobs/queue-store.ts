import { and, eq, sql } from 'drizzle-orm';
import { systemContext, withTx } from '../../../context.js';
import { type Db, queryRows } from '../../../db/client.js';
import { operations } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import type { OperationRow } from '../operation-row.js';

/** The channel a queued job is announced on (payload: the corp id), heard by every process's worker. */
export const jobsChannel = 'tagloom_jobs';

// The worker's own entries in the audit log (failure, cancellation found while running).
const workerName = 'operations';

/** Which run of a job a write is for: guarded by status and attempt so a presumed-dead run cannot finish it. */
function ofRun(op: OperationRow) {
  return and(
    eq(operations.corpId, op.corpId),
    eq(operations.operationId, op.operationId),
    eq(operations.status, 'running'),
    eq(operations.attempts, op.attempts),
  );
}

/**
 * Claims the oldest queued job, committing `running` at once (an autocommit statement) so other
 * workers and the progress endpoints see it; `SKIP LOCKED` lets several workers, in one process
 * or many on one PostgreSQL, claim side by side without ever taking the same job.
 */
export async function claimNext(db: Db): Promise<OperationRow | null> {
  const [row] = await db
    .update(operations)
    .set({ status: 'running', attempts: sql`${operations.attempts} + 1`, startedAt: sql`now()`, heartbeatAt: sql`now()`, done: 0 })
    .where(
      sql`(${operations.corpId}, ${operations.operationId}) = (select corp_id, operation_id from operations where status = 'queued' and kind in ('batch', 'wecom_pull') order by created_at for update skip locked limit 1)`,
    )
    .returning();
  return row ?? null;
}

/** Autocommit progress and liveness of a running job (PostgreSQL only: another pooled connection). */
export async function writeHeartbeat(db: Db, op: OperationRow, done: number, total: number): Promise<void> {
  await db.update(operations).set({ done, total, heartbeatAt: sql`now()` }).where(ofRun(op));
}

/** Whether someone asked to cancel the job (read through `db`, outside the job's transaction). */
export async function cancelWasRequested(db: Db, op: OperationRow): Promise<boolean> {
  const [row] = await db
    .select({ cancel: operations.cancelRequested })
    .from(operations)
    .where(and(eq(operations.corpId, op.corpId), eq(operations.operationId, op.operationId)));
  return row?.cancel ?? false;
}

/** A pull went through: the row says succeeded, with its counts as the result. */
export async function finishPull(db: Db, op: OperationRow, result: Record<string, unknown>): Promise<void> {
  await db
    .update(operations)
    .set({ status: 'succeeded', result, done: sql`${operations.total}`, finishedAt: sql`now()` })
    .where(ofRun(op));
}

/** After a rollback: the job failed; the row says why and `operation.failed` is recorded with it. */
export async function markFailed(db: Db, op: OperationRow, error: { code: string; message: string }): Promise<boolean> {
  return withTx(systemContext(db, op.corpId, workerName), async (ctx) => {
    const rows = await ctx.tx
      .update(operations)
      .set({ status: 'failed', error, done: 0, finishedAt: sql`now()` })
      .where(ofRun(op))
      .returning({ id: operations.operationId });
    if (rows.length === 0) return false;
    await recordEvent(ctx, {
      type: 'operation.failed',
      subjectType: 'operation',
      subjectId: op.operationId,
      operationId: op.operationId,
      payload: { kind: op.kind, error, attempts: op.attempts },
    });
    return true;
  });
}

/** After a rollback on request: the job is cancelled, with nothing applied. */
export async function markCancelled(db: Db, op: OperationRow): Promise<boolean> {
  return withTx(systemContext(db, op.corpId, workerName), async (ctx) => {
    const rows = await ctx.tx
      .update(operations)
      .set({ status: 'cancelled', done: 0, finishedAt: sql`now()` })
      .where(ofRun(op))
      .returning({ id: operations.operationId });
    if (rows.length === 0) return false;
    await recordEvent(ctx, {
      type: 'operation.cancelled',
      subjectType: 'operation',
      subjectId: op.operationId,
      operationId: op.operationId,
      payload: { kind: op.kind, while: 'running' },
    });
    return true;
  });
}

/** After a rollback on shutdown: back to the queue, the attempt not counted (the job did not fail). */
export async function requeue(db: Db, op: OperationRow): Promise<void> {
  await db
    .update(operations)
    .set({ status: 'queued', attempts: sql`${operations.attempts} - 1`, done: 0, heartbeatAt: null })
    .where(ofRun(op));
}

/**
 * A run of a job ended without finishing it (its process died, or its database connection was lost
 * mid-run): nothing of it was applied, so the job goes back to the queue, the attempt counted, or
 * fails once it has been interrupted `maxAttempts` times; if its cancellation was asked for, it is
 * cancelled instead. Guarded by status and attempt, so two
 * recovering workers (or a late finisher) cannot both win; answers what became of the job, or null
 * when it was not this run's to change (it finished after all).
 */
export async function requeueOrFail(db: Db, op: OperationRow, opts: { maxAttempts: number; why: string }): Promise<'queued' | 'failed' | 'cancelled' | null> {
  // A cancel asked for while it ran outlives the run that should have answered it: honour it.
  const [current] = await db.select({ cancelRequested: operations.cancelRequested }).from(operations).where(ofRun(op));
  if (!current) return null;
  if (current.cancelRequested) return (await markCancelled(db, op)) ? 'cancelled' : null;
  if (op.attempts >= opts.maxAttempts) {
    const failed = await markFailed(db, op, {
      code: 'interrupted',
      message: `The job was interrupted ${op.attempts} times (${opts.why}); nothing of it was applied.`,
    });
    return failed ? 'failed' : null;
  }
  const rows = await db.update(operations).set({ status: 'queued', done: 0, heartbeatAt: null }).where(ofRun(op)).returning({ id: operations.operationId });
  return rows.length > 0 ? 'queued' : null;
}

/**
 * Finds jobs left `running` by a process that died (heartbeat older than `staleMs`, or every
 * running job when `all`: PGlite has one process) and puts each back in the queue, or fails it
 * once it has been interrupted `maxAttempts` times, or cancels it when that was asked for (counted
 * in neither); see `requeueOrFail`. Never leaves a dead job silently running.
 */
export async function recoverStale(db: Db, opts: { all: boolean; staleMs: number; maxAttempts: number }): Promise<{ requeued: number; failed: number }> {
  const stale = opts.all ? sql`true` : sql`heartbeat_at < now() - make_interval(secs => ${opts.staleMs / 1000})`;
  const rows = await queryRows<{ corp_id: string; operation_id: string; attempts: number; kind: string }>(
    db,
    sql`
    select corp_id, operation_id, attempts, kind from operations where status = 'running' and ${stale}`,
  );
  let requeued = 0;
  let failed = 0;
  for (const r of rows) {
    const op = { corpId: r.corp_id, operationId: r.operation_id, attempts: Number(r.attempts), kind: r.kind } as OperationRow;
    const outcome = await requeueOrFail(db, op, { maxAttempts: opts.maxAttempts, why: 'the worker stopped mid-run' });
    if (outcome === 'failed') failed += 1;
    else if (outcome === 'queued') requeued += 1;
  }
  return { requeued, failed };
}
