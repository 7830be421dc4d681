/**
 * Which customers the user has picked on the list: explicit ids (click, shift-click, this page),
 * or "every customer matching the filter" (audience mode), which a batch sends as the audience
 * text rather than as 100k ids. Pure and immutable so the rules are tested without a browser.
 */
export type Selection =
  | { mode: 'ids'; ids: ReadonlySet<string>; anchor: string | null }
  | { mode: 'audience'; anchor: null };

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
