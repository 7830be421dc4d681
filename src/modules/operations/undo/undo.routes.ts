import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../../contracts/errors.js';
import { UndoParams, UndoResponse } from '../../../../contracts/undo.js';
import { apiCtx } from '../../../api/api-context.js';
import { withTx } from '../../../context.js';
import { redoOperation } from './redo-operation.js';
import { presentReversal } from './undo.presenter.js';
import { undoOperation } from './undo-operation.js';

const tags = ['Operations'];

/** Undo and redo of operations (batches, imports, rule runs, deletions), each itself an audited operation. */
export const undoRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/operations/:operationId/undo',
    {
      schema: {
        tags,
        summary: 'Undo an operation',
        description:
          "Reverses what the operation changed, in one transaction. Marks changed again since are left alone and listed as conflicts (up to 1,000; `conflictCount` counts all). A deletion is undone by restoring what it deleted (refused after 30 days). Your own operations, or anyone's as an administrator.",
        params: UndoParams,
        response: withErrors({ 200: UndoResponse }, 403, 404, 409, 410, 422),
      },
    },
    async (request) => presentReversal(await withTx(apiCtx(request), (tx) => undoOperation(tx, request.params.operationId))),
  );

  app.post(
    '/operations/:operationId/redo',
    {
      schema: {
        tags,
        summary: 'Redo an undone operation',
        description: 'Re-applies an undone operation by reversing its undo, with conflicts as for an undo; the operation can then be undone again.',
        params: UndoParams,
        response: withErrors({ 200: UndoResponse }, 403, 404, 409),
      },
    },
    async (request) => presentReversal(await withTx(apiCtx(request), (tx) => redoOperation(tx, request.params.operationId))),
  );
};
