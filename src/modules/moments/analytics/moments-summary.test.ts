import { describe, expect, it } from 'vitest';
import type { Funnel } from '../../../../contracts/moments.js';
import { emptyFunnel, funnelRates } from './funnel-rates.js';
import { summarize } from './moments-summary.js';

const funnel = (delivered: number, converted: number, viewed = converted): Funnel => ({ ...emptyFunnel, targeted: delivered, delivered, viewed, converted });
const post = (targeted: boolean, delivered: number, converted: number, at = Date.parse('2026-11-03T00:00:00Z')) => ({
  momentId: `mo${Math.random()}`,
  targeted,
  at,
  funnel: funnel(delivered, converted),
});
const period = [Date.parse('2026-11-01T16:00:00Z'), Date.parse('2026-11-08T16:00:00Z')] as const;

describe('targeted against broadcast', () => {
  it.each([
    ['twice the broadcast rate', [post(true, 6, 3), post(false, 8, 2)], 2],
    ['the same rate', [post(true, 4, 1), post(false, 8, 2)], 1],
    ['a third of it, rounded to 4 decimals', [post(true, 9, 1), post(false, 3, 1)], 0.3333],
    ['no broadcast post: nothing to compare with', [post(true, 4, 1)], null],
    ['broadcast posts that reached nobody', [post(true, 4, 1), post(false, 0, 0)], null],
    ['broadcast posts that converted nobody', [post(true, 4, 1), post(false, 4, 0)], null],
    ['targeted posts that reached nobody', [post(true, 0, 0), post(false, 4, 1)], null],
    ['targeted posts that converted nobody', [post(true, 4, 0), post(false, 4, 1)], 0],
  ])('lift with %s', (_, posts, lift) => {
    expect(summarize(posts, ...period).lift).toBe(lift);
  });

  it('gives a week without posts of a kind no rate, rather than a rate of 0', () => {
    const s = summarize([post(true, 4, 0)], ...period);
    expect(s.weeks).toEqual([{ weekStart: period[0], targetedRate: 0, broadcastRate: null }]);
    expect(s.broadcast).toEqual({ posts: 0, funnel: emptyFunnel, conversionRate: 0 });
  });
});

describe('funnel rates', () => {
  it('puts delivered over targeted, the later steps over delivered and conversion over viewed; 0 without a denominator', () => {
    expect(funnelRates({ targeted: 8, delivered: 4, viewed: 3, liked: 2, commented: 1, clicked: 1, notInterested: 1, converted: 1 })).toEqual({
      delivered: 0.5,
      viewed: 0.75,
      liked: 0.5,
      commented: 0.25,
      clicked: 0.25,
      notInterested: 0.25,
      converted: 0.25,
      conversion: 0.3333,
    });
    expect(Object.values(funnelRates(emptyFunnel))).toEqual(Array(8).fill(0));
  });
});
