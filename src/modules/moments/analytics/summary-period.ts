import { AppError } from '../../../errors.js';

const dayMs = 86_400_000;
/** The period of a summary when none is given: the last 30 days. */
export const defaultPeriodDays = 30;
/** The longest period one summary covers: a year and a day, so a leap year fits. */
export const maxPeriodDays = 366;

/**
 * The summary's period `[from, to)` from the query: `to` defaults to now and `from` to 30 days
 * before `to`. A period that ends before it starts, or spans more than 366 days, is refused
 * naming `query.from`, so a typo never runs a scan of the corp's whole history.
 */
export function summaryPeriod(query: { from?: string; to?: string }, now: number): { from: Date; to: Date } {
  const to = query.to ? Date.parse(query.to) : now;
  const from = query.from ? Date.parse(query.from) : to - defaultPeriodDays * dayMs;
  if (from >= to)
    throw new AppError('validation_failed', { message: 'The period ends before it starts.', details: [{ path: 'query.from', message: 'must be before to' }] });
  if (to - from > maxPeriodDays * dayMs)
    throw new AppError('validation_failed', {
      message: `The period is longer than ${maxPeriodDays} days.`,
      details: [{ path: 'query.from', message: `at most ${maxPeriodDays} days before to` }],
    });
  return { from: new Date(from), to: new Date(to) };
}
