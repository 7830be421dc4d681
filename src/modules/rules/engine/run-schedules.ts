import { Cron } from 'croner';
import { sql } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { recordEvent } from '../../../events/record.js';
import { loadCatalog } from '../../audiences/service/catalog.js';
import { audiencePredicate } from '../../audiences/sql/index.js';
import { readCorpSettings } from '../../corps/settings.js';
import { planActions } from './actions.js';
import { authorRefusal } from './author-check.js';
import type { Firing } from './fire.js';
import { type LiveRule, loadLiveRules } from './live-rules.js';
import { countFailures, finishRun, newRunId, type RunState, startRun, writeRunChanges } from './record-run.js';

/**
 * The schedule time a rule is due for at `now`, or null: the latest time the cron fired at or
 * before `now` and after both the rule's last claimed run and the moment it was switched on. Only
 * the latest: after a night of downtime, a 03:00 rule runs once for 03:00, not once per missed day.
 */
export function dueAt(rule: Pick<LiveRule, 'definition' | 'enabledAt'>, lastDue: Date | null, now: Date): Date | null {
  const { trigger } = rule.definition;
  if (trigger.kind !== 'schedule') return null;
  const [latest] = new Cron(trigger.cron, { timezone: trigger.timezone, paused: true, mode: '5-or-6-parts' }).previousRuns(1, now);
  if (!latest) return null;
  const since = lastDue && lastDue > rule.enabledAt ? lastDue : rule.enabledAt;
  return latest.getTime() > since.getTime() ? latest : null;
}

/**
 * Runs the corp's schedule rules that are due at `now`. Each due time is claimed by inserting its
 * `(rule, due_at)` row into `rule_runs` in the caller's transaction: the unique index lets one
 * claim win across processes and retries, and the row commits with the run's marks. The run covers
 * every customer the rule's audience holds now (all customers when it has none), on each of their
 * follow relations.
 */
export async function runDueSchedules(ctx: TxCtx, now: Date): Promise<RunState[]> {
  const rules = await loadLiveRules(ctx, ['schedule']);
  if (rules.length === 0) return [];
  const last = await queryRows<{ rule_id: string; due_at: Date | string }>(
    ctx.tx,
    sql`select rule_id, max(due_at) as due_at from rule_runs where corp_id = ${ctx.corpId} and due_at is not null
      and rule_id = any(${sql.param(rules.map((r) => r.ruleId))}::text[]) group by rule_id`,
  );
  const lastDue = new Map(last.map((r) => [r.rule_id, new Date(r.due_at)]));
  const runs: RunState[] = [];
  for (const rule of rules) {
    const due = dueAt(rule, lastDue.get(rule.ruleId) ?? null, now);
    if (!due) continue;
    const run = await claim(ctx, rule, due);
    if (!run) continue;
    await runSchedule(ctx, run, now);
    runs.push(run);
  }
  return runs;
}

async function claim(ctx: TxCtx, rule: LiveRule, due: Date): Promise<RunState | null> {
  const runId = newRunId();
  const [row] = await queryRows<{ id: number }>(
    ctx.tx,
    sql`insert into rule_runs (corp_id, run_id, rule_id, version, status, due_at) values (${ctx.corpId}, ${runId}, ${rule.ruleId}, ${rule.version}, 'nothing', ${due.toISOString()})
      on conflict (corp_id, rule_id, due_at) where due_at is not null do nothing returning id`,
  );
  if (!row) return null;
  // The run's evidence: every mark it makes points at this event ("scheduled run at 03:00").
  const eventSeq = await recordEvent(ctx, {
    type: 'rule.ran',
    subjectType: 'rule',
    subjectId: rule.ruleId,
    payload: { ruleId: rule.ruleId, version: rule.version, runId, dueAt: due.toISOString(), status: 'started' },
  });
  return startRun(rule, { runId, dueAt: due, eventSeq });
}

/**
 * The customers a schedule rule runs over now: those its audience holds (all when it has none) who
 * still have a follow relation to tag, in index order. Read in the caller's transaction.
 */
export async function scheduleMembers(ctx: TxCtx, rule: LiveRule, now: Date): Promise<{ external_userid: string }[]> {
  const expression = rule.definition.conditions.audience?.expression as Expr | undefined;
  const where = expression ? audiencePredicate(ctx.corpId, expression, (await loadCatalog(ctx, now)).eval) : sql`true`;
  return queryRows<{ external_userid: string }>(
    ctx.tx,
    sql`select c.external_userid from customers c where c.corp_id = ${ctx.corpId} and ${where}
      and exists (select 1 from follows f where f.corp_id = c.corp_id and f.external_userid = c.external_userid) order by c.seq`,
  );
}

async function runSchedule(ctx: TxCtx, run: RunState, now: Date): Promise<void> {
  const { rule } = run;
  const refusal = await authorRefusal(ctx, rule);
  if (refusal) {
    countFailures(run, new Map([[refusal, 1]]));
    return finishRun(ctx, run);
  }
  const members = await scheduleMembers(ctx, rule, now);
  const nameMax = (await readCorpSettings(ctx)).nameMaxLength;
  // Chunks keep each statement's arrays bounded on a corp with a million customers.
  for (let i = 0; i < members.length; i += 5000) {
    const firings: Firing[] = members.slice(i, i + 5000).map((m) => ({ seq: run.eventSeq!, externalUserid: m.external_userid, at: run.dueAt!, fields: {} }));
    run.events.add(run.eventSeq!);
    const plan = await planActions(ctx, rule, firings, { plan: false, nameMax });
    countFailures(run, plan.failures);
    await writeRunChanges(ctx, run, plan.changes);
  }
  await finishRun(ctx, run);
}
