import type { MomentSchedule, MomentSettings, MomentVariant } from '../../../../contracts/moments.js';
import { variantFor } from '../audience/active-hours.js';

// Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so local hours are plain
// arithmetic here: planning a million deliveries cannot afford Intl per customer.
const offsetMs = 8 * 3_600_000;
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** The hour of the day (0–23) in Asia/Shanghai of an instant (epoch ms). */
export function shanghaiHour(ms: number): number {
  return Math.floor(((((ms + offsetMs) % dayMs) + dayMs) % dayMs) / hourMs);
}

/** The first instant at or after `ms` that starts `hour` (Asia/Shanghai), or `ms` itself when it lies in that hour. */
export function nextHourStart(ms: number, hour: number): number {
  if (shanghaiHour(ms) === hour) return ms;
  const startOfHour = Math.floor((ms + offsetMs) / hourMs) * hourMs - offsetMs;
  const ahead = (hour - shanghaiHour(ms) + 24) % 24;
  return startOfHour + ahead * hourMs;
}

/** Quiet hours as hour numbers (`22:00`–`08:00` → 22, 8); equal hours mean none. */
export function quietSpan(settings: Pick<MomentSettings, 'quietHours'>): { start: number; end: number } {
  return { start: Number(settings.quietHours.start.slice(0, 2)), end: Number(settings.quietHours.end.slice(0, 2)) };
}

/** Whether an hour falls in quiet hours (`start` inclusive, `end` exclusive, wrapping midnight). */
export function isQuiet(hour: number, quiet: { start: number; end: number }): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/** Moves an instant out of quiet hours to the hour they end (22:30 with 22:00–08:00 → 08:00 the next morning). */
export function outOfQuietHours(ms: number, quiet: { start: number; end: number }): number {
  return isQuiet(shanghaiHour(ms), quiet) ? nextHourStart(ms, quiet.end) : ms;
}

/** When a post starts going out: now, its time, or the start of its best-hour window. */
export function scheduleStart(schedule: MomentSchedule, now: Date): Date {
  if (schedule.mode === 'at') return new Date(Math.max(new Date(schedule.at).getTime(), now.getTime()));
  if (schedule.mode === 'best_hour' && schedule.from) return new Date(Math.max(new Date(schedule.from).getTime(), now.getTime()));
  return now;
}

/**
 * When one customer's copy is planned: at the start (`now` / `at`), or with `best_hour` the first
 * time their active hour comes within [from, from + withinHours) (else `from`); then out of quiet hours.
 * @example plannedAt({ mode: 'best_hour', withinHours: 24 }, 21, start, quiet) // today (or tomorrow) at 21:00
 */
export function plannedAt(schedule: MomentSchedule, activeHour: number, startMs: number, quiet: { start: number; end: number }): number {
  let at = startMs;
  if (schedule.mode === 'best_hour') {
    const best = nextHourStart(startMs, activeHour);
    at = best < startMs + schedule.withinHours * hourMs ? best : startMs;
  }
  return outOfQuietHours(at, quiet);
}

/** The variant whose slot holds each hour of the day (-1 = the main content), as a 24-entry table. */
export function variantByHour(variants: readonly Pick<MomentVariant, 'fromHour' | 'toHour'>[]): Int8Array {
  return Int8Array.from({ length: 24 }, (_, hour) => variantFor(hour, variants));
}
