import { z } from 'zod';
import { chars } from './common.js';

// ---- input ----

/** A data scope: own customers, department subtree, region, or the whole corp. */
export const DataScope = z.enum(['own', 'department', 'region', 'corp']);

/** `:roleId` in a path. */
export const RoleIdParams = z.strictObject({ roleId: z.string().min(1).max(32) });

const PermissionNames = z
  .array(z.string().min(1).max(64))
  .max(200)
  .meta({ description: "Permission names from `GET /permissions`; each one's `dependsOn` must be granted too." });

/** `POST /roles`: a custom role. */
export const CreateRoleBody = z.strictObject({
  roleId: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/, 'lowercase letters, digits, _ and -, starting with a letter, 2–32 long'),
  name: chars(32).pipe(z.string().min(1)),
  description: chars(200).optional(),
  permissions: PermissionNames,
  dataScope: DataScope,
});

/** `PATCH /roles/:roleId`: fields to change; on a built-in role this stores the corp's own version of it. */
export const UpdateRoleBody = z
  .strictObject({
    name: chars(32).pipe(z.string().min(1)).optional(),
    description: chars(200).optional(),
    permissions: PermissionNames.optional(),
    dataScope: DataScope.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, description, permissions, dataScope');

// ---- output ----

/** One permission of the registry, as the role editor shows it. */
export const PermissionInfo = z.object({ permission: z.string(), description: z.string(), dependsOn: z.array(z.string()) });

/** `GET /permissions`: the whole registry in order. */
export const PermissionRegistry = z.object({ permissions: z.array(PermissionInfo) });

/** A role: built-in (possibly overridden by the corp) or custom. */
export const Role = z.object({
  roleId: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  dataScope: DataScope,
  builtIn: z.boolean(),
  customized: z.boolean().meta({ description: 'A built-in role the corp has edited.' }),
});

/** `GET /roles`. */
export const RoleList = z.object({ roles: z.array(Role) });
