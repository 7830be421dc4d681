import type { TxCtx } from '../../../context.js';
import type { EvalContext } from '../../audiences/context.js';
import { loadCatalog } from '../../audiences/service/catalog.js';
import { readCorpSettings } from '../../corps/settings.js';
import { planActions } from './actions.js';
import { authorRefusal } from './author-check.js';
import type { EngineEvent } from './engine-events.js';
import { fire } from './fire.js';
import { type LiveRule, loadLiveRules } from './live-rules.js';
import { countFailures, finishRun, type RunState, startRun, writeRunChanges } from './record-run.js';

/**
 * How many passes one page of events gets. Pass 1 runs every rule on every event, in creation order,
 * each seeing the marks the rules before it wrote. A later pass looks again only at the events a
 * rule skipped because the customer was outside its audience, and only when the pass before changed
 * marks (a tag another rule just added may put the customer inside). Each rule fires at most once per
 * event, so two rules that undo each other stop; the passes stop at this depth in any case.
 */
export const maxCascadeDepth = 3;

/** The rule trigger kind each kind of trigger event fires. */
export const ruleKindOf = {
  message: 'message.keyword',
  'customer.added': 'customer.added',
  'groupchat.joined': 'groupchat.joined',
  behaviour: 'behaviour',
  webhook: 'webhook',
} as const;

/**
 * Runs the corp's enabled rules on a page of trigger events in the caller's transaction: one run
 * (one operation, undoable) per rule that changed marks or failed, each mark carrying the rule, its
 * version and the event that caused it. A rule its author may no longer run fails as a whole.
 */
export async function runTriggeredRules(ctx: TxCtx, events: readonly EngineEvent[], now: Date): Promise<RunState[]> {
  if (events.length === 0) return [];
  const rules = await loadLiveRules(ctx, [...new Set(events.map((e) => ruleKindOf[e.event.kind]))]);
  if (rules.length === 0) return [];
  const kindEvents = (rule: LiveRule) => events.filter((e) => ruleKindOf[e.event.kind] === rule.definition.trigger.kind);
  let evalCtx: Promise<EvalContext> | null = null;
  const context = () => (evalCtx ??= loadCatalog(ctx, now).then((c) => c.eval));
  const nameMax = (await readCorpSettings(ctx)).nameMaxLength;
  const runs = new Map<string, RunState>();
  const refused = new Set<string>();
  let pending = new Map(rules.map((r) => [r.ruleId, kindEvents(r)] as const));
  for (let depth = 1; depth <= maxCascadeDepth && pending.size > 0; depth++) {
    let changed = 0;
    const next = new Map<string, EngineEvent[]>();
    for (const rule of rules) {
      const todo = pending.get(rule.ruleId);
      if (!todo || todo.length === 0 || refused.has(rule.ruleId)) continue;
      const result = await fire(ctx, rule, todo, context);
      if (result.firings.length > 0) {
        let run = runs.get(rule.ruleId);
        if (!run) {
          run = startRun(rule);
          runs.set(rule.ruleId, run);
          const refusal = await authorRefusal(ctx, rule);
          if (refusal) {
            refused.add(rule.ruleId);
            countFailures(run, new Map([[refusal, result.firings.length]]));
            continue;
          }
        }
        for (const f of result.firings) run.events.add(f.seq);
        const plan = await planActions(ctx, rule, result.firings, { plan: false, nameMax });
        countFailures(run, plan.failures);
        changed += await writeRunChanges(ctx, run, plan.changes);
      }
      if (result.audienceMisses.length > 0) next.set(rule.ruleId, result.audienceMisses);
    }
    if (changed === 0) break;
    pending = next;
  }
  for (const run of runs.values()) await finishRun(ctx, run);
  return [...runs.values()];
}
