import { type SQL, sql } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { type Db, queryRows } from '../../../db/client.js';
import type { EvalContext } from '../context.js';
import { leafPredicate } from './leaves.js';

/**
 * A boolean SQL predicate over a customers row aliased `c` that holds iff the customer is in the
 * audience, with the same meaning as `evaluate` (the reference evaluator). It is the database's
 * own answer, for customers the index has not loaded and for checking the index. Every value is a
 * parameter; no leaf is ever NULL, so `not` is the plain complement.
 * @example sql`select c.seq from customers c where c.corp_id = ${corpId} and ${audiencePredicate(corpId, expr, ctx)}`
 */
export function audiencePredicate(corpId: string, expr: Expr, ctx: EvalContext): SQL {
  if ('all' in expr)
    return sql`(${sql.join(
      expr.all.map((e) => audiencePredicate(corpId, e, ctx)),
      sql` and `,
    )})`;
  if ('any' in expr)
    return sql`(${sql.join(
      expr.any.map((e) => audiencePredicate(corpId, e, ctx)),
      sql` or `,
    )})`;
  if ('not' in expr) return sql`(not ${audiencePredicate(corpId, expr.not, ctx)})`;
  return sql`(${leafPredicate(corpId, expr, ctx)})`;
}

/**
 * The audience's members as rows `(seq int4, external_userid)`, unordered, to be wrapped by callers
 * that page, count or join it.
 */
export function audienceQuery(corpId: string, expr: Expr, ctx: EvalContext): SQL {
  return sql`select c.seq::int4 as seq, c.external_userid from customers c where c.corp_id = ${corpId} and ${audiencePredicate(corpId, expr, ctx)}`;
}

/** The members' seqs, ascending: what the index's bitmap for the same expression must hold. */
export async function audienceSeqs(db: Db, corpId: string, expr: Expr, ctx: EvalContext): Promise<number[]> {
  const rows = await queryRows<{ seq: number }>(db, sql`select q.seq from (${audienceQuery(corpId, expr, ctx)}) q order by q.seq`);
  return rows.map((r) => Number(r.seq));
}

/** How many customers are in the audience, counted by the database. */
export async function audienceCount(db: Db, corpId: string, expr: Expr, ctx: EvalContext): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*)::int8 as n from customers c where c.corp_id = ${corpId} and ${audiencePredicate(corpId, expr, ctx)}`,
  );
  return Number(row?.n ?? 0);
}
