import type { TagStatsDto } from '../../api/stats.js';

/** One bar of the tag chart: a tag of the group, or the customers with none of its tags. */
export type TagBar = { key: string; kind: 'tag' | 'none'; name: string; customers: number };

/**
 * The bars of a group's chart, in the group's order, then "none of them" last, so the chart, its
 * table and its spoken summary list the same things in the same order.
 */
export function tagBars(stats: TagStatsDto, noneLabel: string): TagBar[] {
  return [...stats.tags.map((t): TagBar => ({ key: t.tagId, kind: 'tag', name: t.name, customers: t.customers })), { key: 'none', kind: 'none', name: noneLabel, customers: stats.withoutGroupTags }];
}

/** A name as a string literal of the audience text syntax. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The audience text 客户列表 filters by for a bar: its tag, named with the group so a name used in
 * two groups is not ambiguous, or "none of the group's tags".
 * @example customersOfBar({ key: 'et1', kind: 'tag', name: 'A级', customers: 3 }, '客户等级') // 'tag:"客户等级/A级"'
 */
export function customersOfBar(bar: TagBar, groupName: string): string {
  return bar.kind === 'none' ? `not group:${quoted(groupName)}:any` : `tag:${quoted(`${groupName}/${bar.name}`)}`;
}

/** The day with the most new customers (the first such day), or undefined when there were none. */
export function busiestDay(days: readonly { date: string; customers: number }[]): { date: string; customers: number } | undefined {
  return days.reduce<{ date: string; customers: number } | undefined>((best, d) => (d.customers > (best?.customers ?? 0) ? d : best), undefined);
}
