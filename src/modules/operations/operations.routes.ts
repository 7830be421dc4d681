import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import { BatchBody, ListOperationsQuery, OperationEnvelope, OperationPage, OperationParams } from '../../../contracts/operations.js';
import { apiCtx } from '../../api/api-context.js';
import type { Ctx } from '../../context.js';
import { withTx } from '../../context.js';
import { policyFor } from '../../policies/index.js';
import { actorNames } from '../org/employee-names.js';
import { queueBatch } from './batch/queue-batch.js';
import { cancelOperation } from './commands/cancel-operation.js';
import type { OperationRow } from './operation-row.js';
import { paramsWithSelectionBySize, presentOperation } from './operations.presenter.js';
import { getOperation, listOperations, operationAbilities } from './operations.queries.js';
import { ProgressStreams, streamProgress } from './progress-stream.js';

const tags = ['Operations'];

/**
 * Operations: batch tag / untag / move jobs queued here and run by the worker, their listing and
 * detail, a Server-Sent Events progress stream, and cancellation. Uses `app.operations`, the
 * worker `buildApp` starts.
 */
export const operationRoutes: FastifyPluginAsyncZod = async (app) => {
  // Operations as the caller sees them: live progress from this process's worker, what the caller may do with each, and who asked by name.
  const present = async (ctx: Ctx, rows: OperationRow[]) => {
    const policy = await policyFor(ctx);
    const names = await actorNames(
      ctx,
      rows.map((row) => row.actorLabel),
    );
    return rows.map((row) =>
      presentOperation(row, app.operations.progress.get(row.corpId, row.operationId), operationAbilities(ctx, policy, row), names.get(row.actorLabel) ?? null),
    );
  };
  const presentOne = async (ctx: Ctx, row: OperationRow) => ({ operation: (await present(ctx, [row]))[0]! });
  // A progress stream lasts as long as its job: a stopping server ends them before it waits for requests to finish.
  const streams = new ProgressStreams();
  app.addHook('preClose', async () => streams.endAll());

  app.post(
    '/operations/batch',
    {
      schema: {
        tags,
        summary: 'Queue a batch tag / untag / move',
        description:
          'Checked at once (tags, permissions, customers, audience; an empty selection is refused). Rule-group tags go only on relations of the rule group’s range members (the rest count as `result.outOfRange`; none at all is refused). Then queued and run as one job that applies whole or not at all. Answers 202 with the queued operation, an explicit selection shown by its size (`params.selection`: `{ customers: n }`, as in the listing; `GET /operations/:id` has the ids); follow it with `GET /operations/:id` or `/progress`.',
        body: BatchBody,
        response: withErrors({ 202: OperationEnvelope }, 403, 404),
      },
    },
    async (request, reply) => {
      const row = await withTx(apiCtx(request), (ctx) => queueBatch(ctx, request.body));
      app.operations.nudge();
      return reply.code(202).send(await presentOne(apiCtx(request), { ...row, params: paramsWithSelectionBySize(row.params) }));
    },
  );

  app.get(
    '/operations',
    {
      schema: {
        tags,
        summary: 'List operations',
        description:
          'Newest first, optionally created in [`from`, `to`); your own, or every one of the corp with `audit.view` (and corp-wide reach). A batch on an explicit selection lists it by size (`params.selection`: `{ customers: n }`); `GET /operations/:id` has the ids.',
        querystring: ListOperationsQuery,
        response: withErrors({ 200: OperationPage }),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const page = await listOperations(ctx, request.query);
      return { operations: await present(ctx, page.rows), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/operations/:operationId',
    {
      schema: {
        tags,
        summary: 'Get an operation',
        description: 'Status, progress (done / total, rate, ETA), counts, error, who and when.',
        params: OperationParams,
        response: withErrors({ 200: OperationEnvelope }, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentOne(ctx, await getOperation(ctx, request.params.operationId));
    },
  );

  app.get(
    '/operations/:operationId/progress',
    {
      schema: {
        tags,
        summary: "Stream an operation's progress (SSE)",
        description:
          '`text/event-stream`: an `event: progress` with `{ status, done, total, ratePerSecond, etaSeconds }` at once and on each change; the stream ends after a final status.',
        params: OperationParams,
        produces: ['text/event-stream'],
        response: withErrors({ 200: z.string() }, 404),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const row = await getOperation(ctx, request.params.operationId);
      return streamProgress(app, reply, row, streams);
    },
  );

  app.post(
    '/operations/:operationId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an operation',
        description:
          'A queued operation is cancelled at once; a running one is rolled back whole at its next chunk (the answer shows `cancelRequested`; the request is logged as `operation.cancel_requested`). 409 once finished.',
        params: OperationParams,
        response: withErrors({ 202: OperationEnvelope }, 403, 404, 409),
      },
    },
    async (request, reply) => {
      const row = await withTx(apiCtx(request), (ctx) => cancelOperation(ctx, request.params.operationId));
      app.operations.requestCancel(row.corpId, row.operationId);
      return reply.code(202).send(await presentOne(apiCtx(request), row));
    },
  );
};
