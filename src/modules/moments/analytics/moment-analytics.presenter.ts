import type { z } from 'zod';
import type { MomentAnalytics, MomentsSummary } from '../../../../contracts/moments.js';
import { funnelRates } from './funnel-rates.js';
import type { MomentFunnels } from './moment-analytics.queries.js';
import type { SummaryTotals } from './moments-summary.js';

/** A post's analytics as the API shows them: each funnel with its rates. */
export function presentMomentAnalytics(f: MomentFunnels): z.infer<typeof MomentAnalytics> {
  return {
    momentId: f.momentId,
    funnel: f.funnel,
    rates: funnelRates(f.funnel),
    byTag: f.byTag.map((t) => ({ ...t, rates: funnelRates(t.funnel) })),
    byVariant: f.byVariant.map((v) => ({ ...v, rates: funnelRates(v.funnel) })),
    attributionDays: f.attributionDays,
  };
}

/** The corp summary as the API shows it: the period and week starts as ISO timestamps. */
export function presentMomentsSummary(s: SummaryTotals, from: Date, to: Date): z.infer<typeof MomentsSummary> {
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    posts: s.posts,
    funnel: s.funnel,
    targeted: s.targeted,
    broadcast: s.broadcast,
    lift: s.lift,
    weeks: s.weeks.map((w) => ({ weekStart: new Date(w.weekStart).toISOString(), targetedRate: w.targetedRate, broadcastRate: w.broadcastRate })),
  };
}
