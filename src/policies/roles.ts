import { allPermissions, type Permission } from './registry.js';

/** How far an employee's reach over customers goes: their own, their department subtree, their region, or the corp. */
export type DataScope = 'own' | 'department' | 'region' | 'corp';

/** A role definition: permissions from the registry and a data scope. */
export type RoleDefinition = { name: string; description: string; permissions: readonly Permission[]; dataScope: DataScope };

const library: Permission[] = ['tagGroup.create', 'tagGroup.update', 'tagGroup.delete', 'tag.create', 'tag.update', 'tag.delete'];
const everyday: Permission[] = ['customer.view', 'customer.update', 'tag.apply', 'tag.remove', 'personalTag.manage'];

/**
 * Built-in roles, following the guide: admins run everything corp-wide; managers (e.g. store or
 * regional managers) keep the enterprise library and see their region; staff apply tags and keep
 * personal ones for their own customers; read-only (interns) only look at their own customers.
 */
export const builtInRoleDefinitions: Record<'admin' | 'manager' | 'staff' | 'readonly', RoleDefinition> = {
  admin: { name: '管理员', description: 'Everything, corp-wide', permissions: allPermissions, dataScope: 'corp' },
  manager: {
    name: '经理',
    description: 'Keeps the tag library; sees and tags customers of their region',
    permissions: [...library, ...everyday, 'customer.export', 'audience.manage', 'rule.manage', 'moment.publish', 'audit.view'],
    dataScope: 'region',
  },
  staff: { name: '员工', description: 'Tags their own customers and keeps personal tags', permissions: everyday, dataScope: 'own' },
  readonly: { name: '只读（实习生）', description: 'Sees their own customers; changes nothing', permissions: ['customer.view'], dataScope: 'own' },
};

/** What an app or the system may do: everything on the corp's library, nothing personal. */
export const appPermissions: readonly Permission[] = allPermissions.filter((p) => p !== 'personalTag.manage');

/**
 * Permissions that run the directory: departments, employees and apps (with their secrets), roles
 * and corp settings. They need the employee's own session or the customer-contact secret itself;
 * an app acting as an employee never exercises them, whatever the employee's role.
 */
export const managementPermissions: readonly Permission[] = ['org.manage', 'role.manage', 'corp.settings'];

/**
 * What an ordinary app limited to a visible range may do: an app's rights without managing the
 * organization, apps, roles or corp settings (otherwise a ranged secret could widen its own range
 * or rotate the customer-contact secret; as in WeCom, only the full secret and admins run the
 * directory), and without the audit log, which spans the corp.
 */
export const rangedAppPermissions: readonly Permission[] = appPermissions.filter((p) => !managementPermissions.includes(p) && p !== 'audit.view');

/**
 * The most an app may do on behalf of one of its employees (`Tagloom-Acting-User`); the employee's
 * role narrows it further. It is the app's own rights without the management ones, plus the
 * employee's personal tags, which exist only for an employee and are what acting as one is for.
 */
export function delegablePermissions(appKind: 'customer_contact' | 'app'): readonly Permission[] {
  const own = appKind === 'customer_contact' ? appPermissions : rangedAppPermissions;
  return [...own.filter((p) => !managementPermissions.includes(p)), 'personalTag.manage'];
}
