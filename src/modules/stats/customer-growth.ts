import { defaultUtcOffsetMinutes } from '../../../contracts/audience-expression/time.js';
import type { Ctx } from '../../context.js';
import { and, andNot, count, or } from '../audiences/index/bitmaps.js';
import { timeRange } from '../audiences/index/corp-index.js';
import type { AudienceCatalog } from '../audiences/service/catalog.js';
import type { AudienceEngine } from '../audiences/service/engine.js';
import { reachBitmap } from '../audiences/service/evaluate-audience.js';
import { calendarDays } from './calendar-days.js';

/** New customers per day within the caller's data scope (the `CustomerGrowth` contract). */
export type CustomerGrowthResult = { days: { date: string; customers: number }[]; newCustomers: number; visibleCustomers: number };

/**
 * New customers per calendar day over the last `days` days, by first add time: a customer is new
 * on a day when one of their relations was added that day and none before it. Answered from the
 * index's add-time column one day at a time, carrying "added before" forward, so no per-customer
 * minimum is ever computed.
 */
export async function customerGrowth(engine: AudienceEngine, ctx: Ctx, catalog: AudienceCatalog, days: number): Promise<CustomerGrowthResult> {
  const calendar = calendarDays(catalog.eval.now.getTime(), days, catalog.eval.utcOffsetMinutes ?? defaultUtcOffsetMinutes);
  const index = await engine.current(ctx.corpId);
  const visible = reachBitmap(index, catalog) ?? index.universe;
  let before = timeRange(index, 'addTime', undefined, calendar[0]!.start);
  const counted = calendar.map((day) => {
    const added = timeRange(index, 'addTime', day.start, day.end);
    const customers = count(and(andNot(added, before), visible));
    before = or(before, added);
    return { date: day.date, customers };
  });
  return { days: counted, newCustomers: counted.reduce((sum, d) => sum + d.customers, 0), visibleCustomers: count(visible) };
}
