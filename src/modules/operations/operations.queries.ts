import { and, desc, eq, getTableColumns, gte, lt, type SQL, sql } from 'drizzle-orm';
import { actorLabel, type Ctx, reader, type TxCtx } from '../../context.js';
import { operations } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type Policy, policyFor } from '../../policies/index.js';
import type { OperationRow } from './operation-row.js';

/** Filters of the operations listing. */
export type OperationFilters = { status?: OperationRow['status']; kind?: OperationRow['kind']; from?: string; to?: string; cursor?: string; limit: number };

/**
 * Whether the actor started this operation. An app limited to a range acting as an employee
 * started only what it started as them through that app: the employee's other operations may
 * reach beyond the range (see `Policy.viaRangedApp`).
 */
export function startedBy(ctx: Ctx, policy: Policy, row: Pick<OperationRow, 'actor' | 'actorLabel'>): boolean {
  if (row.actorLabel !== actorLabel(ctx.actor)) return false;
  if (!policy.viaRangedApp || ctx.actor.kind !== 'employee') return true;
  return (row.actor as { viaApp?: unknown }).viaApp === ctx.actor.viaApp;
}

/**
 * What the actor may do with an operation now, the same checks the undo, redo and cancel commands
 * make (`lockReversible`, `cancelOperation`), so the console shows only the buttons that would work.
 */
export function operationAbilities(
  ctx: Ctx,
  policy: Policy,
  row: Pick<OperationRow, 'actor' | 'actorLabel' | 'kind' | 'status' | 'undoneBy'>,
): { undo: boolean; redo: boolean; cancel: boolean } {
  const own = startedBy(ctx, policy, row);
  const reversible =
    row.status === 'succeeded' &&
    row.kind !== 'undo' &&
    row.kind !== 'redo' &&
    row.kind !== 'wecom_pull' &&
    ((row.kind !== 'smart_sync' && row.kind !== 'rule') || policy.can('rule.manage')) &&
    (own || (policy.seesAllActivity() && policy.can('tag.apply') && policy.can('tag.remove')));
  const cancellable = (row.status === 'queued' || row.status === 'running') && (own || policy.seesAllActivity());
  return { undo: reversible && row.undoneBy === null, redo: reversible && row.undoneBy !== null, cancel: cancellable };
}

/** The SQL form of `startedBy`, for listings (and the audit log's scope). */
export function startedBySql(ctx: Ctx, policy: Policy): SQL {
  const label = eq(operations.actorLabel, actorLabel(ctx.actor));
  if (!policy.viaRangedApp || ctx.actor.kind !== 'employee') return label;
  return and(label, sql`${operations.actor} ->> 'viaApp' = ${ctx.actor.viaApp ?? ''}`)!;
}

// The cursor is the last row's created_at in microseconds (JS dates keep only milliseconds) and id.
function encodeCursor(micros: string, operationId: string): string {
  return Buffer.from(`ops:${micros}:${operationId}`).toString('base64url');
}

function decodeCursor(cursor: string): { micros: string; operationId: string } {
  const match = /^ops:(\d{1,20}):([A-Za-z0-9]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError('invalid_cursor', { details: [{ path: 'query.cursor', message: 'not a nextCursor of this listing' }] });
  return { micros: match[1]!, operationId: match[2]! };
}

const micros = sql<string>`(extract(epoch from ${operations.createdAt}) * 1000000)::int8::text`;

// A listing shows a batch's explicit selection as its size (`{ customers: n }`), computed by the
// database: a batch over 100,000 customers keeps a megabyte of ids in its params, and a page of
// such rows would send (and parse) many. The operation's own page shows the ids.
const { params: fullParams, ...listedColumns } = getTableColumns(operations);
const listedParams = sql<OperationRow['params']>`case when ${fullParams} -> 'selection' -> 'externalUserids' is null then ${fullParams}
  else jsonb_set(${fullParams}, '{selection}', jsonb_build_object('customers', jsonb_array_length(${fullParams} -> 'selection' -> 'externalUserids'))) end`;

/**
 * One page of operations, newest first, that the actor may see (explicit selections by their size
 * only): every one when they read the corp's whole activity (`audit.view` with a corp-wide reach:
 * admins, the customer-contact secret), else the ones they started.
 */
export async function listOperations(ctx: Ctx, filters: OperationFilters): Promise<{ rows: OperationRow[]; nextCursor: string | null }> {
  const policy = await policyFor(ctx);
  const where: SQL[] = [eq(operations.corpId, ctx.corpId)];
  if (!policy.seesAllActivity()) where.push(startedBySql(ctx, policy));
  if (filters.status) where.push(eq(operations.status, filters.status));
  if (filters.kind) where.push(eq(operations.kind, filters.kind));
  if (filters.from) where.push(gte(operations.createdAt, new Date(filters.from)));
  if (filters.to) where.push(lt(operations.createdAt, new Date(filters.to)));
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    where.push(
      sql`(${operations.createdAt}, ${operations.operationId}) < (timestamptz 'epoch' + ${c.micros}::int8 * interval '1 microsecond', ${c.operationId})`,
    );
  }
  const rows = await ctx.db
    .select({ ...listedColumns, params: listedParams, micros })
    .from(operations)
    .where(and(...where))
    .orderBy(desc(operations.createdAt), desc(operations.operationId))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    rows: page.map(({ micros: _, ...row }) => row),
    nextCursor: rows.length > filters.limit && last ? encodeCursor(last.micros, last.operationId) : null,
  };
}

/**
 * One operation the actor may see (`lock`: for update, inside a transaction). Someone else's
 * operation reads as not found to an actor who may not see it, so ids cannot be probed.
 */
export async function getOperation(ctx: Ctx | TxCtx, operationId: string, lock = false): Promise<OperationRow> {
  const query = reader(ctx)
    .select()
    .from(operations)
    .where(and(eq(operations.corpId, ctx.corpId), eq(operations.operationId, operationId)));
  const [row] = lock ? await query.for('update') : await query;
  const policy = await policyFor(ctx);
  if (!row || (!startedBy(ctx, policy, row) && !policy.seesAllActivity())) {
    throw new AppError('not_found', { message: `No operation ${operationId}.`, details: [{ path: 'params.operationId', message: 'unknown operation' }] });
  }
  return row;
}
