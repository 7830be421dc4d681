import type { OperationRow } from './batch/queue-batch.js';
import { rateAndEta, type ProgressSnapshot } from './jobs/progress.js';

/**
 * An operation as the API shows it. A job running in this process reports its live progress
 * (fresher than the row, which on PGlite is only written when the job ends); otherwise the row's.
 */
export function presentOperation(row: OperationRow, live?: ProgressSnapshot) {
  const progress = live && row.status === 'running' ? live : { status: row.status, done: row.done, total: row.total, ...(row.status === 'running' ? rateAndEta(row.done, row.total, row.startedAt?.getTime() ?? null) : { ratePerSecond: null, etaSeconds: null }) };
  return {
    operationId: row.operationId,
    kind: row.kind,
    ...progress,
    params: row.params,
    actor: row.actorLabel,
    source: row.source,
    result: (row.result as { added: number; removed: number } | null) ?? null,
    error: row.error ?? null,
    attempts: row.attempts,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    undoneBy: row.undoneBy,
    targetOperationId: row.targetOperationId,
  };
}
