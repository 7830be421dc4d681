import { describe, expect, it } from 'vitest';
import { reorder } from '../pages/tag-library/reorder.js';
import { firstCharacters } from './graphemes.js';
import { rankTargets, type Searchable } from './quick-jump-match.js';

const target = (label: string, initials: string, kind: Searchable['kind'] = 'tag'): Searchable => ({
  key: label,
  label,
  kind,
  path: `/x/${label}`,
  haystack: label.toLowerCase(),
  initials,
});

describe('quick jump ranking', () => {
  const targets = [
    target('客户标签', 'khbq', 'page'),
    target('购买意向', 'gmyx', 'group'),
    target('高意向', 'gyx'),
    target('中意向', 'zyx'),
    target('VIP客户', 'vipkh'),
  ];

  it('puts names that start with the text first, then names containing it, then pinyin initials', () => {
    expect(rankTargets(targets, '意向').map((t) => t.label)).toEqual(['高意向', '中意向', '购买意向']);
    expect(rankTargets(targets, 'gmyx').map((t) => t.label)).toEqual(['购买意向']);
    expect(rankTargets(targets, 'yx').map((t) => t.label)).toEqual(['高意向', '中意向', '购买意向']);
    expect(rankTargets(targets, ' vip ').map((t) => t.label)).toEqual(['VIP客户']);
  });

  it('lists the pages for an empty query and nothing for a query that matches nothing', () => {
    expect(rankTargets(targets, '').map((t) => t.kind)).toEqual(['page']);
    expect(rankTargets(targets, '无此标签')).toEqual([]);
  });
});

describe('cutting a name at its limit', () => {
  it('counts as the server does: a flag, a family emoji and an accented letter are one character each', () => {
    expect(firstCharacters('🇨🇳👨‍👩‍👧e\u0301abc', 3)).toBe('🇨🇳👨‍👩‍👧e\u0301');
    expect(firstCharacters('一二三', 16)).toBe('一二三');
    expect(firstCharacters('一二三', 0)).toBe('');
  });
});

describe('reordering groups by drag', () => {
  const groups = [
    { id: 'a', order: 30 },
    { id: 'b', order: 20 },
    { id: 'c', order: 10 },
  ];

  it('moves the dragged group to the drop target’s place, larger order first, sending only changed orders', () => {
    expect(reorder(groups, 'c', 'a')).toEqual([
      { id: 'c', order: 3 },
      { id: 'a', order: 2 },
      { id: 'b', order: 1 },
    ]);
    expect(
      reorder(
        [
          { id: 'a', order: 3 },
          { id: 'b', order: 2 },
          { id: 'c', order: 1 },
        ],
        'a',
        'b',
      ),
    ).toEqual([
      { id: 'b', order: 3 },
      { id: 'a', order: 2 },
    ]);
  });

  it('does nothing for a drop on itself or an unknown group', () => {
    expect(reorder(groups, 'a', 'a')).toEqual([]);
    expect(reorder(groups, 'x', 'a')).toEqual([]);
  });
});
