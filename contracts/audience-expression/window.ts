import type { TimeWindow } from './ast.js';
import { dateInterval, defaultUtcOffsetMinutes, durationMs, type Interval } from './time.js';

// Apart from time.ts because it reads a TimeWindow of ast.ts, which itself uses time.ts to check dates.

/**
 * The instants a time window admits at `now`: `within` N days is `t >= now - N` (no upper bound, so
 * a clock-skewed future time still counts); an absolute range runs from the start of `from` to the
 * end of `to`, either side open when absent. The SQL compiler and the index use the same bounds.
 * @example windowInterval({ within: { amount: 7, unit: 'd' } }, now) // → { start: now - 7 days, end: Infinity }
 */
export function windowInterval(window: TimeWindow, now: number, utcOffsetMinutes = defaultUtcOffsetMinutes): Interval {
  if ('within' in window) return { start: now - durationMs(window.within), end: Infinity };
  const from = window.from === undefined ? undefined : dateInterval(window.from, utcOffsetMinutes);
  const to = window.to === undefined ? undefined : dateInterval(window.to, utcOffsetMinutes);
  return { start: from?.start ?? -Infinity, end: to?.end ?? Infinity };
}
