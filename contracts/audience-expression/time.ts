/** The corp's UTC offset when a date carries none: Asia/Shanghai (+08:00, no daylight saving). */
export const defaultUtcOffsetMinutes = 480;

const dayMs = 86_400_000;
const hourMs = 3_600_000;

const dateLiteral = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A half-open span of instants in epoch milliseconds: `start <= t < end`. */
export type Interval = { start: number; end: number };

/**
 * The instants a date literal denotes: a date (`2026-03-31`) is that whole day in the corp's zone,
 * a date-time (`2026-03-31T09:00`, `…Z`, `…+08:00`) is one millisecond. Undefined when the literal
 * is not an ISO date or not a calendar date, so `isDateLiteral` and the evaluator share one rule.
 * @example dateInterval('2026-01-01') // → { start: Date.parse('2025-12-31T16:00Z'), end: start + 1 day }
 */
export function dateInterval(literal: string, utcOffsetMinutes = defaultUtcOffsetMinutes): Interval | undefined {
  const m = dateLiteral.exec(literal);
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (y === undefined || mo === undefined || d === undefined || y < 1000 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years below 100 into the 1900s.
  const base = new Date(0).setUTCFullYear(y, mo - 1, d);
  if (new Date(base).getUTCDate() !== d) return undefined;
  if (m[4] === undefined) {
    const start = base - utcOffsetMinutes * 60_000;
    return { start, end: start + dayMs };
  }
  let offset = utcOffsetMinutes;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const [oh, om] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (oh > 14 || om > 59) return undefined;
    offset = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  } else if (zone === 'Z') offset = 0;
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  const start = base + h * hourMs + mi * 60_000 + s * 1000 + ms - offset * 60_000;
  return { start, end: start + 1 };
}

/** True for an ISO date or date-time literal that names a real calendar day. */
export function isDateLiteral(literal: string): boolean {
  return dateInterval(literal) !== undefined;
}

/** A duration of the language in milliseconds; days are 24 hours, not calendar days. */
export function durationMs(duration: { amount: number; unit: 'd' | 'h' }): number {
  return duration.amount * (duration.unit === 'd' ? dayMs : hourMs);
}
