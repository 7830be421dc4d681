import { type SQL, sql } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { type Ctx, reader, type TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { AppError, type ErrorDetail } from '../../../errors.js';
import { loadOrgSnapshot, type Policy, strategyCovers } from '../../../policies/index.js';
import type { EvalContext } from '../../audiences/context.js';
import { audienceQuery } from '../../audiences/sql/compile.js';
import type { BatchTags } from './batch-tags.js';

/** The selection as stored on the operation: explicit ids, the checked expression (ids, not names), or everyone in scope. */
export type StoredSelection = { externalUserids: string[] } | { expression: Expr; text?: string } | { everyone: true };

/** Whose relations of each selected customer the batch touches. */
export type RelationScope = { userid: string } | { reach: Policy['reach'] };

// More details than this help nobody reading an error; the message still gives the full count.
const maxDetails = 1000;

function userFilter(scope: RelationScope): SQL {
  if ('userid' in scope) return sql`f.userid = ${scope.userid}`;
  if (scope.reach === 'all') return sql`true`;
  return sql`f.userid = any(${sql.param([...scope.reach])}::text[])`;
}

/**
 * The follow relations `(external_userid, userid)` a batch acts on, in a stable order: those of
 * the selected customers (explicit, or the audience evaluated by the database in the caller's
 * transaction) that fall in `scope`. Reach is applied per relation, so a customer shared with
 * someone outside the actor's reach keeps that relation's tags untouched.
 */
export function relationsQuery(ctx: Ctx, selection: StoredSelection, scope: RelationScope, evalCtx: EvalContext | null): SQL {
  // Everyone: the relation scope below is the whole filter (the caller's reach, or one employee).
  const customers =
    'everyone' in selection
      ? sql`true`
      : 'externalUserids' in selection
        ? sql`f.external_userid = any(${sql.param(selection.externalUserids)}::text[])`
        : sql`f.external_userid in (select q.external_userid from (${audienceQuery(ctx.corpId, selection.expression, evalCtx!)}) q)`;
  return sql`select f.external_userid, f.userid from follows f where f.corp_id = ${ctx.corpId} and ${customers} and ${userFilter(scope)} order by f.external_userid, f.userid`;
}

/**
 * Checks an explicit selection before queueing, listing every bad id at its index: unknown
 * customers and those nobody within the actor's reach follows read alike (404, so existence
 * cannot be probed); customers in reach but not on the chosen employee's relations are a 400.
 * Returns how many relations the selection reaches. One pass of one join counts the relations and
 * finds the ids with none (no per-id lookup, no per-id grouping that spills to disk at 100,000
 * ids); only when some are bad does a second statement tell which of them are in reach at all.
 */
export async function checkExplicitSelection(ctx: Ctx, ids: string[], scope: RelationScope, reach: Policy['reach']): Promise<number> {
  const [row] = await queryRows<{ total: number; bad: number[] }>(
    reader(ctx),
    sql`
    select count(f.userid)::int as total, coalesce(json_agg(i.n order by i.n) filter (where f.userid is null), '[]'::json) as bad
    from unnest(${sql.param(ids)}::text[]) with ordinality as i(id, n)
    left join follows f on f.corp_id = ${ctx.corpId} and f.external_userid = i.id and ${userFilter(scope)}`,
  );
  const badAt = row!.bad.map(Number);
  if (badAt.length === 0) return requireSome(Number(row!.total));
  const badIds = badAt.map((n) => ids[n - 1]!);
  const visible = new Set(
    (
      await queryRows<{ id: string }>(
        reader(ctx),
        sql`select distinct f.external_userid as id from follows f where f.corp_id = ${ctx.corpId} and f.external_userid = any(${sql.param(badIds)}::text[]) and ${userFilter({ reach })}`,
      )
    ).map((r) => r.id),
  );
  const bad = badAt.map((n) => ({ n, visible: visible.has(ids[n - 1]!) }));
  const unknown = bad.filter((r) => !r.visible);
  const detail = (r: { n: number }, message: string): ErrorDetail => ({ path: `body.selection.externalUserids.${r.n - 1}`, message, id: ids[r.n - 1] });
  if (unknown.length > 0) {
    throw new AppError('customer_not_found', {
      message: `${unknown.length} customer(s) do not exist or are outside your data scope.`,
      details: unknown.slice(0, maxDetails).map((r) => detail(r, 'unknown customer')),
    });
  }
  const who = 'userid' in scope ? scope.userid : 'the chosen employees';
  throw new AppError('validation_failed', {
    message: `${bad.length} customer(s) are not followed by ${who}.`,
    details: bad.slice(0, maxDetails).map((r) => detail(r, `not followed by ${who}`)),
  });
}

/** How many relations a selection reaches now; 0 refuses the request as an empty selection. */
export async function requireNonEmpty(ctx: Ctx | TxCtx, selection: StoredSelection, scope: RelationScope, evalCtx: EvalContext | null): Promise<number> {
  const [row] = await queryRows<{ n: number }>(reader(ctx), sql`select count(*)::int as n from (${relationsQuery(ctx, selection, scope, evalCtx)}) r`);
  return requireSome(Number(row?.n ?? 0));
}

function requireSome(n: number): number {
  if (n === 0)
    throw new AppError('validation_failed', {
      message: 'Empty selection: no customer within your data scope matches.',
      details: [{ path: 'body.selection', message: 'empty selection' }],
    });
  return n;
}

/**
 * Refuses a batch whose only work is rule-group tags when no selected relation is followed by a
 * member of the rule groups' ranges: it would run and change nothing. Some relations in range is
 * enough (the rest are counted as `outOfRange` when it runs).
 */
export async function requireSomeInRange(
  ctx: Ctx | TxCtx,
  selection: StoredSelection,
  scope: RelationScope,
  evalCtx: EvalContext | null,
  tags: BatchTags,
): Promise<void> {
  const strategies = new Set(tags.strategyOf.values());
  if (strategies.size === 0 || tags.remove.length > 0 || tags.add.some((id) => !tags.strategyOf.has(id))) return;
  const followers = await queryRows<{ userid: string }>(reader(ctx), sql`select distinct r.userid from (${relationsQuery(ctx, selection, scope, evalCtx)}) r`);
  const snapshot = await loadOrgSnapshot(ctx);
  if (followers.some((f) => [...strategies].some((id) => strategyCovers(snapshot, id, f.userid)))) return;
  throw new AppError('validation_failed', {
    message: 'No selected customer is followed by a member of the rule group’s range, and rule-group tags go only on those relations.',
    details: [{ path: 'body.tagIds', message: 'no selected relation within the rule group’s range' }],
  });
}
