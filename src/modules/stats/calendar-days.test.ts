import { describe, expect, it } from 'vitest';
import { calendarDays } from './calendar-days.js';

describe('calendarDays', () => {
  it('cuts days at midnight in the corp zone: 01:00 UTC is already the next day in Shanghai', () => {
    const days = calendarDays(Date.parse('2026-03-01T17:00:00Z'), 3, 480);
    expect(days.map((d) => d.date)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(days[2]).toEqual({ date: '2026-03-02', start: Date.parse('2026-03-01T16:00:00Z'), end: Date.parse('2026-03-02T16:00:00Z') });
  });

  it('gives consecutive days without gaps or overlaps, ending with today', () => {
    const now = Date.parse('2026-12-06T18:00:00Z');
    const days = calendarDays(now, 30, 480);
    expect(days).toHaveLength(30);
    for (let i = 1; i < days.length; i += 1) expect(days[i]!.start).toBe(days[i - 1]!.end);
    expect(days.at(-1)!.start <= now && now < days.at(-1)!.end).toBe(true);
  });

  it('reads the same in UTC when the zone is UTC', () => {
    expect(calendarDays(Date.parse('2026-01-01T23:59:59Z'), 1, 0)[0]!.date).toBe('2026-01-01');
  });
});
