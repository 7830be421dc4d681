const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const weekMs = 7 * dayMs;
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
const shanghaiOffsetMs = 8 * hourMs;
// 1970-01-05 was a Monday: week boundaries are that midnight plus whole weeks.
const firstMondayMs = 4 * dayMs;

/**
 * The start (epoch ms) of the Monday-to-Sunday week `at` falls in, as an operator in Shanghai
 * counts weeks: Monday 00:00 Asia/Shanghai, which is Sunday 16:00 UTC.
 * @example new Date(shanghaiWeekStart(Date.parse('2026-12-06T17:00:00Z'))).toISOString() // '2026-12-06T16:00:00.000Z'
 */
export function shanghaiWeekStart(at: number): number {
  const local = at + shanghaiOffsetMs - firstMondayMs;
  return Math.floor(local / weekMs) * weekMs + firstMondayMs - shanghaiOffsetMs;
}

/** Every week start from the week `from` falls in to the week of the last instant before `to`, oldest first. */
export function shanghaiWeeks(from: number, to: number): number[] {
  const weeks: number[] = [];
  for (let start = shanghaiWeekStart(from); start < to; start += weekMs) weeks.push(start);
  return weeks;
}
