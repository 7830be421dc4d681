import type { z } from 'zod';
import type { PermissionRegistry, Role } from '../../../contracts/roles.js';
import { allPermissions, permissions } from '../../policies/index.js';
import type { RoleView } from './roles.queries.js';

/** A role for the console's role editor. */
export function presentRole(r: RoleView): z.infer<typeof Role> {
  return {
    roleId: r.roleId,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    dataScope: r.dataScope,
    builtIn: r.builtIn,
    customized: r.customized,
  };
}

/** The permission registry in order, with descriptions and dependencies. */
export function presentPermissionRegistry(): z.infer<typeof PermissionRegistry> {
  return { permissions: allPermissions.map((p) => ({ permission: p, description: permissions[p].description, dependsOn: [...permissions[p].dependsOn] })) };
}
