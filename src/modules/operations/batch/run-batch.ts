import { and, eq, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { operations } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { loadOrgSnapshot, type OrgSnapshot, strategyCovers } from '../../../policies/index.js';
import { applyToRelations } from '../../marks/write-marks.js';
import type { OperationRow } from '../operation-row.js';
import { relationsQuery } from './batch-selection.js';
import { type BatchParams, prepareBatch } from './prepare-batch.js';

/**
 * What a finished batch did. `unchanged`: pairs asked for that were already so; `outOfRange`:
 * (relation, rule-group tag) pairs skipped because the employee is outside the rule group's range.
 */
export type BatchResult = { added: number; removed: number; relations: number; unchanged: number; outOfRange: number };

/** Called by the batch between chunks: report progress, and throw to stop (cancel, shutdown). */
export type BatchHooks = {
  /** The relations to go over are known (before the first chunk). */
  onTotal: (total: number) => void | Promise<void>;
  /** Before each chunk (after the first); throwing rolls the whole batch back. */
  beforeChunk: (done: number) => Promise<void>;
  /** After each chunk. */
  onProgress: (done: number) => void | Promise<void>;
};

type Relation = { external_userid: string; userid: string };

/** Whether an employee is inside a rule group's range, answered once per (group, employee). */
function rangeCheck(snapshot: OrgSnapshot): (strategyId: number, userid: string) => boolean {
  const known = new Map<string, boolean>();
  return (strategyId, userid) => {
    const key = `${strategyId}|${userid}`;
    let inside = known.get(key);
    if (inside === undefined) known.set(key, (inside = strategyCovers(snapshot, strategyId, userid)));
    return inside;
  };
}

/**
 * Runs a queued batch inside the caller's one transaction, as the actor who asked for it: checks
 * everything again (the actor may have lost a permission, a tag may be gone), resolves the
 * selection on the database side, applies the marks chunk by chunk through `applyToRelations`,
 * records `operation.applied` and marks the row succeeded. Nothing commits unless all of it does.
 */
export async function runBatch(ctx: TxCtx, op: OperationRow, hooks: BatchHooks, chunkSize = 20_000): Promise<BatchResult> {
  const params = op.params as BatchParams;
  // Over 100,000 relations JIT compiling these statements costs more than running them (the
  // relations query of a 1M-customer corp is costed past the JIT threshold), and the relations
  // sort in memory rather than spilling to disk.
  await ctx.tx.execute(sql`set local jit = off`);
  await ctx.tx.execute(sql`set local work_mem = '64MB'`);
  const prepared = await prepareBatch(ctx, params, true);
  const relations = await queryRows<Relation>(ctx.tx, relationsQuery(ctx, prepared.selection, prepared.scope, prepared.evalCtx));
  await hooks.onTotal(relations.length);
  const { add, remove, personalIds, strategyOf } = prepared.tags;
  const personal = new Set(personalIds);
  const covers = strategyOf.size > 0 ? rangeCheck(await loadOrgSnapshot(ctx)) : () => true;
  // Tags put on every relation, then each rule group's tags on its range members' relations only.
  const passes = [{ strategyId: null as number | null, add: add.filter((id) => !strategyOf.has(id)), remove }];
  for (const strategyId of new Set(strategyOf.values())) passes.push({ strategyId, add: add.filter((id) => strategyOf.get(id) === strategyId), remove: [] });
  const result: BatchResult = { added: 0, removed: 0, relations: relations.length, unchanged: 0, outOfRange: 0 };
  for (let done = 0; done < relations.length; done += chunkSize) {
    if (done > 0) await hooks.beforeChunk(done);
    const chunk = relations.slice(done, done + chunkSize);
    for (const pass of passes) {
      if (pass.add.length === 0 && pass.remove.length === 0) continue;
      const on = pass.strategyId === null ? chunk : chunk.filter((r) => covers(pass.strategyId!, r.userid));
      result.outOfRange += (chunk.length - on.length) * pass.add.length;
      if (on.length === 0) continue;
      const arrays = { externalUserids: on.map((r) => r.external_userid), userids: on.map((r) => r.userid) };
      const applied = await applyToRelations(ctx, op.operationId, arrays, { add: pass.add, remove: pass.remove, personal }, { source: 'batch' });
      result.added += applied.added;
      result.removed += applied.removed;
      // A move only counts the group's marks that were there; tag / untag count every pair asked for.
      const asked = (params.action === 'move' ? applied.removed : pass.remove.length * on.length) + pass.add.length * on.length;
      result.unchanged += asked - applied.added - applied.removed;
    }
    await hooks.onProgress(Math.min(done + chunkSize, relations.length));
  }
  const tagIds = [...new Set([...add, ...remove])];
  await recordEvent(ctx, {
    type: 'operation.applied',
    subjectType: 'operation',
    subjectId: op.operationId,
    operationId: op.operationId,
    payload: { kind: 'batch', action: params.action, tagIds, added: result.added, removed: result.removed },
  });
  const finished = await ctx.tx
    .update(operations)
    .set({
      status: 'succeeded',
      result,
      total: relations.length,
      done: relations.length,
      finishedAt: sql`clock_timestamp()`,
      heartbeatAt: sql`clock_timestamp()`,
    })
    .where(
      and(eq(operations.corpId, op.corpId), eq(operations.operationId, op.operationId), eq(operations.status, 'running'), eq(operations.attempts, op.attempts)),
    )
    .returning({ id: operations.operationId });
  // Another worker took the job over (this one was presumed dead): its run counts, this one must not.
  if (finished.length === 0) throw new AppError('conflict', { message: 'The job was taken over by another worker; this run is rolled back.' });
  return result;
}
