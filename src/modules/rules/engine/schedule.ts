import { Cron } from 'croner';
import { AppError } from '../../../errors.js';

/** How many runs the console previews. */
export const previewRuns = 5;

const invalid = (path: string, message: string) => new AppError('validation_failed', { message: `${path}: ${message}`, details: [{ path, message }] });

/** Whether `timezone` is an IANA zone this runtime knows (`Asia/Shanghai`, `UTC`). */
export function isTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a schedule at save time: an IANA timezone and a cron of 5 fields (minute first) or 6
 * (seconds first) that croner accepts. Nicknames such as `@daily` and 7-field (year) patterns are
 * refused so every stored schedule reads the same way in the console.
 * @example checkCron('0 3 * * *', 'Asia/Shanghai', 'body.definition.trigger') // ok: 03:00 daily
 */
export function checkCron(cron: string, timezone: string, path: string): void {
  if (!isTimezone(timezone)) throw invalid(`${path}.timezone`, `unknown timezone "${timezone}"; give an IANA name such as Asia/Shanghai`);
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6)
    throw invalid(`${path}.cron`, `a cron has 5 fields (minute hour day month weekday) or 6 (seconds first), not ${fields.length}`);
  try {
    new Cron(cron, { timezone, paused: true, mode: '5-or-6-parts' });
  } catch (error) {
    throw invalid(`${path}.cron`, `not a valid cron: ${(error as Error).message.replace(/^Cron\w*: /, '')}`);
  }
}

/**
 * The next `n` instants the schedule fires after `from`, in order. Call `checkCron` first; a
 * schedule that never fires again (say, February 30th) yields fewer than `n`.
 * @example nextRuns('0 3 * * *', 'Asia/Shanghai', 2, new Date('2026-03-01T00:00Z')) // 03-01T19:00Z, 03-02T19:00Z
 */
export function nextRuns(cron: string, timezone: string, n = previewRuns, from = new Date()): Date[] {
  return new Cron(cron, { timezone, paused: true, mode: '5-or-6-parts' }).nextRuns(n, from);
}

/** An instant as wall-clock time in a timezone, `2026-03-02 03:00:00`, for people reading a preview. */
export function localTime(at: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
