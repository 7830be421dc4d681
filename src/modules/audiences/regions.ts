/** A department as region lookups need it: its parent and its own region (null or '' = inherit). */
export type DepartmentRegion = { parentId: number; region: string | null };

/**
 * A department's region: its own, else its nearest ancestor's (as the console shows it). The index,
 * the SQL facts loader and the tests share this one rule; the depth bound only guards against a
 * corrupt, cyclic tree.
 */
export function effectiveRegionOf(departments: ReadonlyMap<number, DepartmentRegion>, deptId: number): string | null {
  let id = deptId;
  for (let depth = 0; depth < 64; depth += 1) {
    const dept = departments.get(id);
    if (!dept) return null;
    if (dept.region) return dept.region;
    id = dept.parentId;
  }
  return null;
}
