/** Shanghai keeps UTC+8 all year (no daylight saving), so the campaign window converts by a fixed offset. */
const shanghaiOffsetMs = 8 * 3600_000;

/** The wall-clock format the window pickers show and read. */
export const wallClockFormat = 'YYYY-MM-DD HH:mm';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as Asia/Shanghai wall-clock time (`2026-03-01 09:30`), whatever the browser's own
 * zone: the window is a campaign's, planned in China time.
 * @example toShanghai('2026-03-01T01:30:00.000Z') // → '2026-03-01 09:30'
 */
export function toShanghai(iso: string): string {
  const d = new Date(new Date(iso).getTime() + shanghaiOffsetMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * A Shanghai wall-clock time (`YYYY-MM-DD HH:mm`) as the instant the API stores (ISO, UTC);
 * undefined for text that is not one.
 * @example fromShanghai('2026-03-01 09:30') // → '2026-03-01T01:30:00.000Z'
 */
export function fromShanghai(wallClock: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(wallClock.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi) - shanghaiOffsetMs;
  return Number.isNaN(utc) ? undefined : new Date(utc).toISOString();
}

/** Where a campaign window stands at `now`: none set, not begun, open, or over (the end is exclusive). */
export type WindowState = 'always' | 'upcoming' | 'open' | 'ended';

/** Where a way's window stands at `now`; a way without a window tags every customer it brings. */
export function windowState(startsAt: string | null, endsAt: string | null, now: Date): WindowState {
  if (startsAt === null && endsAt === null) return 'always';
  if (startsAt !== null && now.getTime() < new Date(startsAt).getTime()) return 'upcoming';
  if (endsAt !== null && now.getTime() >= new Date(endsAt).getTime()) return 'ended';
  return 'open';
}
