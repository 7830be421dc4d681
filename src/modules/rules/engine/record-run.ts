import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { ruleRuns } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { newId, randomToken } from '../../../ids.js';
import { recordInlineOperation } from '../../marks/mark-operation.js';
import { type AppliedChanges, applyMarkChanges, type MarkChange } from '../../marks/write-marks.js';
import type { LiveRule } from './live-rules.js';

/** A new run id: `rn` and 22 random characters. */
export const newRunId = () => `rn${randomToken(22)}`;

/** What one run of a rule did so far: its operation (made on the first change), counts and failures. */
export type RunState = {
  runId: string;
  rule: LiveRule;
  operationId: string | null;
  applied: AppliedChanges;
  customers: Set<string>;
  /** `customer|tag` of every mark the run may have changed, for the audience index to re-read. */
  pairs: Set<string>;
  events: Set<number>;
  failures: Map<string, number>;
  dueAt?: Date;
  eventSeq?: number;
};

/** A fresh run of a rule. */
export function startRun(rule: LiveRule, extra: { runId?: string; dueAt?: Date; eventSeq?: number } = {}): RunState {
  return {
    runId: extra.runId ?? newRunId(),
    rule,
    operationId: null,
    applied: { added: 0, removed: 0 },
    customers: new Set(),
    pairs: new Set(),
    events: new Set(),
    failures: new Map(),
    dueAt: extra.dueAt,
    eventSeq: extra.eventSeq,
  };
}

/** Adds failure counts to a run's. */
export function countFailures(run: RunState, failures: ReadonlyMap<string, number>): void {
  for (const [reason, n] of failures) run.failures.set(reason, (run.failures.get(reason) ?? 0) + n);
}

/**
 * Writes a batch of a run's changes through the mark writer under the run's operation, with the
 * rule's id and version on each mark and each change's own evidence event. Of several changes to
 * one mark the last one wins, as if the events had run one by one. Tags deleted since the rule was
 * checked are skipped (locked `for share`, so a deletion racing the run waits or has happened).
 * Returns how many marks changed.
 */
export async function writeRunChanges(ctx: TxCtx, run: RunState, changes: readonly MarkChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  const last = lastChangePerMark(changes);
  const tagIds = [...new Set([...last.values()].map((c) => c.tagId))];
  const live = await queryRows<{ tag_id: string }>(
    ctx.tx,
    sql`select t.tag_id from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
      where t.corp_id = ${ctx.corpId} and t.tag_id = any(${sql.param(tagIds)}::text[]) and t.deleted_at is null and g.deleted_at is null
      for share of t`,
  );
  const liveIds = new Set(live.map((r) => r.tag_id));
  const kept = [...last.values()].filter((c) => liveIds.has(c.tagId));
  const gone = last.size - kept.length;
  if (gone > 0) countFailures(run, new Map([['a tag of the rule was deleted', gone]]));
  if (kept.length === 0) return 0;
  run.operationId ??= newId.operation();
  const applied = await applyMarkChanges(ctx, run.operationId, kept, { source: 'rule', ruleId: run.rule.ruleId, ruleVersion: run.rule.version });
  run.applied.added += applied.added;
  run.applied.removed += applied.removed;
  if (applied.added + applied.removed > 0)
    for (const c of kept) {
      run.customers.add(c.externalUserid);
      run.pairs.add(`${c.externalUserid}|${c.tagId}`);
    }
  return applied.added + applied.removed;
}

/**
 * Of several changes to one mark, the last, in the order given: what running the events one by one
 * would leave. Keyed by (customer, employee, tag); the map keeps the order of the last changes.
 */
export function lastChangePerMark(changes: readonly MarkChange[]): Map<string, MarkChange> {
  const last = new Map<string, MarkChange>();
  for (const c of changes) {
    const key = `${c.externalUserid}\u0000${c.userid}\u0000${c.tagId}`;
    last.delete(key);
    last.set(key, c);
  }
  return last;
}

