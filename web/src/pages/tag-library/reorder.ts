/**
 * The `order` each group needs after dragging `from` onto `to` (larger order lists first, as in
 * WeCom), for a list already sorted for display. Only groups whose order changes are returned, so
 * a drag sends as few updates as it can; orders stay distinct and positive.
 * @example reorder([{ id: 'a', order: 3 }, { id: 'b', order: 2 }, { id: 'c', order: 1 }], 'c', 'a') // c first
 */
export function reorder(groups: readonly { id: string; order: number }[], from: string, to: string): { id: string; order: number }[] {
  const ids = groups.map((g) => g.id);
  const fromIndex = ids.indexOf(from);
  const toIndex = ids.indexOf(to);
  if (fromIndex < 0 || toIndex < 0 || fromIndex === toIndex) return [];
  ids.splice(toIndex, 0, ids.splice(fromIndex, 1)[0]!);
  const current = new Map(groups.map((g) => [g.id, g.order]));
  return ids.map((id, i) => ({ id, order: ids.length - i })).filter((g) => current.get(g.id) !== g.order);
}
