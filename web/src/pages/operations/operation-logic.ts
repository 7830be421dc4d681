import type { UndoConflict } from '../../../../contracts/undo.js';

/**
 * The counts an operation's result carries, in a stable order (the known ones first), for the
 * list and the detail: `added`, `removed`, then e.g. an import's `rows` and `customersCreated`.
 * Lists (the conflicts) and nested objects are shown elsewhere.
 */
export function resultCounts(result: Record<string, unknown> | null): [string, number][] {
  if (!result) return [];
  const first = ['added', 'removed', 'conflictCount', 'rows', 'customersCreated', 'relationsCreated', 'tagsCreated', 'relations', 'unchanged', 'outOfRange'];
  const entries = Object.entries(result).filter((e): e is [string, number] => typeof e[1] === 'number');
  const rank = (key: string) => (first.includes(key) ? first.indexOf(key) : first.length);
  return entries.sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

/** The conflicts an undo or redo stored in its result (a list of at most 1,000), else none. */
export function conflictsOf(result: Record<string, unknown> | null): UndoConflict[] {
  const list = result?.conflicts;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is UndoConflict =>
      typeof c === 'object' && c !== null && typeof (c as UndoConflict).tagId === 'string' && typeof (c as UndoConflict).reason === 'string',
  );
}

/**
 * Who did it, for a person to read: the employee's name when the server knows it, else
 * `user:zhangsan` → `zhangsan`; apps and the system keep their prefix.
 */
export function actorText(label: string, name: string | null = null): string {
  if (name) return name;
  return label.startsWith('user:') ? label.slice(5) : label;
}
