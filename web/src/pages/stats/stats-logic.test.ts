import { describe, expect, it } from 'vitest';
import { busiestDay, customersOfBar, tagBars } from './stats-logic.js';

describe('statistics page logic', () => {
  const stats = {
    groupId: 'g',
    groupName: '客户等级',
    tags: [
      { tagId: 'a', name: 'A级', customers: 3 },
      { tagId: 'b', name: 'B"级', customers: 0 },
    ],
    withoutGroupTags: 5,
    visibleCustomers: 8,
  };

  it('lists the group’s tags in order with “none of them” last', () => {
    expect(tagBars(stats, '无本组标签').map((b) => [b.name, b.customers])).toEqual([
      ['A级', 3],
      ['B"级', 0],
      ['无本组标签', 5],
    ]);
  });

  it('filters the customer list by the clicked bar, quoting names the audience syntax would misread', () => {
    const bars = tagBars(stats, '无本组标签');
    const [a, b, none] = bars;
    expect(customersOfBar(a!, bars, stats.groupName)).toBe('(tag:"客户等级/A级")');
    expect(customersOfBar(b!, bars, stats.groupName)).toBe('(tag:"客户等级/B\\"级")');
    expect(customersOfBar(none!, bars, stats.groupName)).toBe('not (tag:"客户等级/A级" or tag:"客户等级/B\\"级")');
  });

  it('names the busiest day, the first of a tie, and none when nobody was added', () => {
    expect(
      busiestDay([
        { date: 'd1', customers: 1 },
        { date: 'd2', customers: 4 },
        { date: 'd3', customers: 4 },
      ]),
    ).toEqual({ date: 'd2', customers: 4 });
    expect(busiestDay([{ date: 'd1', customers: 0 }])).toBeUndefined();
  });
});
