import type { ConsumerDefinition } from '../../../events/consumer.js';
import { applyMomentInteractions } from './apply-interactions.js';
import { momentFactsOf } from './moment-facts.js';

/** The consumer's name: its cursor's key in `event_consumers`, and the actor of what it writes (`system:moment-suppression`). */
export const suppressionConsumerName = 'moment-suppression';

/**
 * Moments suppression as a durable consumer of the events spine: each page of
 * `customer_event.recorded` events has its `moment.*` facts applied to the streaks and suppression
 * lists in the page's transaction, so a crash replays the page whole and nothing counts twice.
 * It starts at the corp's first event, so no interaction recorded before its first poll is missed.
 */
export function momentSuppression(): ConsumerDefinition {
  return {
    name: suppressionConsumerName,
    types: ['customer_event.recorded'],
    startAt: 'beginning',
    source: 'system',
    handle: async (ctx, events) => {
      await applyMomentInteractions(ctx, events.flatMap(momentFactsOf));
    },
  };
}
