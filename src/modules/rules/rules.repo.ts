import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { ruleLimits } from '../../../contracts/rules.js';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { rules, ruleVersions } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { randomToken } from '../../ids.js';

/** A rule row. */
export type RuleRow = typeof rules.$inferSelect;
/** A rule version row. */
export type RuleVersionRow = typeof ruleVersions.$inferSelect;

/** A new rule id: `ru` and 22 random characters. */
export const newRuleId = () => `ru${randomToken(22)}`;

/** One live rule of the corp, locked for a change when `lock`; another corp's or a deleted one is not found. */
export async function loadRule(ctx: Ctx | TxCtx, ruleId: string, lock = false): Promise<RuleRow> {
  const query = reader(ctx)
    .select()
    .from(rules)
    .where(and(eq(rules.corpId, ctx.corpId), eq(rules.ruleId, ruleId), isNull(rules.deletedAt)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', { message: `No rule "${ruleId}".`, details: [{ path: 'params.ruleId', message: 'unknown rule' }] });
  return row;
}

/** One version of a rule. */
export async function loadVersion(ctx: Ctx | TxCtx, ruleId: string, version: number): Promise<RuleVersionRow> {
  const [row] = await reader(ctx)
    .select()
    .from(ruleVersions)
    .where(and(eq(ruleVersions.corpId, ctx.corpId), eq(ruleVersions.ruleId, ruleId), eq(ruleVersions.version, version)));
  if (!row)
    throw new AppError('not_found', {
      message: `Rule "${ruleId}" has no version ${version}.`,
      details: [{ path: 'params.version', message: 'unknown version' }],
    });
  return row;
}

/** A rule's versions, oldest first. */
export function listVersions(ctx: Ctx, ruleId: string): Promise<RuleVersionRow[]> {
  return reader(ctx)
    .select()
    .from(ruleVersions)
    .where(and(eq(ruleVersions.corpId, ctx.corpId), eq(ruleVersions.ruleId, ruleId)))
    .orderBy(asc(ruleVersions.version));
}

/**
 * Serializes rule creation per corp and refuses the 501st live rule, so two requests cannot both
 * slip under the limit.
 */
export async function assertRoomForRule(ctx: TxCtx): Promise<void> {
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rules:${ctx.corpId}`}))`);
  const [row] = await ctx.tx
    .select({ n: count() })
    .from(rules)
    .where(and(eq(rules.corpId, ctx.corpId), isNull(rules.deletedAt)));
  if ((row?.n ?? 0) >= ruleLimits.rulesPerCorp) {
    throw new AppError('limit_exceeded', {
      message: `A corp may keep at most ${ruleLimits.rulesPerCorp} rules; delete one first.`,
      details: [{ path: 'body', message: `at most ${ruleLimits.rulesPerCorp} rules`, limit: ruleLimits.rulesPerCorp }],
    });
  }
}
