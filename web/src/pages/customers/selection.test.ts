import { describe, expect, it } from 'vitest';
import { audienceText } from './filter-text.js';
import {
  emptySelection,
  extendTo,
  isSelected,
  type KeyState,
  type ListKey,
  listKey,
  noCursor,
  pageState,
  pressKey,
  type Selection,
  selectAllMatching,
  selectedCount,
  toggle,
  togglePage,
} from './selection.js';

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

describe('keyboard on the customer list', () => {
  const key = (name: ListKey['name'], shift = false): ListKey => ({ name, shift });
  /** Presses the keys in order from nothing picked and no focus, as a user tabbing into the list. */
  const press = (keys: ListKey[], start: KeyState = { selection: emptySelection, cursor: noCursor }) =>
    keys.reduce<KeyState>((state, k) => pressKey(state, k, rows) ?? state, start);

  it('reads arrows, Home/End, Space, Enter and Ctrl/⌘+A; ignores other keys and Alt', () => {
    const ev = (key: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
      listKey({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect(ev('ArrowDown', { shiftKey: true })).toEqual({ name: 'down', shift: true });
    expect(ev(' ')).toEqual({ name: 'space', shift: false });
    expect(ev('a', { ctrlKey: true })).toEqual({ name: 'selectAll', shift: false });
    expect(ev('A', { metaKey: true })).toEqual({ name: 'selectAll', shift: false });
    expect(ev('a')).toBeNull();
    expect(ev('c', { ctrlKey: true })).toBeNull();
    expect(ev('ArrowDown', { altKey: true })).toBeNull();
    expect(ev('Tab')).toBeNull();
  });

  it('the first arrow focuses a row without picking it; ↑/↓ move the focus and stop at the ends', () => {
    expect(press([key('down')])).toEqual({ selection: emptySelection, cursor: { focus: 'c1', range: null } });
    expect(press([key('down'), key('up'), key('up')]).cursor.focus).toBe('c1');
    expect(press([key('end'), key('down')]).cursor.focus).toBe('c6');
    expect(press([key('up')]).cursor.focus).toBe('c6');
  });

  it('Space toggles the focused row and anchors a later shift-click there', () => {
    const s = press([key('down'), key('down'), key('space')]);
    expect(picked(s.selection)).toEqual(['c2']);
    expect(picked(extendTo(s.selection, 'c4', rows))).toEqual(['c2', 'c3', 'c4']);
    expect(picked(press([key('space')], s).selection)).toEqual([]);
    expect(pressKey({ selection: emptySelection, cursor: noCursor }, key('space'), rows)).toBeNull();
  });

  it('Shift+↓ twice from the focused row picks three rows; Shift+↑ shrinks the range back, keeping earlier picks', () => {
    const three = press([key('down'), key('down', true), key('down', true)]);
    expect(picked(three.selection)).toEqual(['c1', 'c2', 'c3']);
    expect(selectedCount(three.selection, 5000)).toBe(3);
    const earlier = press([key('end'), key('space'), key('home')]);
    const shrunk = press([key('down', true), key('down', true), key('up', true)], earlier);
    expect(picked(shrunk.selection)).toEqual(['c1', 'c2', 'c6']);
    // Upwards works the same way: the range runs from the row it began at up to the focus.
    expect(picked(press([key('down'), key('down'), key('down'), key('up', true), key('up', true)]).selection)).toEqual(['c1', 'c2', 'c3']);
  });

  it('a plain move ends the range: the next Shift+↓ starts from the new focus', () => {
    const s = press([key('down'), key('down', true), key('down'), key('down'), key('down', true)]);
    expect(picked(s.selection)).toEqual(['c1', 'c2', 'c4', 'c5']);
  });

  it('Ctrl/⌘+A selects all matching; Shift then only moves the focus; Space narrows it by the focused row', () => {
    const all = press([key('down'), key('selectAll')]);
    expect(all.selection.mode).toBe('audience');
    expect(selectedCount(all.selection, 4321)).toBe(4321);
    const moved = press([key('down', true)], all);
    expect(moved.selection.mode).toBe('audience');
    expect(moved.cursor.focus).toBe('c2');
    expect(picked(press([key('space')], moved).selection)).toEqual(['c1', 'c3', 'c4', 'c5', 'c6']);
  });

  it('with no rows loaded, keys change nothing; Enter is left to the list (it opens the customer)', () => {
    expect(pressKey({ selection: emptySelection, cursor: noCursor }, key('down'), [])).toBeNull();
    expect(pressKey({ selection: emptySelection, cursor: { focus: 'c1', range: null } }, key('open'), rows)).toBeNull();
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
    expect(originParts({ ...base, origin: { source: 'batch', by: 'user:zhang', byName: '张三', operationId: 'op1', operationKind: 'batch', at } })).toEqual({
      by: '张三',
      source: 'batch',
      operationKind: 'batch',
      operationId: 'op1',
      at,
    });
    expect(originParts({ ...base, origin: { source: 'rule', by: 'system:smart-groups', byName: null, operationId: null, operationKind: null, at } }).by).toBe(
      'system:smart-groups',
    );
    expect(originParts(base)).toEqual({ by: null, source: null, operationKind: null, operationId: null, at: null });
  });
});
