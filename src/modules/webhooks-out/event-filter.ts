import { eventTypes } from '../../events/catalog.js';

/** The type of the test delivery `POST …/ping` queues; it is no recorded event, so no filter names it. */
export const pingEventType = 'ping';

/** One problem with a filter entry, with where it is (`body.eventTypes.2`). */
export type FilterProblem = { path: string; code: 'unknown_event_type'; message: string };

/** True when the filter entry selects the event type: exact, `prefix.*`, or `*`. */
export function entryMatches(entry: string, type: string): boolean {
  if (entry === '*') return true;
  if (entry.endsWith('.*')) return type.startsWith(entry.slice(0, -1));
  return entry === type;
}

/** True when any entry of the filter selects the event type. */
export function filterMatches(filter: readonly string[], type: string): boolean {
  return filter.some((entry) => entryMatches(entry, type));
}

/**
 * The entries of a filter that select nothing in the event catalog (a typo such as `tag.create`
 * or `tgs.*` would otherwise never deliver, silently), each named by its path.
 */
export function filterProblems(filter: readonly string[], path = 'body.eventTypes'): FilterProblem[] {
  return filter.flatMap((entry, i) =>
    eventTypes.some((type) => entryMatches(entry, type))
      ? []
      : [{ path: `${path}.${i}`, code: 'unknown_event_type' as const, message: `"${entry}" matches no event type` }],
  );
}

/** The filter as stored: trimmed entries, duplicates dropped, order kept. */
export function normalizeFilter(filter: readonly string[]): string[] {
  return [...new Set(filter.map((e) => e.trim()))];
}
