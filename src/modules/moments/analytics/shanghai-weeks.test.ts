import { describe, expect, it } from 'vitest';
import { shanghaiWeekStart, shanghaiWeeks } from './shanghai-weeks.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('weeks as an operator in Shanghai counts them (Monday 00:00 UTC+8)', () => {
  it.each([
    ['Monday 00:00 in Shanghai starts its own week', '2026-12-06T16:00:00.000Z', '2026-12-06T16:00:00.000Z'],
    ['Sunday 23:59 in Shanghai is the end of the week before', '2026-12-06T15:59:59.999Z', '2026-11-29T16:00:00.000Z'],
    ['Monday 01:00 UTC is already Monday afternoon in Shanghai', '2026-12-07T01:00:00.000Z', '2026-12-06T16:00:00.000Z'],
    ['a Wednesday', '2026-12-09T12:00:00.000Z', '2026-12-06T16:00:00.000Z'],
    ['across a year end', '2027-01-01T00:00:00.000Z', '2026-12-27T16:00:00.000Z'],
  ])('%s', (_, at, start) => {
    expect(iso(shanghaiWeekStart(Date.parse(at)))).toBe(start);
  });

  it('lists every week the period touches, the end excluded', () => {
    const weeks = shanghaiWeeks(Date.parse('2026-11-03T00:00:00Z'), Date.parse('2026-11-15T16:00:00Z')).map(iso);
    expect(weeks).toEqual(['2026-11-01T16:00:00.000Z', '2026-11-08T16:00:00.000Z']);
    expect(shanghaiWeeks(Date.parse('2026-11-03T00:00:00Z'), Date.parse('2026-11-15T16:00:00.001Z'))).toHaveLength(3);
  });
});
