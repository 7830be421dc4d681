import type { Funnel } from '../../../../contracts/moments.js';
import { addFunnels, emptyFunnel, ratio } from './funnel-rates.js';
import type { PostFunnel } from './moments-summary.queries.js';
import { shanghaiWeekStart, shanghaiWeeks } from './shanghai-weeks.js';

/** Posts of one kind (targeted or broadcast) added up, and their conversion rate (converted / delivered). */
export type Cohort = { posts: number; funnel: Funnel; conversionRate: number };

/** The corp-level summary before it is written as JSON (`MomentsSummary` without the period). */
export type SummaryTotals = {
  posts: number;
  funnel: Funnel;
  targeted: Cohort;
  broadcast: Cohort;
  lift: number | null;
  weeks: { weekStart: number; targetedRate: number | null; broadcastRate: number | null }[];
};

function cohort(posts: PostFunnel[]): Cohort {
  const funnel = posts.reduce((sum, p) => addFunnels(sum, p.funnel), emptyFunnel);
  return { posts: posts.length, funnel, conversionRate: ratio(funnel.converted, funnel.delivered) };
}

/** A cohort's rate, or null when none of its posts reached anyone (no rate is not a rate of 0). */
function rateOrNull(posts: PostFunnel[]): number | null {
  const { funnel } = cohort(posts);
  return funnel.delivered === 0 ? null : ratio(funnel.converted, funnel.delivered);
}

/**
 * Targeted posts against broadcast posts over a period: totals, each cohort's conversion rate,
 * `lift` = targeted rate / broadcast rate (null when either cohort delivered nothing or broadcast
 * posts converted nobody: there is nothing to compare with), and both rates per Monday week in Asia/Shanghai.
 * @example summarize(posts, from, to).lift // 2 when targeted posts convert twice as well
 */
export function summarize(posts: PostFunnel[], from: number, to: number): SummaryTotals {
  const targeted = posts.filter((p) => p.targeted);
  const broadcast = posts.filter((p) => !p.targeted);
  const t = cohort(targeted);
  const b = cohort(broadcast);
  const comparable = t.funnel.delivered > 0 && b.funnel.delivered > 0 && b.funnel.converted > 0;
  // From the exact rates, not the rounded ones, so 2× reads 2 and not 2.0004.
  const lift = comparable ? ratio(t.funnel.converted * b.funnel.delivered, t.funnel.delivered * b.funnel.converted) : null;
  const weekOf = (p: PostFunnel) => shanghaiWeekStart(p.at);
  return {
    posts: posts.length,
    funnel: addFunnels(t.funnel, b.funnel),
    targeted: t,
    broadcast: b,
    lift,
    weeks: shanghaiWeeks(from, to).map((weekStart) => ({
      weekStart,
      targetedRate: rateOrNull(targeted.filter((p) => weekOf(p) === weekStart)),
      broadcastRate: rateOrNull(broadcast.filter((p) => weekOf(p) === weekStart)),
    })),
  };
}
