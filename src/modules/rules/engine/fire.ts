import { sql } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import type { EvalContext } from '../../audiences/context.js';
import { audiencePredicate } from '../../audiences/sql/index.js';
import type { EngineEvent } from './engine-events.js';
import type { LiveRule } from './live-rules.js';
import { matchTrigger } from './trigger.js';

/** A rule firing for one customer on one event: the fields its templates read and the evidence. */
export type Firing = { seq: number; externalUserid: string; userid?: string; at: Date; fields: Record<string, string> };

/** The outcome of checking a rule against events: firings, and events held back only by the audience. */
export type FireResult = { firings: Firing[]; audienceMisses: EngineEvent[]; notFired: Map<string, number> };

const keywordFact = 'message.keyword';

/**
 * Which events a rule fires on: the trigger (kind, window, lists, keyword hits the message carried
 * for this rule), the event filters, a count threshold over the customer's `message.keyword` facts
 * in the days up to the event, and the audience condition, evaluated in SQL in the caller's
 * transaction (so it sees marks this page's earlier rules wrote). Events that fail only on the
 * audience are returned apart: a cascade pass may look at them again.
 */
export async function fire(ctx: TxCtx, rule: LiveRule, events: readonly EngineEvent[], evalCtx: () => Promise<EvalContext>): Promise<FireResult> {
  const notFired = new Map<string, number>();
  const miss = (reason: string) => notFired.set(reason, (notFired.get(reason) ?? 0) + 1);
  const { trigger } = rule.definition;
  const candidates: { engine: EngineEvent; firing: Firing; needs?: { count: number; withinDays: number } }[] = [];
  for (const engine of events) {
    if (engine.recordedAt.getTime() < rule.enabledAt.getTime()) {
      miss('the event came before the rule was switched on');
      continue;
    }
    let hits: readonly string[] = [];
    if (trigger.kind === 'message.keyword') {
      // The message was matched against the rule as it stood when the message came in.
      const found = engine.ruleHits?.get(rule.ruleId);
      if (!found) {
        miss('no keyword of the rule in the message');
        continue;
      }
      hits = found;
    }
    const match = matchTrigger(rule.definition, engine.event, hits);
    if (!match.fires) {
      miss(match.reason);
      continue;
    }
    const userid = 'userid' in engine.event && engine.event.userid ? engine.event.userid : undefined;
    candidates.push({
      engine,
      firing: { seq: engine.seq, externalUserid: engine.event.externalUserid, userid, at: engine.event.at, fields: match.fields },
      needs: match.needs,
    });
  }
  let passed = candidates;
  if (trigger.kind === 'message.keyword' && trigger.threshold) {
    const enough = await thresholdHolds(
      ctx,
      trigger.keywords,
      trigger.threshold,
      candidates.map((c) => c.firing),
    );
    const reason = `keywords mentioned fewer than ${trigger.threshold.count} times in ${trigger.threshold.withinDays} days`;
    passed = [];
    candidates.forEach((c, i) => {
      if (enough[i]) passed.push(c);
      else miss(reason);
    });
  }
  const audience = rule.definition.conditions.audience?.expression as Expr | undefined;
  if (!audience || passed.length === 0) return { firings: passed.map((c) => c.firing), audienceMisses: [], notFired };
  const inside = await customersInAudience(ctx, audience, [...new Set(passed.map((c) => c.firing.externalUserid))], await evalCtx());
  const firings: Firing[] = [];
  const audienceMisses: EngineEvent[] = [];
  for (const c of passed) {
    if (inside.has(c.firing.externalUserid)) firings.push(c.firing);
    else audienceMisses.push(c.engine), miss('the customer is not in the rule’s audience');
  }
  return { firings, audienceMisses, notFired };
}

/**
 * For each firing, whether the customer's `message.keyword` facts for the rule's keywords within
 * `withinDays` up to the event number at least `count` (one fact per keyword per message, so a
 * message saying 报价单 counts once however often it says it). One query for all firings.
 */
async function thresholdHolds(
  ctx: TxCtx,
  keywords: readonly string[],
  threshold: { count: number; withinDays: number },
  firings: readonly Firing[],
): Promise<boolean[]> {
  if (firings.length === 0) return [];
  const rows = await queryRows<{ n: number; hits: number | string }>(
    ctx.tx,
    sql`
    select f.n, (select count(*) from customer_events e
      where e.corp_id = ${ctx.corpId} and e.external_userid = f.ext and e.type = ${keywordFact}
        and e.target = any(${sql.param([...keywords])}::text[])
        and e.occurred_at <= f.at and e.occurred_at > f.at - make_interval(days => ${threshold.withinDays})) as hits
    from unnest(${sql.param(firings.map((f) => f.externalUserid))}::text[], ${sql.param(firings.map((f) => f.at.toISOString()))}::timestamptz[])
      with ordinality as f(ext, at, n)`,
  );
  const enough = new Array<boolean>(firings.length).fill(false);
  for (const r of rows) enough[Number(r.n) - 1] = Number(r.hits) >= threshold.count;
  return enough;
}

/** The customers among `ids` the audience holds, by the database's own evaluator. */
export async function customersInAudience(ctx: TxCtx, expression: Expr, ids: readonly string[], evalCtx: EvalContext): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ external_userid: string }>(
    ctx.tx,
    sql`select c.external_userid from customers c
      where c.corp_id = ${ctx.corpId} and c.external_userid = any(${sql.param([...ids])}::text[]) and ${audiencePredicate(ctx.corpId, expression, evalCtx)}`,
  );
  return new Set(rows.map((r) => r.external_userid));
}
