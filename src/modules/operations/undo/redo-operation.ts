import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { operations } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { newId } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';
import { lockReversible, recordReversal, setUndoneBy } from './operation-records.js';
import { redoDeletion } from './reverse-deletion.js';
import { reverseJournal } from './reverse-journal.js';
import type { ReversalResult } from './undo-operation.js';

/**
 * Redoes an undone operation, in the caller's transaction: reverses its undo (marks the undo took
 * off go back with the operation's provenance, marks it put back come off again; a deletion is
 * deleted again), with conflicts as for an undo. Records the redo as an operation, clears the
 * target's `undoneBy` (so it can be undone again) and marks the undo as undone by the redo.
 */
export async function redoOperation(ctx: TxCtx, operationId: string): Promise<ReversalResult> {
  const policy = await policyFor(ctx);
  const target = await lockReversible(ctx, policy, operationId);
  if (!target.undoneBy) throw new AppError('conflict', { message: `Operation ${operationId} has not been undone; there is nothing to redo.` });
  const [undo] = await ctx.tx
    .select()
    .from(operations)
    .where(and(eq(operations.corpId, ctx.corpId), eq(operations.operationId, target.undoneBy)))
    .for('update');
  if (!undo) throw new Error(`Operation ${operationId} is marked undone by ${target.undoneBy}, which does not exist: was the undo row deleted by hand?`);
  const redoId = newId.operation();
  const reversal =
    target.kind === 'deletion'
      ? await redoDeletion(ctx, target, undo, redoId)
      : await reverseJournal(ctx, policy, { journalOf: undo.operationId, operationId: redoId, restoredFrom: target.operationId });
  const operation = await recordReversal(ctx, { kind: 'redo', operationId: redoId, target, reversal });
  await setUndoneBy(ctx, target.operationId, null);
  await setUndoneBy(ctx, undo.operationId, redoId);
  return { operation, conflicts: reversal.conflicts, conflictCount: reversal.conflictCount };
}
