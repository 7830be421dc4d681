import { and, eq, sql } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../context.js';
import { operations } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import type { Policy } from '../../../policies/index.js';
import { forbidden } from '../../../policies/index.js';
import type { OperationRow } from '../operation-row.js';
import { startedBy } from '../operations.queries.js';
import type { Reversal } from './reverse-journal.js';

/**
 * Loads and locks an operation the actor may undo or redo. Anyone may reverse their own; others
 * must read the corp's whole activity and hold both `tag.apply` and `tag.remove` (admins, the full
 * app secret). An operation the actor cannot see (not theirs, and their activity view is scoped) is
 * unknown: 404, never 403.
 */
export async function lockReversible(ctx: TxCtx, policy: Policy, operationId: string): Promise<OperationRow> {
  const [row] = await ctx.tx
    .select()
    .from(operations)
    .where(and(eq(operations.corpId, ctx.corpId), eq(operations.operationId, operationId)))
    .for('update');
  const own = row !== undefined && startedBy(ctx, policy, row);
  if (!row || (!own && !policy.seesAllActivity()))
    throw new AppError('not_found', { message: `No operation ${operationId}.`, details: [{ path: 'operationId', message: 'unknown', id: operationId }] });
  if (!own && !(policy.can('tag.apply') && policy.can('tag.remove'))) {
    throw forbidden('Only its own actor or an administrator acting corp-wide may undo or redo this operation.');
  }
  if (row.kind === 'undo' || row.kind === 'redo') {
    throw new AppError('conflict', {
      message: `${operationId} is itself an ${row.kind}: ${row.kind === 'undo' ? 'redo' : 'undo'} operation ${row.targetOperationId} instead.`,
    });
  }
  // A pull applied WeCom's state; undoing it here would only be pulled back (push it from WeCom instead).
  if (row.kind === 'wecom_pull') throw new AppError('conflict', { message: `${operationId} is a pull from WeCom: it cannot be undone here.` });
  // A smart-tag sync is the rule's doing: reversing it is managing the rule, beyond marking.
  if (row.kind === 'smart_sync' || row.kind === 'rule') policy.authorize('rule.manage');
  if (row.status !== 'succeeded')
    throw new AppError('conflict', { message: `Operation ${operationId} is ${row.status}; only a succeeded operation can be undone or redone.` });
  return row;
}

/**
 * Records an undo or redo as an operation of its own (succeeded, pointing at its target) with one
 * `operation.applied` event under its id, which makes the audience index reload the tags touched.
 */
export async function recordReversal(
  ctx: TxCtx,
  input: { kind: 'undo' | 'redo'; operationId: string; target: OperationRow; reversal: Reversal; extra?: Record<string, unknown> },
): Promise<OperationRow> {
  const { kind, operationId, target, reversal } = input;
  const total = reversal.added + reversal.removed + reversal.conflictCount;
  const [row] = await ctx.tx
    .insert(operations)
    .values({
      corpId: ctx.corpId,
      operationId,
      kind,
      status: 'succeeded',
      params: { targetOperationId: target.operationId, targetKind: target.kind },
      actor: ctx.actor,
      actorLabel: actorLabel(ctx.actor),
      source: ctx.source,
      total,
      done: total,
      result: { added: reversal.added, removed: reversal.removed, conflicts: reversal.conflicts, conflictCount: reversal.conflictCount, ...input.extra },
      // One transaction does the whole reversal: it started at `now()` and finishes about now.
      targetOperationId: target.operationId,
      startedAt: sql`now()`,
      finishedAt: sql`clock_timestamp()`,
    })
    .returning();
  const link = kind === 'undo' ? { undoes: target.operationId } : { redoes: target.operationId };
  await recordEvent(ctx, {
    type: 'operation.applied',
    subjectType: 'operation',
    subjectId: operationId,
    payload: { tagIds: reversal.tagIds, added: reversal.added, removed: reversal.removed, ...link },
    operationId,
  });
  return row!;
}

/** Points `operationId` at the operation that undid it (or clears it: a redo). */
export async function setUndoneBy(ctx: TxCtx, operationId: string, undoneBy: string | null): Promise<void> {
  await ctx.tx
    .update(operations)
    .set({ undoneBy })
    .where(and(eq(operations.corpId, ctx.corpId), eq(operations.operationId, operationId)));
}
