import type { Actor, Source, TxCtx } from '../../../context.js';
import type { Database, Db } from '../../../db/client.js';
import { isConnectionLost } from '../../../db/health.js';
import { AppError } from '../../../errors.js';
import { type PullHooks, runWecomPull } from '../../connector/pull/run-pull.js';
import type { SecretBox } from '../../connector/secret-box.js';
import { runBatch } from '../batch/run-batch.js';
import type { OperationRow } from '../operation-row.js';
import { ProgressHub } from './progress.js';
import {
  cancelWasRequested,
  claimNext,
  finishPull,
  jobsChannel,
  markCancelled,
  markFailed,
  recoverStale,
  requeue,
  requeueOrFail,
  writeHeartbeat,
} from './queue-store.js';

/** Options of a worker; the defaults suit a server. */
export type WorkerOptions = {
  /** PGlite has one connection, held by the job's transaction: no progress writes, no cross-process recovery. */
  kind?: 'pglite' | 'postgres';
  pollMs?: number;
  /** A running job whose heartbeat is older than this is presumed dead (PostgreSQL). */
  staleMs?: number;
  maxAttempts?: number;
  /** Relations per chunk: progress is reported, and cancellation checked, between chunks. */
  chunkSize?: number;
  /** Hear `NOTIFY tagloom_jobs` (sent when a job is queued), so a job queued by another process starts at once, not at the next poll. */
  listen?: Database['listen'];
  /** Test hook, awaited before each chunk after the first (slow a job down, fail it mid-way). */
  beforeChunk?: (op: OperationRow, done: number) => Promise<void>;
  log?: (error: unknown, message: string) => void;
  /** Opens the WeCom secret of a `wecom_pull` (the app's box; null without TAGLOOM_SECRET_KEY). */
  secretBox?: SecretBox | null;
  /** Test hooks of `wecom_pull` runs: the clock its retries wait on, the fetch it calls WeCom with. */
  pull?: Pick<PullHooks, 'sleep' | 'fetch'>;
};

class Cancelled extends Error {}
class ShuttingDown extends Error {}

/**
 * Runs queued batch operations: claims one at a time with `FOR UPDATE SKIP LOCKED`, runs it in
 * one transaction as the actor who queued it, and records the outcome. Started by `buildApp` and
 * stopped on close; a stop mid-job rolls the job back and puts it back in the queue. Progress goes
 * to `progress` (in memory) and, on PostgreSQL, to the row every `pollMs` through another connection.
 */
export class OperationWorker {
  /** Live progress of the jobs this worker runs. */
  readonly progress = new ProgressHub();
  private readonly opts: Required<Omit<WorkerOptions, 'beforeChunk' | 'log' | 'listen' | 'secretBox' | 'pull'>> &
    Pick<WorkerOptions, 'beforeChunk' | 'log' | 'listen' | 'secretBox' | 'pull'>;
  private readonly cancels = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private recoverTimer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private started = false;

  constructor(
    private readonly db: Db,
    opts: WorkerOptions = {},
  ) {
    this.opts = { kind: 'pglite', pollMs: 1000, staleMs: 30_000, maxAttempts: 3, chunkSize: 20_000, ...opts };
  }

  /** Recovers jobs a dead process left running, then polls the queue (and, on PostgreSQL, recovers periodically). */
  async start(): Promise<void> {
    await this.recover(this.opts.kind === 'pglite');
    this.started = true;
    if (this.opts.listen) this.unlisten = await this.opts.listen(jobsChannel, () => this.nudge());
    this.timer = setInterval(() => this.nudge(), this.opts.pollMs);
    this.timer.unref();
    if (this.opts.kind === 'postgres') {
      this.recoverTimer = setInterval(
        () => void this.recover(false).catch((e: unknown) => this.opts.log?.(e, 'operation recovery failed')),
        this.opts.staleMs / 2,
      );
      this.recoverTimer.unref();
    }
    this.nudge();
  }

