import type { ConsumerDefinition } from '../../../events/consumer.js';
import { engineActor, engineEvents, triggerEventTypes } from './engine-events.js';
import { runDueSchedules } from './run-schedules.js';
import { runTriggeredRules } from './run-triggered.js';

/** Options: the clock (tests move it) and how often schedules are looked at when no events come. */
export type RuleEngineOptions = { now?: () => Date; scheduleEveryMs?: number };

/**
 * The rule engine as a durable event consumer (the third, after the audience index and the
 * smart-group maintainer): each page of trigger events runs the corp's enabled rules in the page's
 * transaction, so the marks, the runs and the cursor commit together and a crash re-runs the page
 * whole. Called with no events every `scheduleEveryMs`, it runs the schedules that are due. Its own
 * writes (actor `system:rules`) never trigger it.
 */
export function ruleEngine(options: RuleEngineOptions = {}): ConsumerDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: 'rules',
    types: triggerEventTypes,
    everyMs: options.scheduleEveryMs ?? 15_000,
    source: 'rule',
    // From the corp's first event: a rule fires only on events recorded after it was switched on,
    // so replaying history does nothing, and no event is missed before the first poll.
    startAt: 'beginning',
    handle: async (ctx, events) => {
      const at = now();
      await runTriggeredRules(ctx, events.flatMap(engineEvents), at);
      await runDueSchedules(ctx, at);
    },
  };
}

export { engineActor };