/** The failures as one line: `2× reason; 1× other`. */
export function failureText(failures: ReadonlyMap<string, number>): string | null {
  if (failures.size === 0) return null;
  return [...failures]
    .map(([reason, n]) => `${n}× ${reason}`)
    .join('; ')
    .slice(0, 2000);
}

/**
 * Records a finished run: its operation (when it changed marks, so it is listed and undoable like a
 * batch), its row in `rule_runs` (a schedule's row was inserted when it was claimed) and a
 * `rule.ran` event. A run that changed nothing and failed nothing leaves no trace unless it was a
 * schedule's due time.
 */
export async function finishRun(ctx: TxCtx, run: RunState): Promise<void> {
  const changed = run.applied.added + run.applied.removed > 0;
  const error = failureText(run.failures);
  if (!changed && !error && run.dueAt === undefined) return;
  if (changed && run.operationId) {
    await recordInlineOperation(ctx, {
      operationId: run.operationId,
      kind: 'rule',
      params: { ruleId: run.rule.ruleId, ruleName: run.rule.name, version: run.rule.version, runId: run.runId, events: run.events.size },
      applied: run.applied,
    });
  }
  const status = changed ? 'applied' : error ? 'failed' : 'nothing';
  const values = {
    version: run.rule.version,
    status,
    events: run.events.size,
    customers: run.customers.size,
    added: run.applied.added,
    removed: run.applied.removed,
    operationId: changed ? run.operationId : null,
    error,
    finishedAt: sql`clock_timestamp()`,
  } as const;
  if (run.dueAt !== undefined) {
    await ctx.tx.update(ruleRuns).set(values).where(sql`${ruleRuns.corpId} = ${ctx.corpId} and ${ruleRuns.runId} = ${run.runId}`);
  } else {
    await ctx.tx.insert(ruleRuns).values({ corpId: ctx.corpId, runId: run.runId, ruleId: run.rule.ruleId, ...values });
  }
  if (changed) await announceMarks(ctx, run);
  await recordEvent(ctx, {
    type: 'rule.ran',
    subjectType: 'rule',
    subjectId: run.rule.ruleId,
    operationId: changed ? (run.operationId ?? undefined) : undefined,
    payload: {
      ruleId: run.rule.ruleId,
      version: run.rule.version,
      runId: run.runId,
      status,
      added: run.applied.added,
      removed: run.applied.removed,
      customers: run.customers.size,
      events: run.events.size,
      ...(run.dueAt ? { dueAt: run.dueAt.toISOString() } : {}),
      ...(error ? { error } : {}),
    },
  });
}

// Up to this many changed marks are announced one by one; beyond it the index reloads whole tags.
const pairsAnnounced = 2000;

/**
 * Tells the audience index which marks the run changed: the (customer, tag) pairs for a small run,
 * the tags for a large one (a schedule over thousands of customers), as batches and undo do.
 */
async function announceMarks(ctx: TxCtx, run: RunState): Promise<void> {
  const pairs = [...run.pairs].map((p) => {
    const [externalUserid, tagId] = p.split('|') as [string, string];
    return { externalUserid, tagId };
  });
  if (pairs.length <= pairsAnnounced) {
    await recordEvent(ctx, {
      type: 'follow.tags_changed',
      subjectType: 'rule',
      subjectId: run.rule.ruleId,
      payload: { pairs, added: run.applied.added, removed: run.applied.removed, runId: run.runId },
      operationId: run.operationId ?? undefined,
    });
    return;
  }
  await recordEvent(ctx, {
    type: 'operation.applied',
    subjectType: 'operation',
    subjectId: run.operationId!,
    payload: { tagIds: [...new Set(pairs.map((p) => p.tagId))], added: run.applied.added, removed: run.applied.removed, ruleRun: run.runId },
    operationId: run.operationId ?? undefined,
  });
}