  /** Stops polling; a job in flight is rolled back at its next chunk and requeued. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.recoverTimer) clearInterval(this.recoverTimer);
    await this.unlisten?.();
    this.unlisten = null;
    await this.ticking;
  }

  /** Looks at the queue now (after a job was queued in this process) instead of at the next poll; a no-op until started. */
  nudge(): void {
    if (this.stopping || !this.started) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.drain()
      .then(() => undefined)
      .catch((e: unknown) => this.opts.log?.(e, 'operation worker failed'))
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Runs queued jobs until the queue is empty; returns the ids it ran. Tests call it directly. */
  async drain(): Promise<string[]> {
    const ran: string[] = [];
    for (let id = await this.runOnce(); id !== null; id = await this.runOnce()) ran.push(id);
    return ran;
  }

  /** Puts jobs left running by a dead process back in the queue (or fails them after too many tries). */
  recover(all: boolean): Promise<{ requeued: number; failed: number }> {
    return recoverStale(this.db, { all, staleMs: this.opts.staleMs, maxAttempts: this.opts.maxAttempts });
  }

  /** Asks this process's run of a job to stop at its next chunk; false when it is not running here. */
  requestCancel(corpId: string, operationId: string): boolean {
    if (!this.progress.get(corpId, operationId)) return false;
    this.cancels.add(`${corpId}/${operationId}`);
    return true;
  }

  /** Claims and runs one job; null when the queue is empty. */
  async runOnce(): Promise<string | null> {
    if (this.stopping) return null;
    const op = await claimNext(this.db);
    if (!op) return null;
    await this.run(op);
    return op.operationId;
  }

  private async run(op: OperationRow): Promise<void> {
    if (op.kind === 'wecom_pull') return this.runPull(op);
    const key = `${op.corpId}/${op.operationId}`;
    const report = this.progress.report.bind(this.progress, op.corpId, op.operationId);
    report({ status: 'running', done: 0, total: op.total, startedAtMs: Date.now() });
    const beat = this.heartbeat(op);
    // The actor is rebuilt from the row as a new object, so its policy is resolved afresh (it may have lost a permission since queueing).
    const base = { corpId: op.corpId, actor: structuredClone(op.actor) as Actor, source: op.source as Source, db: this.db };
    try {
      const result = await this.db.transaction((tx) => {
        const ctx: TxCtx = { ...base, tx };
        return runBatch(
          ctx,
          op,
          {
            onTotal: (total) => {
              beat.total = total;
              report({ total });
            },
            beforeChunk: async (done) => {
              await this.opts.beforeChunk?.(op, done);
              if (this.stopping) throw new ShuttingDown();
              if (this.cancels.has(key)) throw new Cancelled();
              if (this.opts.kind === 'postgres' && (await cancelWasRequested(this.db, op))) throw new Cancelled();
            },
            onProgress: (done) => {
              beat.done = done;
              report({ done });
            },
          },
          this.opts.chunkSize,
        );
      });
      await beat.stop();
      report({ status: 'succeeded', done: result.relations, total: result.relations });
    } catch (error) {
      await beat.stop();
      if (error instanceof ShuttingDown) {
        await requeue(this.db, op);
        report({ status: 'queued', done: 0 });
      } else if (error instanceof Cancelled) {
        await markCancelled(this.db, op);
        report({ status: 'cancelled', done: 0 });
      } else if (isConnectionLost(error)) {
        // The transaction died with its connection, so nothing of it committed; not the job's fault,
        // so it is tried again. Should this write fail too (the database still down), the row's
        // heartbeat goes stale and recovery requeues it later.
        this.opts.log?.(error, `operation ${op.operationId} lost its database connection`);
        const outcome = await requeueOrFail(this.db, op, { maxAttempts: this.opts.maxAttempts, why: 'the database connection was lost' });
        if (outcome) report({ status: outcome, done: 0 });
      } else {
        if (!(error instanceof AppError)) this.opts.log?.(error, `operation ${op.operationId} failed`);
        const info =
          error instanceof AppError
            ? { code: error.code, message: error.message }
            : { code: 'internal', message: 'The job failed on our side; nothing of it was applied.' };
        await markFailed(this.db, op, info);
        report({ status: 'failed', done: 0 });
      }
    } finally {
      this.cancels.delete(key);
    }
  }

  /**
   * Runs a WeCom pull: unlike a batch it commits page by page (its cursor saved with each page), so
   * a stop or a crash resumes at the next page; a cancel keeps the pages already applied. Stop and
   * cancel are honoured between pages.
   */
  private async runPull(op: OperationRow): Promise<void> {
    const key = `${op.corpId}/${op.operationId}`;
    const report = this.progress.report.bind(this.progress, op.corpId, op.operationId);
    report({ status: 'running', done: op.done, total: op.total, startedAtMs: Date.now() });
    try {
      const counts = await runWecomPull(this.db, this.opts.secretBox ?? null, op, {
        ...this.opts.pull,
        beforePage: async (done) => {
          await this.opts.beforeChunk?.(op, done);
          if (this.stopping) throw new ShuttingDown();
          if (this.cancels.has(key) || (await cancelWasRequested(this.db, op))) throw new Cancelled();
        },
        onProgress: (done, total) => report({ done, total }),
      });
      await finishPull(this.db, op, { added: counts.marked, removed: counts.unmarked, ...counts });
      report({ status: 'succeeded' });
    } catch (error) {
      if (error instanceof ShuttingDown) {
        await requeue(this.db, op);
        report({ status: 'queued' });
      } else if (error instanceof Cancelled) {
        await markCancelled(this.db, op);
        report({ status: 'cancelled' });
      } else if (isConnectionLost(error)) {
        this.opts.log?.(error, `operation ${op.operationId} lost its database connection`);
        const outcome = await requeueOrFail(this.db, op, { maxAttempts: this.opts.maxAttempts, why: 'the database connection was lost' });
        if (outcome) report({ status: outcome });
      } else {
        if (!(error instanceof AppError)) this.opts.log?.(error, `operation ${op.operationId} failed`);
        const info = error instanceof AppError ? { code: error.code, message: error.message } : { code: 'internal', message: 'The pull failed on our side.' };
        await markFailed(this.db, op, info);
        report({ status: 'failed' });
      }
    } finally {
      this.cancels.delete(key);
    }
  }

  /** On PostgreSQL, writes done / heartbeat through the pool every `pollMs` while the job runs. */
  private heartbeat(op: OperationRow) {
    const state = { done: 0, total: op.total, stop: async () => {} };
    if (this.opts.kind !== 'postgres') return state;
    let pending: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        pending = pending
          .then(() => writeHeartbeat(this.db, op, state.done, state.total))
          .catch((e: unknown) => this.opts.log?.(e, 'operation heartbeat failed'));
      },
      Math.min(this.opts.pollMs, this.opts.staleMs / 3),
    );
    state.stop = async () => {
      clearInterval(timer);
      await pending;
    };
    return state;
  }
}
