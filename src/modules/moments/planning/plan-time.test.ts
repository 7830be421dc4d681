import { describe, expect, it } from 'vitest';
import { isQuiet, nextHourStart, outOfQuietHours, plannedAt, shanghaiHour, variantByHour } from './plan-time.js';

const sh = (local: string) => new Date(`${local}+08:00`).getTime();
const quiet = { start: 22, end: 8 };

describe('planning a delivery’s time (Asia/Shanghai)', () => {
  it('reads the local hour and finds the next start of an hour', () => {
    expect(shanghaiHour(sh('2026-12-07T23:59:59'))).toBe(23);
    expect(shanghaiHour(sh('2026-12-08T00:00:00'))).toBe(0);
    expect(nextHourStart(sh('2026-12-07T10:20:00'), 21)).toBe(sh('2026-12-07T21:00:00'));
    expect(nextHourStart(sh('2026-12-07T21:20:00'), 21)).toBe(sh('2026-12-07T21:20:00'));
    expect(nextHourStart(sh('2026-12-07T22:20:00'), 9)).toBe(sh('2026-12-08T09:00:00'));
  });

  it('moves quiet-hour times to the hour quiet hours end, wrapping midnight', () => {
    expect(isQuiet(22, quiet) && isQuiet(3, quiet) && !isQuiet(8, quiet) && !isQuiet(21, quiet)).toBe(true);
    expect(isQuiet(3, { start: 8, end: 8 })).toBe(false);
    expect(outOfQuietHours(sh('2026-12-07T22:30:00'), quiet)).toBe(sh('2026-12-08T08:00:00'));
    expect(outOfQuietHours(sh('2026-12-08T03:10:00'), quiet)).toBe(sh('2026-12-08T08:00:00'));
    expect(outOfQuietHours(sh('2026-12-08T12:10:00'), quiet)).toBe(sh('2026-12-08T12:10:00'));
    expect(outOfQuietHours(sh('2026-12-08T13:10:00'), { start: 12, end: 14 })).toBe(sh('2026-12-08T14:00:00'));
  });

  it('best hour: the first occurrence within the window, else the window’s start; then out of quiet hours', () => {
    const from = sh('2026-12-07T10:00:00');
    expect(plannedAt({ mode: 'best_hour', withinHours: 24 }, 21, from, quiet)).toBe(sh('2026-12-07T21:00:00'));
    expect(plannedAt({ mode: 'best_hour', withinHours: 24 }, 9, from, quiet)).toBe(sh('2026-12-08T09:00:00'));
    expect(plannedAt({ mode: 'best_hour', withinHours: 6 }, 21, from, quiet)).toBe(from);
    // An active hour inside quiet hours is moved to their end.
    expect(plannedAt({ mode: 'best_hour', withinHours: 24 }, 23, from, quiet)).toBe(sh('2026-12-08T08:00:00'));
    expect(plannedAt({ mode: 'now' }, 21, from, quiet)).toBe(from);
  });

  it('maps each hour to the variant whose slot holds it, -1 elsewhere; slots may wrap midnight', () => {
    const table = variantByHour([
      { fromHour: 6, toHour: 12 },
      { fromHour: 22, toHour: 2 },
    ]);
    expect([...table]).toEqual([1, 1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 1]);
    expect([...variantByHour([{ fromHour: 18, toHour: 24 }])].slice(17)).toEqual([-1, 0, 0, 0, 0, 0, 0]);
  });
});
