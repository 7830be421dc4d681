import type { Funnel } from '../../../../contracts/moments.js';

/** A funnel with nobody in it: a tag or variant no delivery reached. */
export const emptyFunnel: Funnel = { targeted: 0, delivered: 0, viewed: 0, liked: 0, commented: 0, clicked: 0, notInterested: 0, converted: 0 };

/** `n / d` rounded to 4 decimals, 0 when there is no denominator (a post nobody received converts at 0, not NaN). */
export function ratio(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((n / d) * 10_000) / 10_000;
}

/**
 * The rates the console charts: `delivered` over targeted, every later step over delivered, and
 * `conversion` = converted / viewed (an order is only attributed after a view).
 * @example funnelRates({ ...emptyFunnel, targeted: 4, delivered: 2, viewed: 1, converted: 1 }) // { delivered: 0.5, viewed: 0.5, …, conversion: 1 }
 */
export function funnelRates(f: Funnel): Record<string, number> {
  return {
    delivered: ratio(f.delivered, f.targeted),
    viewed: ratio(f.viewed, f.delivered),
    liked: ratio(f.liked, f.delivered),
    commented: ratio(f.commented, f.delivered),
    clicked: ratio(f.clicked, f.delivered),
    notInterested: ratio(f.notInterested, f.delivered),
    converted: ratio(f.converted, f.delivered),
    conversion: ratio(f.converted, f.viewed),
  };
}

/** Adds funnels step by step (posts of a cohort or a week). */
export function addFunnels(a: Funnel, b: Funnel): Funnel {
  return {
    targeted: a.targeted + b.targeted,
    delivered: a.delivered + b.delivered,
    viewed: a.viewed + b.viewed,
    liked: a.liked + b.liked,
    commented: a.commented + b.commented,
    clicked: a.clicked + b.clicked,
    notInterested: a.notInterested + b.notInterested,
    converted: a.converted + b.converted,
  };
}
