import type { Actor } from '../context.js';
import { AppError } from '../errors.js';
import type { Permission } from './registry.js';
import { appPermissions, builtInRoles } from './roles.js';

/** A row a permission is checked against; the scope predicates read only these fields. */
export type PolicyResource =
  | { type: 'follow'; userid: string }
  | { type: 'personalTag'; ownerUserid: string }
  | { type: 'corp' };

function grants(actor: Actor): readonly Permission[] {
  if (actor.kind === 'employee') return builtInRoles[actor.role] ?? [];
  return appPermissions;
}

function inScope(actor: Actor, permission: Permission, resource: PolicyResource): boolean {
  if (resource.type === 'personalTag') {
    // Personal tags are their owner's alone: no role, app or system actor reaches them.
    return actor.kind === 'employee' && actor.userid === resource.ownerUserid;
  }
  if (resource.type === 'follow' && actor.kind === 'employee') {
    // Staff tag only the customers they follow; managers and admins reach the whole corp until
    // issue 3 brings department and region scopes.
    return actor.role === 'admin' || actor.role === 'manager' || actor.userid === resource.userid;
  }
  return permission !== 'personalTag.manage' || actor.kind === 'employee';
}

/** Whether `actor` may do `permission`, on `resource` when one is given. Never throws. */
export function can(actor: Actor, permission: Permission, resource: PolicyResource = { type: 'corp' }): boolean {
  return grants(actor).includes(permission) && inScope(actor, permission, resource);
}

/** Throws `forbidden` unless `actor` may do `permission`; commands call it after loading rows. */
export function authorize(actor: Actor, permission: Permission, resource?: PolicyResource): void {
  if (!can(actor, permission, resource)) {
    throw new AppError('forbidden', { message: `Not allowed: ${permission}.` });
  }
}

/** The ability map the console uses to hide what the actor may not do. */
export function abilitiesFor(actor: Actor, names: readonly Permission[], resource?: PolicyResource): Record<string, boolean> {
  return Object.fromEntries(names.map((name) => [name, can(actor, name, resource)]));
}
