/** A permission as the registry lists it: its name and what it needs granted beside it. */
type Registered = { permission: string; dependsOn: string[] };

/** The matrix's row groups, in the order a WeCom admin reads them: tags, customers, rules, administration. */
export const permissionAreas = ['tags', 'customers', 'rules', 'admin', 'other'] as const;
/** One area of the matrix. */
export type PermissionArea = (typeof permissionAreas)[number];

const areaOfResource: Record<string, PermissionArea> = {
  tagGroup: 'tags',
  tag: 'tags',
  personalTag: 'tags',
  customer: 'customers',
  audience: 'customers',
  customerEvent: 'customers',
  moment: 'customers',
  rule: 'rules',
  strategy: 'rules',
  role: 'admin',
  org: 'admin',
  corp: 'admin',
  audit: 'admin',
};

/**
 * The area a `resource.action` permission belongs to, by its resource; a permission the server adds
 * later still shows, under "other", so the matrix never hides a right.
 */
export function areaOf(permission: string): PermissionArea {
  return areaOfResource[permission.split('.')[0] ?? ''] ?? 'other';
}

/** The registry grouped by area (areas in matrix order, permissions in registry order), empty areas left out. */
export function groupByArea<P extends Registered>(registry: readonly P[]): { area: PermissionArea; permissions: P[] }[] {
  return permissionAreas.map((area) => ({ area, permissions: registry.filter((p) => areaOf(p.permission) === area) })).filter((g) => g.permissions.length > 0);
}

/**
 * A role's permissions after ticking or unticking one box, kept a sound set as the server demands:
 * granting adds what it depends on (transitively), revoking also revokes whatever depends on it.
 * The result keeps registry order so a PATCH body reads like the matrix.
 */
export function togglePermission(registry: readonly Registered[], granted: readonly string[], permission: string, on: boolean): string[] {
  const next = new Set(granted);
  if (on) {
    const stack = [permission];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (next.has(p)) continue;
      next.add(p);
      stack.push(...(registry.find((r) => r.permission === p)?.dependsOn ?? []));
    }
  } else {
    const stack = [permission];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (!next.delete(p)) continue;
      stack.push(...registry.filter((r) => r.dependsOn.includes(p)).map((r) => r.permission));
    }
  }
  const order = registry.map((r) => r.permission);
  return [...next].sort((a, b) => (order.indexOf(a) === -1 ? 1e9 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 1e9 : order.indexOf(b)));
}
