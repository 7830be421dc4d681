import type { TagStatsDto } from '../../api/stats.js';
import { audienceText } from '../customers/filter-text.js';

/** One bar of the tag chart: a tag of the group, or the customers with none of its tags. */
export type TagBar = { key: string; kind: 'tag' | 'none'; name: string; customers: number };

/**
 * The bars of a group's chart, in the group's order, then "none of them" last, so the chart, its
 * table and its spoken summary list the same things in the same order.
 */
export function tagBars(stats: TagStatsDto, noneLabel: string): TagBar[] {
  return [
    ...stats.tags.map((t): TagBar => ({ key: t.tagId, kind: 'tag', name: t.name, customers: t.customers })),
    { key: 'none', kind: 'none', name: noneLabel, customers: stats.withoutGroupTags },
  ];
}

/**
 * The audience text 客户列表 filters by for a bar: its tag, named with the group so a name used in
 * two groups is not ambiguous, or none of the group's tags (`bars` are all of the chart's bars).
 * @example customersOfBar(bars[0], bars, '客户等级') // '(tag:"客户等级/A级")'
 */
export function customersOfBar(bar: TagBar, bars: readonly TagBar[], groupName: string): string {
  const named = (of: readonly TagBar[]) =>
    audienceText(
      of.map((b) => ({ name: b.name, groupName, personal: false })),
      '',
    ) ?? '';
  return bar.kind === 'none' ? `not ${named(bars.filter((b) => b.kind === 'tag'))}` : named([bar]);
}

/** The day with the most new customers (the first such day), or undefined when there were none. */
export function busiestDay(days: readonly { date: string; customers: number }[]): { date: string; customers: number } | undefined {
  return days.reduce<{ date: string; customers: number } | undefined>((best, d) => (d.customers > (best?.customers ?? 0) ? d : best), undefined);
}
