import { describe, expect, it } from 'vitest';
import { dateInterval } from '../../../../contracts/audience-expression/time.js';
import { windowInterval } from '../../../../contracts/audience-expression/window.js';

const at = (iso: string) => Date.parse(iso);
const day = 86_400_000;

describe('dateInterval', () => {
  it.each<[string, number | undefined, number | undefined]>([
    // A date is the whole day in Shanghai (+08:00) unless another offset is given.
    ['2026-01-01', at('2025-12-31T16:00:00Z'), at('2026-01-01T16:00:00Z')],
    ['2026-01-01T09:00', at('2026-01-01T01:00:00Z'), at('2026-01-01T01:00:00.001Z')],
    ['2026-01-01T09:00:30Z', at('2026-01-01T09:00:30Z'), at('2026-01-01T09:00:30.001Z')],
    ['2026-01-01T09:00:30.5-05:30', at('2026-01-01T14:30:30.500Z'), at('2026-01-01T14:30:30.501Z')],
    ['2024-02-29', at('2024-02-28T16:00:00Z'), at('2024-02-29T16:00:00Z')],
    ['2026-02-29', undefined, undefined],
    ['2026-13-01', undefined, undefined],
    ['2026-01-01T24:00', undefined, undefined],
    ['2026-01-01T09:00+15:00', undefined, undefined],
    ['2026-1-1', undefined, undefined],
    ['0099-01-01', undefined, undefined],
  ])('%s', (literal, start, end) => {
    const interval = dateInterval(literal);
    expect(interval?.start).toBe(start);
    expect(interval?.end).toBe(end);
  });

  it('reads a date in another zone when told', () => {
    expect(dateInterval('2026-01-01', 0)).toEqual({ start: at('2026-01-01T00:00:00Z'), end: at('2026-01-02T00:00:00Z') });
  });
});

describe('windowInterval', () => {
  const now = at('2026-04-01T00:00:00+08:00');
  it.each<[string, Parameters<typeof windowInterval>[0], number, number]>([
    ['30 days back, no upper bound', { within: { amount: 30, unit: 'd' } }, now - 30 * day, Infinity],
    ['12 hours back', { within: { amount: 12, unit: 'h' } }, now - 12 * 3_600_000, Infinity],
    ['a closed range, to inclusive of its day', { from: '2026-01-01', to: '2026-03-31' }, at('2026-01-01T00:00:00+08:00'), at('2026-04-01T00:00:00+08:00')],
    ['open at the start', { to: '2026-03-31' }, -Infinity, at('2026-04-01T00:00:00+08:00')],
    ['open at the end', { from: '2026-03-31T12:00' }, at('2026-03-31T12:00:00+08:00'), Infinity],
  ])('%s', (_, window, start, end) => {
    expect(windowInterval(window, now)).toEqual({ start, end });
  });
});
