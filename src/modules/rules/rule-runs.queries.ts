import { sql } from 'drizzle-orm';
import type { RuleRun } from '../../../contracts/rules.js';
import type { Ctx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import { loadRule } from './rules.repo.js';

type RunRow = {
  id: number | string;
  run_id: string;
  rule_id: string;
  version: number;
  status: RuleRun['status'];
  due_at: Date | string | null;
  events: number;
  customers: number;
  added: number;
  removed: number;
  operation_id: string | null;
  undone: boolean;
  error: string | null;
  started_at: Date | string;
  finished_at: Date | string | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * A live rule's runs, newest first, a page at a time (`cursor` is the last run's position), with
 * whether each run's operation has been undone.
 */
export async function listRuleRuns(
  ctx: Ctx,
  ruleId: string,
  page: { limit: number; cursor?: string },
): Promise<{ runs: RuleRun[]; nextCursor: string | null }> {
  (await policyFor(ctx)).authorize('rule.manage');
  await loadRule(ctx, ruleId);
  const before = page.cursor === undefined ? null : Number(page.cursor);
  if (before !== null && !(Number.isSafeInteger(before) && before > 0))
    throw new AppError('validation_failed', {
      message: 'query.cursor: not a cursor this list gave out.',
      details: [{ path: 'query.cursor', message: 'invalid cursor' }],
    });
  const rows = await queryRows<RunRow>(
    ctx.db,
    sql`
    select r.id, r.run_id, r.rule_id, r.version, r.status, r.due_at, r.events, r.customers, r.added, r.removed, r.operation_id,
      coalesce(o.undone_by is not null, false) as undone, r.error, r.started_at, r.finished_at
    from rule_runs r left join operations o on o.corp_id = r.corp_id and o.operation_id = r.operation_id
    where r.corp_id = ${ctx.corpId} and r.rule_id = ${ruleId} ${before === null ? sql`` : sql`and r.id < ${before}`}
    order by r.id desc limit ${page.limit + 1}`,
  );
  const more = rows.length > page.limit;
  const runs = rows.slice(0, page.limit).map(
    (r): RuleRun => ({
      runId: r.run_id,
      ruleId: r.rule_id,
      version: Number(r.version),
      status: r.status,
      dueAt: iso(r.due_at),
      events: Number(r.events),
      customers: Number(r.customers),
      added: Number(r.added),
      removed: Number(r.removed),
      operationId: r.operation_id,
      undone: Boolean(r.undone),
      error: r.error,
      startedAt: iso(r.started_at)!,
      finishedAt: iso(r.finished_at),
    }),
  );
  return { runs, nextCursor: more ? String(rows[page.limit - 1]!.id) : null };
}
