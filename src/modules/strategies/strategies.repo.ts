import { and, asc, eq, sql } from 'drizzle-orm';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { strategies, strategyRanges } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { checkName } from '../../names/check-name.js';
import { namedThings } from '../../names/named-things.js';
import { nodeKey, nodeOfRow, type RangeNode } from './range.js';

/** A rule group row as stored. */
export type StrategyRow = typeof strategies.$inferSelect;

function notFound(strategyId: number, path: string): AppError {
  return new AppError('strategy_not_found', {
    message: `Rule group ${strategyId} does not exist.`,
    details: [{ path, message: 'unknown strategy_id', id: strategyId }],
  });
}

/** Loads and locks one rule group of the corp, or throws `strategy_not_found` (40068). */
export async function lockStrategy(ctx: TxCtx, strategyId: number, path = 'strategy_id'): Promise<StrategyRow> {
  const [row] = await ctx.tx
    .select()
    .from(strategies)
    .where(and(eq(strategies.corpId, ctx.corpId), eq(strategies.strategyId, strategyId)))
    .for('update');
  if (!row) throw notFound(strategyId, path);
  return row;
}

/** Reads one rule group of the corp without locking, or throws `strategy_not_found` (40068). */
export async function requireStrategy(ctx: Ctx | TxCtx, strategyId: number, path = 'strategy_id'): Promise<StrategyRow> {
  const [row] = await reader(ctx)
    .select()
    .from(strategies)
    .where(and(eq(strategies.corpId, ctx.corpId), eq(strategies.strategyId, strategyId)));
  if (!row) throw notFound(strategyId, path);
  return row;
}

/** A rule group's whole range, in a stable order (members, then departments). */
export async function rangeOf(ctx: Ctx | TxCtx, strategyId: number): Promise<RangeNode[]> {
  const rows = await reader(ctx)
    .select({ type: strategyRanges.type, node: strategyRanges.node })
    .from(strategyRanges)
    .where(and(eq(strategyRanges.corpId, ctx.corpId), eq(strategyRanges.strategyId, strategyId)))
    .orderBy(asc(strategyRanges.type), asc(strategyRanges.node));
  return rows.map(nodeOfRow);
}

/** The rule group's ancestors, nearest first; the last one is its top-level group. */
export async function ancestorsOf(ctx: Ctx | TxCtx, strategy: StrategyRow): Promise<StrategyRow[]> {
  const out: StrategyRow[] = [];
  let current = strategy;
  // Parents always exist (deleting a group with children is refused); the bound only guards bad data.
  while (current.parentId !== 0 && out.length < 16) {
    const [parent] = await reader(ctx)
      .select()
      .from(strategies)
      .where(and(eq(strategies.corpId, ctx.corpId), eq(strategies.strategyId, current.parentId)));
    if (!parent) break;
    out.push(parent);
    current = parent;
  }
  return out;
}

/** The ids of a rule group's direct children. */
export async function childIdsOf(ctx: Ctx | TxCtx, strategyId: number): Promise<number[]> {
  const rows = await reader(ctx)
    .select({ id: strategies.strategyId })
    .from(strategies)
    .where(and(eq(strategies.corpId, ctx.corpId), eq(strategies.parentId, strategyId)))
    .orderBy(asc(strategies.strategyId));
  return rows.map((r) => r.id);
}

/**
 * The next rule-group id of the corp. Ids are never reused: besides live groups, it looks past
 * ids still named by (deleted) strategy tag groups and by `strategy.created` events, so a caller
 * holding a deleted id gets 40068 rather than somebody else's group. The caller holds the corp lock.
 */
export async function nextStrategyId(ctx: TxCtx): Promise<number> {
  const [row] = await queryRows<{ max: number | string | null }>(
    ctx.tx,
    sql`
    select greatest(
      (select max(strategy_id) from strategies where corp_id = ${ctx.corpId}),
      (select max(strategy_id) from tag_groups where corp_id = ${ctx.corpId}),
      (select max(subject_id::integer) from events where corp_id = ${ctx.corpId} and subject_type = 'strategy' and type = 'strategy.created' and subject_id ~ '^[0-9]{1,9}$')
    ) as max`,
  );
  return Number(row?.max ?? 0) + 1;
}

/**
 * A rule-group name under the one name policy (src/names), normalized: blank, an invisible or
 * control character, or more than 30 characters (WeCom's ceiling for names; the doc gives rule
 * groups none of their own) is 40058.
 */
export function checkStrategyName(name: string): string {
  return checkName(name, { ...namedThings.strategy, path: 'strategy_name' });
}

/** The rule group as the audit log describes it. */
export function strategySnapshot(row: StrategyRow, range: readonly RangeNode[]) {
  return { strategyId: row.strategyId, parentId: row.parentId, name: row.name, adminList: row.adminList, privilege: row.privilege, range: range.map(nodeKey) };
}
