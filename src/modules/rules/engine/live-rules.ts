import { sql } from 'drizzle-orm';
import type { RuleDefinition } from '../../../../contracts/rules.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';

/** An enabled rule as the engine runs it: its current version's definition and its author. */
export type LiveRule = {
  ruleId: string;
  name: string;
  version: number;
  author: string;
  enabledAt: Date;
  definition: RuleDefinition;
};

/**
 * The corp's enabled, undeleted rules of the given trigger kinds with their current versions, in
 * creation order (the order rules of one event run in). One query, read in the caller's transaction.
 */
export async function loadLiveRules(ctx: TxCtx, kinds: readonly string[]): Promise<LiveRule[]> {
  if (kinds.length === 0) return [];
  const rows = await queryRows<{ rule_id: string; name: string; version: number; author: string; enabled_at: Date | string; definition: RuleDefinition }>(
    ctx.tx,
    sql`
    select r.rule_id, r.name, r.current_version as version, v.author, r.enabled_at, v.definition
    from rules r join rule_versions v on v.corp_id = r.corp_id and v.rule_id = r.rule_id and v.version = r.current_version
    where r.corp_id = ${ctx.corpId} and r.enabled and r.deleted_at is null and r.trigger_kind = any(${sql.param([...kinds])}::text[])
    order by r.created_at, r.rule_id`,
  );
  return rows.map((r) => ({
    ruleId: r.rule_id,
    name: r.name,
    version: Number(r.version),
    author: r.author,
    enabledAt: new Date(r.enabled_at),
    definition: r.definition,
  }));
}
