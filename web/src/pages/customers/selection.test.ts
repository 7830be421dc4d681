import { describe, expect, it } from 'vitest';
import { audienceText } from './filter-text.js';
import { emptySelection, extendTo, isSelected, pageState, selectAllMatching, selectedCount, toggle, togglePage, type Selection } from './selection.js';

const rows = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
const picked = (s: Selection) => rows.filter((id) => isSelected(s, id));

describe('customer list selection', () => {
  it('toggles a row on a click and off on a second click', () => {
    const one = toggle(emptySelection, 'c2', rows);
    expect(picked(one)).toEqual(['c2']);
    expect(selectedCount(one, 5000)).toBe(1);
    expect(picked(toggle(one, 'c2', rows))).toEqual([]);
  });

  it('shift-click picks the range from the last clicked row, in either direction, keeping earlier picks', () => {
    let s = toggle(emptySelection, 'c1', rows);
    s = toggle(s, 'c3', rows);
    s = extendTo(s, 'c5', rows);
    expect(picked(s)).toEqual(['c1', 'c3', 'c4', 'c5']);
    s = extendTo(toggle(s, 'c6', rows), 'c2', rows);
    expect(picked(s)).toEqual(rows);
    expect(selectedCount(s, 5000)).toBe(6);
  });

  it('shift-click without an anchor acts as a click', () => {
    expect(picked(extendTo(emptySelection, 'c4', rows))).toEqual(['c4']);
  });

  it('the header box picks the loaded rows, then unpicks them, and reports some/all/none', () => {
    const some = toggle(emptySelection, 'c1', rows);
    expect(pageState(some, rows)).toBe('some');
    const all = togglePage(some, rows);
    expect(pageState(all, rows)).toBe('all');
    expect(pageState(togglePage(all, rows), rows)).toBe('none');
  });

  it('"select all N matching" counts the whole audience, and a click narrows it to the loaded rows but one', () => {
    const all = selectAllMatching();
    expect(selectedCount(all, 4321)).toBe(4321);
    expect(pageState(all, rows)).toBe('all');
    const narrowed = toggle(all, 'c3', rows);
    expect(narrowed.mode).toBe('ids');
    expect(picked(narrowed)).toEqual(['c1', 'c2', 'c4', 'c5', 'c6']);
    expect(togglePage(all, rows)).toEqual(emptySelection);
  });
});

describe('filter bar → audience text', () => {
  it('is nothing without a filter, the text alone, or any picked tag AND the text', () => {
    expect(audienceText([], '  ')).toBeUndefined();
    expect(audienceText([], 'region:华东')).toBe('region:华东');
    const a = { name: 'A级', groupName: '客户等级', personal: false };
    const mine = { name: '老"朋友', groupName: '', personal: true };
    expect(audienceText([a], '')).toBe('(tag:"客户等级/A级")');
    expect(audienceText([a, mine], 'region:华东')).toBe('(tag:"客户等级/A级" or tag:"老\\"朋友") and (region:华东)');
  });
});

describe('what a batch sends', () => {
  it('sends the picked ids, or in audience mode the audience text (everyone when unfiltered), never 100k ids', async () => {
    const { batchSelection } = await import('./batch-selection.js');
    expect(batchSelection(toggle(emptySelection, 'c1', rows), 'tag:A级')).toEqual({ externalUserids: ['c1'] });
    expect(batchSelection(selectAllMatching(), 'tag:A级')).toEqual({ text: 'tag:A级' });
    expect(batchSelection(selectAllMatching(), undefined)).toEqual({ everyone: true });
  });
});

describe('quick jump with customers', () => {
  it('lists local matches first, then the customers the server found, opening the customer’s detail', async () => {
    const { withCustomers } = await import('../../components/quick-jump-match.js');
    const local = Array.from({ length: 30 }, (_, i) => ({ key: `t${i}`, label: `标签${i}`, kind: 'tag' as const, path: `/tags?tag=${i}` }));
    const found = withCustomers(local, [{ externalUserid: 'wm 1', name: '张三', corpName: '某公司' }]);
    expect(found).toHaveLength(20);
    expect(found.at(-1)).toEqual({ key: 'c:wm 1', label: '张三', kind: 'customer', path: '/customers?customer=wm%201', hint: '某公司' });
    expect(withCustomers(local.slice(0, 2), []).map((t) => t.key)).toEqual(['t0', 't1']);
  });
});

describe('tag origin line', () => {
  it('names the employee, else the actor label; the operation when there is one; nulls for a mark without origin', async () => {
    const { originParts } = await import('./tag-origin.js');
    const base = { tagId: 't', name: 'A级', groupId: 'g', groupName: '客户等级', type: 'corp' as const };
    const at = '2026-12-06T10:00:00.000Z';
    expect(originParts({ ...base, origin: { source: 'batch', by: 'user:zhang', byName: '张三', operationId: 'op1', operationKind: 'batch', at } })).toEqual({ by: '张三', source: 'batch', operationKind: 'batch', operationId: 'op1', at });
    expect(originParts({ ...base, origin: { source: 'rule', by: 'system:smart-groups', byName: null, operationId: null, operationKind: null, at } }).by).toBe('system:smart-groups');
    expect(originParts(base)).toEqual({ by: null, source: null, operationKind: null, operationId: null, at: null });
  });
});
