/**
 * The "not interested" streak of one customer on one tag group's posts, as a pure state machine:
 * the consumer loads the stored state, feeds it the customer's interactions in occurrence order,
 * and stores what comes out. Kept apart from the database so every transition is tested in a table.
 */

/** What a customer did with a post, as the streak reads it. */
export type StreakSignal = 'not_interested' | 'positive' | 'neutral';

/** Where a customer stands with a group: already suppressed (nothing counts until lifted), or a running streak. */
export type StreakState = { suppressed: true } | { suppressed: false; momentIds: readonly string[] };

/** The next state, and the streak that put the customer on the suppression list when this step did. */
export type StreakStep = { state: StreakState; suppressedBy: readonly string[] | null };

/** Positive interactions end a streak; a view says nothing either way (the post merely showed up). */
export function signalOf(kind: string): StreakSignal {
  if (kind === 'not_interested') return 'not_interested';
  if (kind === 'liked' || kind === 'commented' || kind === 'clicked') return 'positive';
  return 'neutral';
}

/**
 * One interaction applied to a streak. "Not interested" on a post appends it (the same post twice
 * counts once); reaching `threshold` posts suppresses and clears the streak. A positive signal
 * resets it. A suppressed customer stays so until an admin lifts it, whatever they do meanwhile.
 * @example
 * stepStreak({ suppressed: false, momentIds: ['mo1', 'mo2'] }, 'mo3', 'not_interested', 3)
 * // → { state: { suppressed: true }, suppressedBy: ['mo1', 'mo2', 'mo3'] }
 */
export function stepStreak(state: StreakState, momentId: string, signal: StreakSignal, threshold: number): StreakStep {
  if (state.suppressed || signal === 'neutral') return { state, suppressedBy: null };
  if (signal === 'positive') return { state: { suppressed: false, momentIds: [] }, suppressedBy: null };
  const momentIds = state.momentIds.includes(momentId) ? state.momentIds : [...state.momentIds, momentId];
  if (momentIds.length >= threshold) return { state: { suppressed: true }, suppressedBy: momentIds };
  return { state: { suppressed: false, momentIds }, suppressedBy: null };
}
