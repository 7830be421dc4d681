const dayMs = 86_400_000;

/** One calendar day in a zone: its date as written there and its bounds in epoch ms (`start ≤ t < end`). */
export type CalendarDay = { date: string; start: number; end: number };

/**
 * The last `count` calendar days up to and including the one `now` falls in, oldest first, as seen
 * from a zone `utcOffsetMinutes` east of UTC: a chart of "new customers per day" must cut days where
 * the corp's staff see midnight, not at UTC midnight.
 * @example calendarDays(Date.parse('2026-03-02T01:00:00Z'), 2, 480).map((d) => d.date) // ['2026-03-01', '2026-03-02']
 */
export function calendarDays(now: number, count: number, utcOffsetMinutes: number): CalendarDay[] {
  const offset = utcOffsetMinutes * 60_000;
  const todayStart = Math.floor((now + offset) / dayMs) * dayMs - offset;
  return Array.from({ length: count }, (_, i) => {
    const start = todayStart - (count - 1 - i) * dayMs;
    return { date: new Date(start + offset).toISOString().slice(0, 10), start, end: start + dayMs };
  });
}
