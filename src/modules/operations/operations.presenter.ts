import { type ProgressSnapshot, rateAndEta } from './jobs/progress.js';
import type { OperationRow } from './operation-row.js';

/**
 * An operation as the API shows it. A job running in this process reports its live progress
 * (fresher than the row, which on PGlite is only written when the job ends); otherwise the row's.
 * `abilities` are the caller's (`operationAbilities`); none when there is no caller to ask for.
 * `actorName` is the employee's name behind a `user:` actor, when known.
 */
export function presentOperation(
  row: OperationRow,
  live?: ProgressSnapshot,
  abilities = { undo: false, redo: false, cancel: false },
  actorName: string | null = null,
) {
  const progress =
    live && row.status === 'running'
      ? live
      : {
          status: row.status,
          done: row.done,
          total: row.total,
          ...(row.status === 'running' ? rateAndEta(row.done, row.total, row.startedAt?.getTime() ?? null) : { ratePerSecond: null, etaSeconds: null }),
        };
  return {
    operationId: row.operationId,
    kind: row.kind,
    ...progress,
    params: row.params,
    actor: row.actorLabel,
    actorName,
    source: row.source,
    result: presentResult(row.result),
    error: row.error ?? null,
    attempts: row.attempts,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    undoneBy: row.undoneBy,
    targetOperationId: row.targetOperationId,
    abilities,
  };
}

/**
 * The result every kind shares: marks put on (`added`) and taken off (`removed`), plus what the
 * kind adds (an import's rows and created customers, an undo's conflicts…). Older rows and kinds
 * that only add (imports) stored no `removed`; it reads as 0 rather than failing the response.
 */
function presentResult(raw: unknown): { added: number; removed: number; [key: string]: unknown } | null {
  if (raw === null || typeof raw !== 'object') return null;
  const fields = raw as Record<string, unknown>;
  const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : 0);
  return { ...fields, added: count(fields.added), removed: count(fields.removed) };
}

/**
 * An operation's params with an explicit selection shown by its size (`{ customers: n }`), as the
 * listing shows it (`listOperations` does the same in SQL): the 202 of a batch over 100,000 ids
 * need not send the megabyte of ids back; `GET /operations/:id` has them.
 */
export function paramsWithSelectionBySize(params: Record<string, unknown>): Record<string, unknown> {
  const selection = params.selection as { externalUserids?: unknown } | undefined;
  if (!selection || !Array.isArray(selection.externalUserids)) return params;
  return { ...params, selection: { customers: selection.externalUserids.length } };
}
