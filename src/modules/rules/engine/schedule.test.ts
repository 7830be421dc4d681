import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.test-support.js';
import { checkCron, localTime, nextRuns } from './schedule.js';

const from = new Date('2026-03-01T00:00:00Z');

describe('schedules', () => {
  it('previews the next five runs of 03:00 daily in Asia/Shanghai (UTC+8, no DST) as 19:00 UTC the day before', () => {
    const runs = nextRuns('0 3 * * *', 'Asia/Shanghai', 5, from);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-03-01T19:00:00.000Z',
      '2026-03-02T19:00:00.000Z',
      '2026-03-03T19:00:00.000Z',
      '2026-03-04T19:00:00.000Z',
      '2026-03-05T19:00:00.000Z',
    ]);
    expect(runs.map((d) => localTime(d, 'Asia/Shanghai'))[0]).toBe('2026-03-02 03:00:00');
  });

  it('reads the same cron in UTC as 03:00 UTC, and a 6-field cron with seconds', () => {
    expect(nextRuns('0 3 * * *', 'UTC', 2, from).map((d) => d.toISOString())).toEqual(['2026-03-01T03:00:00.000Z', '2026-03-02T03:00:00.000Z']);
    expect(nextRuns('30 0 9 * * 1', 'Asia/Shanghai', 1, from).map((d) => d.toISOString())).toEqual(['2026-03-02T01:00:30.000Z']);
  });

  it('keeps Shanghai wall-clock times across the dates other zones shift their clocks', () => {
    // Europe and the US change clocks in March; Shanghai does not, so 03:00 stays 19:00 UTC.
    const runs = nextRuns('0 3 * * *', 'Asia/Shanghai', 30, new Date('2026-03-05T00:00:00Z'));
    expect(new Set(runs.map((d) => d.toISOString().slice(11)))).toEqual(new Set(['19:00:00.000Z']));
  });

  it.each([
    ['61 * * * *', 'body.trigger.cron'],
    ['@daily', 'body.trigger.cron'],
    ['0 3 * * * 2026 1', 'body.trigger.cron'],
    ['every day', 'body.trigger.cron'],
  ])('refuses the cron %j naming the field', (cron, path) => {
    const error = refusal(() => checkCron(cron, 'Asia/Shanghai', 'body.trigger'));
    expect(error.code).toBe('validation_failed');
    expect(error.details?.[0]?.path).toBe(path);
  });

  it('refuses an unknown timezone naming the field', () => {
    const error = refusal(() => checkCron('0 3 * * *', 'Asia/Beijing', 'body.trigger'));
    expect(error.details?.[0]?.path).toBe('body.trigger.timezone');
  });
});
