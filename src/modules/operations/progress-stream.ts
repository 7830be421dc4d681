import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { operations } from '../../db/schema/index.js';
import type { OperationRow } from './batch/queue-batch.js';
import { isTerminal, ProgressHub, type ProgressSnapshot } from './jobs/progress.js';
import { presentOperation } from './operations.presenter.js';

const pollMs = 1000;

function snapshotOf(row: OperationRow): ProgressSnapshot {
  const { status, done, total, ratePerSecond, etaSeconds } = presentOperation(row);
  return { status, done, total, ratePerSecond, etaSeconds };
}

/**
 * Streams an operation's progress as Server-Sent Events until it ends: the current state at
 * once, then every step this process's worker reports, plus a poll of the row each second for a
 * job another process runs. Identical consecutive states are sent once. The caller has already
 * checked that the actor may see the operation. The stream's end function is kept in `open` while
 * it lasts, so that a stopping server can end it (a client's EventSource then reconnects).
 */
export async function streamProgress(app: FastifyInstance, reply: FastifyReply, row: OperationRow, open: Set<() => void>): Promise<FastifyReply> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const key = ProgressHub.key(row.corpId, row.operationId);
  let last = '';
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const close = () => {
    if (closed) return;
    closed = true;
    open.delete(close);
    app.operations.progress.off(key, send);
    if (timer) clearTimeout(timer);
    res.end();
  };
  function send(snapshot: ProgressSnapshot): void {
    if (closed) return;
    const data = JSON.stringify(snapshot);
    if (data !== last) {
      last = data;
      res.write(`event: progress\ndata: ${data}\n\n`);
    }
    if (isTerminal(snapshot.status)) close();
  }
  const poll = async () => {
    const [fresh] = await app.db.select().from(operations).where(and(eq(operations.corpId, row.corpId), eq(operations.operationId, row.operationId)));
    if (closed) return;
    // The row of a job running here lags its live progress; report the row only when it is final or elsewhere.
    const live = app.operations.progress.get(row.corpId, row.operationId);
    if (!fresh) return close();
    if (!live || isTerminal(fresh.status)) send(snapshotOf(fresh));
    if (!closed) timer = setTimeout(() => void poll().catch(close), pollMs);
  };
  res.on('close', close);
  open.add(close);
  app.operations.progress.on(key, send);
  send(app.operations.progress.get(row.corpId, row.operationId) ?? snapshotOf(row));
  if (!closed) timer = setTimeout(() => void poll().catch(close), pollMs);
  return reply;
}
