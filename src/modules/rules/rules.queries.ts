import { and, arrayOverlaps, asc, eq, ilike, isNull, type SQL } from 'drizzle-orm';
import type { RuleDefinition } from '../../../contracts/rules.js';
import { type Ctx, reader } from '../../context.js';
import { rules, ruleVersions } from '../../db/schema/index.js';
import { policyFor } from '../../policies/index.js';
import { listVersions, loadRule, loadVersion, type RuleRow, type RuleVersionRow } from './rules.repo.js';

/** A rule with its current definition. */
export type RuleWithDefinition = RuleRow & { definition: RuleDefinition };

/** How the list is narrowed: name contains `q`, actions name one of `tagIds`, trigger kind, on or off. */
export type RuleFilters = { q?: string; tagIds?: string[]; trigger?: string; enabled?: boolean };

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The corp's live rules matching the filters, by name, each with its current definition. */
export async function listRules(ctx: Ctx, filters: RuleFilters = {}): Promise<RuleWithDefinition[]> {
  (await policyFor(ctx)).authorize('rule.manage');
  const where: (SQL | undefined)[] = [eq(rules.corpId, ctx.corpId), isNull(rules.deletedAt)];
  if (filters.q?.trim()) where.push(ilike(rules.name, likePattern(filters.q.trim())));
  if (filters.tagIds?.length) where.push(arrayOverlaps(rules.tagIds, filters.tagIds));
  if (filters.trigger) where.push(eq(rules.triggerKind, filters.trigger));
  if (filters.enabled !== undefined) where.push(eq(rules.enabled, filters.enabled));
  const rows = await reader(ctx)
    .select({ rule: rules, definition: ruleVersions.definition })
    .from(rules)
    .innerJoin(ruleVersions, and(eq(ruleVersions.corpId, rules.corpId), eq(ruleVersions.ruleId, rules.ruleId), eq(ruleVersions.version, rules.currentVersion)))
    .where(and(...where))
    .orderBy(asc(rules.name), asc(rules.ruleId));
  return rows.map((r) => ({ ...r.rule, definition: r.definition }));
}

/** One rule with its current definition and every version's header. */
export async function getRule(ctx: Ctx, ruleId: string): Promise<{ rule: RuleWithDefinition; versions: RuleVersionRow[] }> {
  (await policyFor(ctx)).authorize('rule.manage');
  const rule = await loadRule(ctx, ruleId);
  const versions = await listVersions(ctx, ruleId);
  const current = versions.find((v) => v.version === rule.currentVersion)!;
  return { rule: { ...rule, definition: current.definition }, versions };
}

/** One version of a live rule with its definition. */
export async function getRuleVersion(ctx: Ctx, ruleId: string, version: number): Promise<RuleVersionRow> {
  (await policyFor(ctx)).authorize('rule.manage');
  await loadRule(ctx, ruleId);
  return loadVersion(ctx, ruleId, version);
}
