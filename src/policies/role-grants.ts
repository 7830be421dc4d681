import type { ErrorDetail } from '../errors.js';
import type { Policy } from './engine.js';
import { type Permission, permissions } from './registry.js';
import type { DataScope } from './roles.js';

const scopeRank: Record<DataScope, number> = { own: 0, department: 1, region: 2, corp: 3 };

function isPermission(name: string): name is Permission {
  return Object.hasOwn(permissions, name);
}

/**
 * What is wrong with a role's permission list: names not in the registry, and permissions granted
 * without the ones they depend on (each missing dependency named once). Empty when it is sound.
 */
export function permissionProblems(names: readonly string[], path: string): ErrorDetail[] {
  const granted = new Set(names);
  const problems: ErrorDetail[] = names.flatMap((name, i) =>
    isPermission(name) ? [] : [{ path: `${path}.${i}`, code: 'unknown_permission', message: `no permission "${name}"` }],
  );
  const missing = new Map<string, string[]>();
  for (const name of names) {
    if (!isPermission(name)) continue;
    for (const dep of permissions[name].dependsOn as readonly string[]) if (!granted.has(dep)) missing.set(dep, [...(missing.get(dep) ?? []), name]);
  }
  for (const [dep, by] of missing)
    problems.push({ path, code: 'missing_dependency', missing: dep, requiredBy: by, message: `"${dep}" is required by ${by.map((b) => `"${b}"`).join(', ')}` });
  return problems;
}

/**
 * Whether the actor may give someone this role, or manage someone who holds it. Holders of
 * `role.manage` may; anyone else (say an HR role with `org.manage`) only for roles no stronger than
 * their own, in permissions and data scope, so nobody can promote themselves or take over an admin.
 */
export function mayAssignRole(policy: Policy, target: { permissions: readonly string[]; dataScope: DataScope }, actorScope: DataScope): boolean {
  if (policy.can('role.manage')) return true;
  if (scopeRank[target.dataScope] > scopeRank[actorScope]) return false;
  return target.permissions.every((p) => isPermission(p) && policy.can(p));
}
