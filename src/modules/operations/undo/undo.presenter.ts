import type { z } from 'zod';
import type { UndoResponse } from '../../../../contracts/undo.js';
import type { ReversalResult } from './undo-operation.js';

/** An undo or redo as the API answers it: the new operation, its conflicts (capped) and their count. */
export function presentReversal(result: ReversalResult): z.infer<typeof UndoResponse> {
  const op = result.operation;
  return {
    operation: {
      operationId: op.operationId,
      kind: op.kind as 'undo' | 'redo',
      status: 'succeeded',
      targetOperationId: op.targetOperationId!,
      actor: op.actorLabel,
      source: op.source,
      result: op.result as { added: number; removed: number; conflictCount: number },
      createdAt: op.createdAt.toISOString(),
      finishedAt: (op.finishedAt ?? op.createdAt).toISOString(),
    },
    conflicts: result.conflicts,
    conflictCount: result.conflictCount,
  };
}
