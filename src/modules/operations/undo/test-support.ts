import { and, asc, eq } from 'drizzle-orm';
import { actorLabel, type Ctx, withTx } from '../../../context.js';
import type { Db } from '../../../db/client.js';
import { marks, operations } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { applyMarkChanges, type MarkChange, type MarkOrigin } from '../../marks/write-marks.js';

/**
 * Does what a finished batch does, in one transaction: an operations row (succeeded), the marks
 * and their journal through `applyMarkChanges`, and the `operation.applied` event. Stands in for
 * the batch worker in undo tests. A rule run may pass its origin (rule, version, evidence) to stamp
 * on the marks. Returns the operation id.
 */
export async function runTestOperation(
  ctx: Ctx,
  changes: MarkChange[],
  kind: 'batch' | 'import' | 'rule' = 'batch',
  origin: MarkOrigin = { source: kind === 'import' ? 'import' : kind === 'rule' ? 'rule' : 'batch' },
): Promise<string> {
  const operationId = newId.operation();
  await withTx(ctx, async (tx) => {
    await tx.tx.insert(operations).values({
      corpId: ctx.corpId,
      operationId,
      kind,
      status: 'running',
      params: { test: true },
      actor: ctx.actor,
      actorLabel: actorLabel(ctx.actor),
      source: ctx.source,
      total: changes.length,
    });
    const applied = await applyMarkChanges(tx, operationId, changes, origin);
    await tx.tx
      .update(operations)
      .set({ status: 'succeeded', done: changes.length, result: { ...applied }, finishedAt: new Date() })
      .where(and(eq(operations.corpId, ctx.corpId), eq(operations.operationId, operationId)));
    await recordEvent(tx, {
      type: 'operation.applied',
      subjectType: 'operation',
      subjectId: operationId,
      payload: { tagIds: [...new Set(changes.map((c) => c.tagId))], ...applied },
      operationId,
    });
  });
  return operationId;
}

/** The corp's marks with their full provenance, in a stable order (to compare states). */
export async function marksOf(db: Db, corpId: string) {
  return db.select().from(marks).where(eq(marks.corpId, corpId)).orderBy(asc(marks.externalUserid), asc(marks.userid), asc(marks.tagId));
}

/** One operations row, or undefined. */
export async function operationRow(db: Db, corpId: string, operationId: string) {
  const [row] = await db
    .select()
    .from(operations)
    .where(and(eq(operations.corpId, corpId), eq(operations.operationId, operationId)));
  return row;
}
