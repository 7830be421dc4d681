import { and, asc, eq } from 'drizzle-orm';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { employees, roles } from '../../db/schema/index.js';
import { builtInRoleDefinitions, type DataScope } from '../../policies/index.js';

/** A role as the corp sees it: a built-in one (possibly customized by a stored row) or a custom one. */
export type RoleView = {
  roleId: string;
  name: string;
  description: string;
  permissions: string[];
  dataScope: DataScope;
  builtIn: boolean;
  customized: boolean;
};

const builtInIds = Object.keys(builtInRoleDefinitions) as (keyof typeof builtInRoleDefinitions)[];

/** Whether `roleId` names a built-in role (admin, manager, staff, readonly). */
export function isBuiltInRole(roleId: string): boolean {
  return (builtInIds as string[]).includes(roleId);
}

/** Every role of the corp: built-ins first (a stored row overrides the default), then custom ones by id. */
export async function listRoles(ctx: Ctx | TxCtx): Promise<RoleView[]> {
  const rows = await reader(ctx).select().from(roles).where(eq(roles.corpId, ctx.corpId)).orderBy(asc(roles.roleId));
  const stored = new Map(rows.map((r) => [r.roleId, r]));
  const builtIns = builtInIds.map((roleId): RoleView => {
    const row = stored.get(roleId);
    if (row)
      return { roleId, name: row.name, description: row.description, permissions: row.permissions, dataScope: row.dataScope, builtIn: true, customized: true };
    const def = builtInRoleDefinitions[roleId];
    return {
      roleId,
      name: def.name,
      description: def.description,
      permissions: [...def.permissions],
      dataScope: def.dataScope,
      builtIn: true,
      customized: false,
    };
  });
  const custom = rows
    .filter((r) => !isBuiltInRole(r.roleId))
    .map(
      (r): RoleView => ({
        roleId: r.roleId,
        name: r.name,
        description: r.description,
        permissions: r.permissions,
        dataScope: r.dataScope,
        builtIn: false,
        customized: false,
      }),
    );
  return [...builtIns, ...custom];
}

/** One role by id, or undefined when the corp has no such role. */
export async function findRole(ctx: Ctx | TxCtx, roleId: string): Promise<RoleView | undefined> {
  return (await listRoles(ctx)).find((r) => r.roleId === roleId);
}

/** How many employees (active or not) hold a role. */
export async function countRoleHolders(ctx: TxCtx, roleId: string): Promise<number> {
  const rows = await ctx.tx
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.role, roleId)));
  return rows.length;
}

/** The data scope of the acting employee's role; apps and the system count as corp-wide. */
export async function actorDataScope(ctx: Ctx | TxCtx): Promise<DataScope> {
  if (ctx.actor.kind !== 'employee') return 'corp';
  return (await findRole(ctx, ctx.actor.role))?.dataScope ?? 'own';
}
