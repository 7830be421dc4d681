import type { TxCtx } from '../../../context.js';
import { roles } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkName, checkText } from '../../../names/check-name.js';
import { describedThings, namedThings } from '../../../names/named-things.js';
import { type DataScope, policyFor } from '../../../policies/index.js';
import { permissionProblems } from '../../../policies/role-grants.js';
import { lockOrg } from '../../org/org.repo.js';
import { findRole, type RoleView } from '../roles.queries.js';

/** A custom role: an id, a name, permissions from the registry and a data scope. */
export type CreateRoleInput = { roleId: string; name: string; description?: string; permissions: string[]; dataScope: DataScope };

/**
 * Creates a custom role (e.g. 华东销售经理). Every permission must exist and come with the ones it
 * depends on; the 400 lists each unknown name and each missing dependency.
 */
export async function createRole(ctx: TxCtx, input: CreateRoleInput): Promise<RoleView> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('role.manage');
  const name = checkName(input.name, { ...namedThings.role, path: 'body.name' });
  const description = checkText(input.description, { ...describedThings.roleDescription, path: 'body.description' }) ?? '';
  const permissions = [...new Set(input.permissions)];
  const problems = permissionProblems(permissions, 'body.permissions');
  if (problems.length > 0) throw new AppError('validation_failed', { message: 'The permissions are not a sound set.', details: problems });
  if (await findRole(ctx, input.roleId))
    throw new AppError('conflict', { message: `A role "${input.roleId}" exists.`, details: [{ path: 'body.roleId', message: 'taken' }] });
  await ctx.tx.insert(roles).values({ corpId: ctx.corpId, roleId: input.roleId, name, description, permissions, dataScope: input.dataScope, builtIn: 0 });
  const role: RoleView = { roleId: input.roleId, name, description, permissions, dataScope: input.dataScope, builtIn: false, customized: false };
  await recordEvent(ctx, {
    type: 'role.created',
    subjectType: 'role',
    subjectId: role.roleId,
    after: { name: role.name, description, permissions, dataScope: role.dataScope },
  });
  return role;
}
