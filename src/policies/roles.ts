import { allPermissions, type Permission } from './registry.js';

/**
 * Built-in roles. Issue 3 makes roles editable and adds data scopes; these defaults follow the
 * guide: admins manage the library, staff apply tags and keep personal ones, interns only look.
 */
export const builtInRoles: Record<string, readonly Permission[]> = {
  admin: allPermissions,
  manager: allPermissions.filter((p) => p !== 'corp.settings'),
  staff: ['customer.view', 'customer.update', 'tag.apply', 'tag.remove', 'personalTag.manage'],
  readonly: ['customer.view'],
};

/** What an app or the system may do: everything on the corp's library, nothing personal. */
export const appPermissions: readonly Permission[] = allPermissions.filter((p) => p !== 'personalTag.manage');
