import { getTableColumns, sql } from 'drizzle-orm';
import type { BatchInput } from '../../../../contracts/operations.js';
import { actorLabel, type TxCtx } from '../../../context.js';
import { operations } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { jobsChannel } from '../jobs/queue-store.js';
import type { OperationRow } from '../operation-row.js';
import { checkExplicitSelection, requireNonEmpty, requireSomeInRange } from './batch-selection.js';
import { type BatchParams, prepareBatch } from './prepare-batch.js';

const { params: _, ...storedColumns } = getTableColumns(operations);

/**
 * Checks a batch synchronously and queues it: the operations row and its `operation.queued`
 * event commit together, and a refused request writes neither. The audience is counted now so an
 * empty selection is refused at once (and one where rule-group tags could go on no relation); the job
 * evaluates it again when it runs.
 */
export async function queueBatch(ctx: TxCtx, body: BatchInput): Promise<OperationRow> {
  // Checking 100,000 ids costs the planner enough to start JIT compiling, which takes longer than the
  // query. And the customer index of a corp in service is in memory: priced as such (not as random
  // disk reads), looking each id up wins over hashing a large corp's every relation, while a small
  // corp is still hashed whole (1M-customer corp: 0.25 s instead of 0.44 s).
  await ctx.tx.execute(sql`select set_config('jit', 'off', true), set_config('random_page_cost', '1.1', true)`);
  const prepared = await prepareBatch(ctx, body);
  const { selection, scope } = prepared;
  const total =
    'externalUserids' in selection
      ? await checkExplicitSelection(ctx, selection.externalUserids, scope, prepared.policy.reach)
      : await requireNonEmpty(ctx, selection, scope, prepared.evalCtx);
  await requireSomeInRange(ctx, selection, scope, prepared.evalCtx, prepared.tags);
  const operationId = newId.operation();
  const params: BatchParams = {
    action: body.action,
    ...(body.tagIds ? { tagIds: body.tagIds } : {}),
    ...(body.move ? { move: body.move } : {}),
    ...(body.relations ? { relations: body.relations } : {}),
    selection,
  };
  const [row] = await ctx.tx
    .insert(operations)
    .values({
      corpId: ctx.corpId,
      operationId,
      kind: 'batch',
      status: 'queued',
      params,
      actor: ctx.actor as Record<string, unknown>,
      actorLabel: actorLabel(ctx.actor),
      source: ctx.source,
      total,
    })
    // Not the params back: they are `params` already, and reading a megabyte of ids back costs a parse.
    .returning(storedColumns);
  // The audit entry summarizes the selection; the full id list lives on the operation row.
  const summary =
    'externalUserids' in selection
      ? { customers: selection.externalUserids.length }
      : 'everyone' in selection
        ? { everyone: true }
        : { expression: selection.expression, ...(selection.text ? { text: selection.text } : {}) };
  await recordEvent(ctx, {
    type: 'operation.queued',
    subjectType: 'operation',
    subjectId: operationId,
    operationId,
    payload: { kind: 'batch', action: body.action, tagIds: body.tagIds, move: body.move, relations: body.relations, selection: summary, total },
  });
  // Delivered at commit to every process's worker (their poll is the fallback).
  await ctx.tx.execute(sql`select pg_notify(${jobsChannel}, ${ctx.corpId})`);
  return { ...row!, params };
}
