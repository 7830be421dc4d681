import { and, eq, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { operations } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { forbidden, policyFor } from '../../../policies/index.js';
import type { OperationRow } from '../operation-row.js';
import { getOperation, startedBy } from '../operations.queries.js';

/**
 * Cancels an operation: a queued one at once (`operation.cancelled` in the same transaction); a
 * running one by setting `cancel_requested` (`operation.cancel_requested` in the same transaction),
 * which its worker reads between chunks and answers by rolling the whole job back and recording
 * `operation.cancelled`. Either way the log names who asked. Asking again while the request is
 * pending changes nothing. The requester may cancel, and so may whoever reads every operation.
 */
export async function cancelOperation(ctx: TxCtx, operationId: string): Promise<OperationRow> {
  const op = await getOperation(ctx, operationId, true);
  const policy = await policyFor(ctx);
  if (!startedBy(ctx, policy, op) && !policy.seesAllActivity()) throw forbidden('Only the requester may cancel this operation.');
  const key = and(eq(operations.corpId, ctx.corpId), eq(operations.operationId, operationId));
  if (op.status === 'queued') {
    const [row] = await ctx.tx.update(operations).set({ status: 'cancelled', cancelRequested: true, finishedAt: sql`now()` }).where(key).returning();
    await recordEvent(ctx, {
      type: 'operation.cancelled',
      subjectType: 'operation',
      subjectId: operationId,
      operationId,
      payload: { kind: op.kind, while: 'queued' },
    });
    return row!;
  }
  if (op.status === 'running') {
    if (op.cancelRequested) return op;
    const [row] = await ctx.tx.update(operations).set({ cancelRequested: true }).where(key).returning();
    await recordEvent(ctx, {
      type: 'operation.cancel_requested',
      subjectType: 'operation',
      subjectId: operationId,
      operationId,
      payload: { kind: op.kind, while: 'running' },
    });
    return row!;
  }
  throw new AppError('conflict', { message: `Operation ${operationId} has already ${op.status}; nothing to cancel.` });
}
