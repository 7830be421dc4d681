import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { operations } from '../../db/schema/index.js';
import { isTerminal, ProgressHub, type ProgressSnapshot } from './jobs/progress.js';
import type { OperationRow } from './operation-row.js';
import { presentOperation } from './operations.presenter.js';

const pollMs = 1000;

function snapshotOf(row: OperationRow): ProgressSnapshot {
  const { status, done, total, ratePerSecond, etaSeconds } = presentOperation(row);
  return { status, done, total, ratePerSecond, etaSeconds };
}

/**
 * The progress streams of a server, so that a stopping server can end them (a client's
 * EventSource then reconnects, to the next server): `endAll` ends the open ones, and a stream
 * that starts after it (its request was waiting for the database) sends the current state and ends.
 */
export class ProgressStreams {
  private readonly open = new Set<() => void>();
  private stopping = false;

  /** Ends every open stream, and every stream started from now on after its first event. */
  endAll(): void {
    this.stopping = true;
    for (const end of [...this.open]) end();
  }

  /** Keeps `end` until it is called or the stream ends; false (nothing kept) once stopping. */
  add(end: () => void): boolean {
    if (this.stopping) return false;
    this.open.add(end);
    return true;
  }

  /** Forgets an ended stream. */
  delete(end: () => void): void {
    this.open.delete(end);
  }
}

/**
 * Streams an operation's progress as Server-Sent Events until it ends: the current state at
 * once, then every step this process's worker reports, plus a poll of the row each second for a
 * job another process runs. Identical consecutive states are sent once. The caller has already
 * checked that the actor may see the operation.
 */
export async function streamProgress(app: FastifyInstance, reply: FastifyReply, row: OperationRow, open: ProgressStreams): Promise<FastifyReply> {
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
    open.delete(endForStop);
    app.operations.progress.off(key, send);
    if (timer) clearTimeout(timer);
    res.end();
  };
  // Ended by a stopping server: close the connection too, or it would idle until its keep-alive timeout and hold the stop up.
  const endForStop = () => {
    close();
    res.socket?.end();
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
    const [fresh] = await app.db
      .select()
      .from(operations)
      .where(and(eq(operations.corpId, row.corpId), eq(operations.operationId, row.operationId)));
    if (closed) return;
    // The row of a job running here lags its live progress; report the row only when it is final or elsewhere.
    const live = app.operations.progress.get(row.corpId, row.operationId);
    if (!fresh) return close();
    if (!live || isTerminal(fresh.status)) send(snapshotOf(fresh));
    if (!closed) timer = setTimeout(() => void poll().catch(close), pollMs);
  };
  res.on('close', close);
  const kept = open.add(endForStop);
  app.operations.progress.on(key, send);
  send(app.operations.progress.get(row.corpId, row.operationId) ?? snapshotOf(row));
  if (!kept) endForStop();
  if (!closed) timer = setTimeout(() => void poll().catch(close), pollMs);
  return reply;
}
