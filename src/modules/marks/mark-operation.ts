import { sql } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { operations } from '../../db/schema/index.js';
import type { AppliedChanges } from './write-marks.js';

/** An operation kind that can be written in one transaction with its marks (a smart-tag sync, a rule run, a small bulk mark). */
export type InlineOperationKind = Extract<(typeof operations.$inferInsert)['kind'], 'smart_sync' | 'rule' | 'batch' | 'import'>;

/**
 * Records an operation that ran inside the caller's transaction (a smart-tag sync, a rule run) as
 * succeeded, with its counts: it shows in /api/v1/operations beside batches and imports, and undo
 * and redo find it, together with the journal the mark writer wrote under the same id.
 */
export async function recordInlineOperation(
  ctx: TxCtx,
  input: { operationId: string; kind: InlineOperationKind; params: Record<string, unknown>; applied: AppliedChanges },
): Promise<void> {
  const total = input.applied.added + input.applied.removed;
  await ctx.tx.insert(operations).values({
    corpId: ctx.corpId,
    operationId: input.operationId,
    kind: input.kind,
    status: 'succeeded',
    params: input.params,
    actor: ctx.actor,
    actorLabel: actorLabel(ctx.actor),
    source: ctx.source,
    total,
    done: total,
    result: { added: input.applied.added, removed: input.applied.removed },
    startedAt: sql`now()`,
    finishedAt: sql`clock_timestamp()`,
  });
}

/** The customers (external_userids) an operation's journal put a mark on and took one off, each once. */
export async function journaledCustomers(ctx: TxCtx, operationId: string): Promise<{ added: string[]; removed: string[] }> {
  const rows = await queryRows<{ external_userid: string; change: number }>(
    ctx.tx,
    sql`
    select distinct external_userid, change::int as change from operation_journal
    where corp_id = ${ctx.corpId} and operation_id = ${operationId} and change <> 0
    order by external_userid`,
  );
  return { added: rows.filter((r) => r.change > 0).map((r) => r.external_userid), removed: rows.filter((r) => r.change < 0).map((r) => r.external_userid) };
}
