/** A department as the depth-first list gives it. */
type Dept = { deptId: number; name: string; parentId: number };

/** A node of antd's Tree / TreeSelect: key, title, children. */
export type DeptNode = { key: number; value: number; title: string; children: DeptNode[]; disabled?: boolean };

/**
 * The server's depth-first department list as a nested tree for antd's Tree and TreeSelect. A
 * department whose parent is outside the list (not in the caller's reach) becomes a root.
 * `disabledIds` marks nodes that may not be picked (a department and its subtree when moving it).
 */
export function toDeptTree(departments: readonly Dept[], disabledIds: ReadonlySet<number> = new Set()): DeptNode[] {
  const nodes = new Map<number, DeptNode>();
  for (const d of departments)
    nodes.set(d.deptId, { key: d.deptId, value: d.deptId, title: d.name, children: [], ...(disabledIds.has(d.deptId) ? { disabled: true } : {}) });
  const roots: DeptNode[] = [];
  for (const d of departments) {
    const node = nodes.get(d.deptId)!;
    const parent = nodes.get(d.parentId);
    if (parent && d.parentId !== d.deptId) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** A department and every department below it: where it may not be moved to. */
export function subtreeIds(departments: readonly Dept[], deptId: number): Set<number> {
  const ids = new Set([deptId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) if (!ids.has(d.deptId) && ids.has(d.parentId)) ids.add(d.deptId), (grew = true);
  }
  return ids;
}
