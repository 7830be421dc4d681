import { sql } from 'drizzle-orm';
import type { RuleTrigger } from '../../../contracts/rules.js';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { type KeywordRule, KeywordRuleMatcher } from '../keywords/rule-matcher.js';

type KeywordTrigger = Extract<RuleTrigger, { kind: 'message.keyword' }>;
type Cached = { stamp: string; matcher: KeywordRuleMatcher };

// One compiled matcher per corp, in least-recently-used order so a process serving many corps stays bounded.
const cache = new Map<string, Cached>();
const maxCorps = 1000;

const liveKeywordRules = sql`r.trigger_kind = 'message.keyword' and r.enabled and r.deleted_at is null`;

/**
 * What the corp's matcher is built from, in one cheap read of the rules index: its live, enabled
 * keyword rules and their current versions. Versions are immutable, so the same stamp means the
 * same keywords; enabling, pausing, editing or deleting a rule changes it.
 */
async function readStamp(ctx: Ctx | TxCtx): Promise<string> {
  const [row] = await queryRows<{ stamp: string }>(
    reader(ctx),
    sql`select count(*) || ':' || md5(coalesce(string_agg(r.rule_id || '@' || r.current_version, ',' order by r.rule_id), '')) as stamp
        from rules r where r.corp_id = ${ctx.corpId} and ${liveKeywordRules}`,
  );
  return row!.stamp;
}

/** The corp's live, enabled keyword rules at their current version, oldest first (the matcher reports in this order). */
async function loadKeywordRules(ctx: Ctx | TxCtx): Promise<KeywordRule[]> {
  const rows = await queryRows<{ rule_id: string; trigger: KeywordTrigger }>(
    reader(ctx),
    sql`select r.rule_id, v.definition -> 'trigger' as trigger
        from rules r join rule_versions v on v.corp_id = r.corp_id and v.rule_id = r.rule_id and v.version = r.current_version
        where r.corp_id = ${ctx.corpId} and ${liveKeywordRules}
        order by r.created_at, r.rule_id`,
  );
  // The contract's `match` is any|all and `mode` contains|exact; the matcher names them the other way round.
  return rows.map(({ rule_id, trigger }) => ({
    id: rule_id,
    keywords: trigger.keywords,
    mode: trigger.match ?? 'any',
    match: trigger.mode ?? 'contains',
  }));
}

/**
 * The corp's keyword rules compiled into one matcher, rebuilt only when the rules it was built
 * from changed (read in the caller's transaction, so it matches what that transaction sees).
 */
export async function keywordMatcherFor(ctx: Ctx | TxCtx): Promise<KeywordRuleMatcher> {
  const stamp = await readStamp(ctx);
  const cached = cache.get(ctx.corpId);
  cache.delete(ctx.corpId);
  if (cached?.stamp === stamp) {
    cache.set(ctx.corpId, cached);
    return cached.matcher;
  }
  const matcher = KeywordRuleMatcher.build(await loadKeywordRules(ctx));
  cache.set(ctx.corpId, { stamp, matcher });
  if (cache.size > maxCorps) cache.delete(cache.keys().next().value!);
  return matcher;
}
