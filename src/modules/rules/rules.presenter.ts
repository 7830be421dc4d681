import type { z } from 'zod';
import type { Rule, RuleVersion, RuleVersionHeader, triggerKinds } from '../../../contracts/rules.js';
import type { RuleWithDefinition } from './rules.queries.js';
import type { RuleVersionRow } from './rules.repo.js';

/** A version's header as the API answers it. */
export function presentVersionHeader(v: RuleVersionRow): z.infer<typeof RuleVersionHeader> {
  return { version: v.version, author: v.author, createdAt: v.createdAt.toISOString() };
}

/** One version with its definition. */
export function presentVersion(v: RuleVersionRow): z.infer<typeof RuleVersion> {
  return { ruleId: v.ruleId, ...presentVersionHeader(v), definition: v.definition };
}

/** A rule as the API answers it; `versions` only when given. */
export function presentRule(r: RuleWithDefinition, versions?: RuleVersionRow[]): z.infer<typeof Rule> {
  return {
    ruleId: r.ruleId,
    name: r.name,
    enabled: r.enabled,
    triggerKind: r.triggerKind as (typeof triggerKinds)[number],
    currentVersion: r.currentVersion,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    copiedFrom: r.copiedFrom,
    definition: r.definition,
    ...(versions ? { versions: versions.map(presentVersionHeader) } : {}),
  };
}
