/**
 * Which customers the user has picked on the list: explicit ids (click, shift-click, this page),
 * or "every customer matching the filter" (audience mode), which a batch sends as the audience
 * text rather than as 100k ids. Pure and immutable so the rules are tested without a browser.
 */
export type Selection = { mode: 'ids'; ids: ReadonlySet<string>; anchor: string | null } | { mode: 'audience'; anchor: null };

/** Nothing picked. */
export const emptySelection: Selection = { mode: 'ids', ids: new Set(), anchor: null };

/** Whether a row shows as picked (every row does in audience mode). */
export function isSelected(selection: Selection, id: string): boolean {
  return selection.mode === 'audience' || selection.ids.has(id);
}

/** How many customers a batch would act on: the picked ids, or the whole matching count. */
export function selectedCount(selection: Selection, matching: number): number {
  return selection.mode === 'audience' ? matching : selection.ids.size;
}

/**
 * A plain click: flips the row and makes it the anchor of the next shift-click. In audience mode
 * the user is narrowing "all" by hand, so the loaded rows stay picked except this one.
 */
export function toggle(selection: Selection, id: string, loaded: readonly string[]): Selection {
  const ids = new Set(selection.mode === 'audience' ? loaded : selection.ids);
  if (selection.mode === 'audience' || ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { mode: 'ids', ids, anchor: id };
}

/**
 * A shift-click: picks every row from the anchor (the last clicked row) to this one, in list
 * order, as file managers do; without an anchor (or once it is no longer listed) it is a click.
 */
export function extendTo(selection: Selection, id: string, loaded: readonly string[]): Selection {
  const from = selection.anchor === null ? -1 : loaded.indexOf(selection.anchor);
  const to = loaded.indexOf(id);
  if (selection.mode === 'audience' || from < 0 || to < 0) return toggle(selection, id, loaded);
  const ids = new Set(selection.ids);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i += 1) ids.add(loaded[i]!);
  return { mode: 'ids', ids, anchor: id };
}

/** The header checkbox: picks every loaded row, or unpicks them when all already are. */
export function togglePage(selection: Selection, loaded: readonly string[]): Selection {
  if (selection.mode === 'audience') return emptySelection;
  const allIn = loaded.length > 0 && loaded.every((id) => selection.ids.has(id));
  const ids = new Set(selection.ids);
  for (const id of loaded) {
    if (allIn) ids.delete(id);
    else ids.add(id);
  }
  return { mode: 'ids', ids, anchor: selection.anchor };
}

/** "Select all N matching": the batch will act on the filter itself, however many it matches. */
export function selectAllMatching(): Selection {
  return { mode: 'audience', anchor: null };
}

/** Whether the header checkbox shows checked, partly checked or empty for the loaded rows. */
export function pageState(selection: Selection, loaded: readonly string[]): 'all' | 'some' | 'none' {
  if (selection.mode === 'audience') return loaded.length > 0 ? 'all' : 'none';
  const picked = loaded.filter((id) => selection.ids.has(id)).length;
  return picked === 0 ? 'none' : picked === loaded.length ? 'all' : 'some';
}

/**
 * Where the keyboard is on the list: the focused row, and while Shift+↑/↓ extends a range, what was
 * picked before the range began and the row it began at, so that moving back shrinks the range.
 */
export type Cursor = { focus: string | null; range: { base: Selection; from: string } | null };

/** No row focused yet (the first arrow focuses the first row). */
export const noCursor: Cursor = { focus: null, range: null };

/** A key the list answers: move the focus, toggle the focused row, select all matching, or open it. */
export type ListKey = { name: 'up' | 'down' | 'home' | 'end' | 'space' | 'selectAll' | 'open'; shift: boolean };

/**
 * The list's meaning of a key press (null for any other key): ↑/↓/Home/End move the focus (with
 * Shift they extend the selection), Space toggles, Enter opens, Ctrl/⌘+A selects all matching.
 */
export function listKey(event: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): ListKey | null {
  const shift = event.shiftKey;
  if (event.altKey) return null;
  if (event.ctrlKey || event.metaKey) return event.key.toLowerCase() === 'a' && !shift ? { name: 'selectAll', shift } : null;
  const names: Record<string, ListKey['name']> = { ArrowUp: 'up', ArrowDown: 'down', Home: 'home', End: 'end', ' ': 'space', Enter: 'open' };
  const name = names[event.key];
  return name ? { name, shift } : null;
}

/** The selection and the keyboard cursor, changed together by a key. */
export type KeyState = { selection: Selection; cursor: Cursor };

/**
 * What a key does to the selection and the cursor, in list order of the loaded rows; null when it
 * changes nothing (no rows, or `open`, which the component handles). Shift+↑/↓ picks every row from
 * where the range began to the new focus, as shift-click does, on top of what was picked before it;
 * any other key ends the range. In audience mode (all matching picked) Shift only moves the focus.
 */
export function pressKey(state: KeyState, key: ListKey, loaded: readonly string[]): KeyState | null {
  const { selection, cursor } = state;
  if (key.name === 'selectAll') return { selection: selectAllMatching(), cursor: { focus: cursor.focus, range: null } };
  if (loaded.length === 0 || key.name === 'open') return null;
  const at = cursor.focus === null ? -1 : loaded.indexOf(cursor.focus);
  if (key.name === 'space') return at < 0 ? null : { selection: toggle(selection, loaded[at]!, loaded), cursor: { focus: loaded[at]!, range: null } };
  // Until a row is focused, the first move only puts the focus on the first (or last) row.
  const target = at < 0 ? (key.name === 'up' || key.name === 'end' ? loaded.length - 1 : 0) : nextIndex(key.name, at, loaded.length);
  const focus = loaded[target]!;
  if (!key.shift || at < 0 || selection.mode === 'audience') return { selection, cursor: { focus, range: null } };
  const range = cursor.range ?? { base: selection, from: loaded[at]! };
  return { selection: withRange(range.base, range.from, focus, loaded), cursor: { focus, range } };
}

function nextIndex(name: 'up' | 'down' | 'home' | 'end', at: number, length: number): number {
  if (name === 'home') return 0;
  if (name === 'end') return length - 1;
  return Math.min(length - 1, Math.max(0, at + (name === 'down' ? 1 : -1)));
}

/** `base` plus every loaded row between `from` and `to`, anchored at `to` like a shift-click. */
function withRange(base: Selection, from: string, to: string, loaded: readonly string[]): Selection {
  const start = loaded.indexOf(from);
  const end = loaded.indexOf(to);
  const ids = new Set(base.mode === 'ids' ? base.ids : loaded);
  if (start >= 0 && end >= 0) for (let i = Math.min(start, end); i <= Math.max(start, end); i += 1) ids.add(loaded[i]!);
  return { mode: 'ids', ids, anchor: to };
}
