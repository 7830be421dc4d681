import type { UndoConflict } from '../../../../contracts/undo.js';
import type { TxCtx } from '../../../context.js';
import { AppError } from '../../../errors.js';
import { newId } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';
import type { OperationRow } from '../operation-row.js';
import { lockReversible, recordReversal, setUndoneBy } from './operation-records.js';
import { undoDeletion } from './reverse-deletion.js';
import { type Reversal, reverseJournal } from './reverse-journal.js';

/** An undo or redo as recorded, with the changes it left alone (at most 1,000 listed) and their count. */
export type ReversalResult = { operation: OperationRow; conflicts: UndoConflict[]; conflictCount: number };

/**
 * Undoes a succeeded batch, import, rule run or deletion, in the caller's transaction: reverses
 * its journal (a deletion: restores what it deleted), leaving marks changed since alone and listing
 * them as conflicts, and records the undo as an operation of its own that the target points to.
 * @example const { operation, conflicts } = await withTx(ctx, (tx) => undoOperation(tx, 'op…'))
 */
export async function undoOperation(ctx: TxCtx, operationId: string): Promise<ReversalResult> {
  const policy = await policyFor(ctx);
  const target = await lockReversible(ctx, policy, operationId);
  if (target.undoneBy) throw new AppError('conflict', { message: `Operation ${operationId} has already been undone (by ${target.undoneBy}); redo it first.` });
  const undoId = newId.operation();
  let operation: OperationRow;
  let reversal: Reversal;
  if (target.kind === 'deletion') {
    const { restoredTagIds, restoredGroupIds, ...rest } = await undoDeletion(ctx, target, undoId);
    reversal = rest;
    operation = await recordReversal(ctx, { kind: 'undo', operationId: undoId, target, reversal, extra: { restoredTagIds, restoredGroupIds } });
  } else {
    reversal = await reverseJournal(ctx, policy, { journalOf: target.operationId, operationId: undoId });
    operation = await recordReversal(ctx, { kind: 'undo', operationId: undoId, target, reversal });
  }
  await setUndoneBy(ctx, target.operationId, undoId);
  return { operation, conflicts: reversal.conflicts, conflictCount: reversal.conflictCount };
}
