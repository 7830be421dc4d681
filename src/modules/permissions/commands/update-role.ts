import type { TxCtx } from '../../../context.js';
import { roles } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkOptionalName, checkText } from '../../../names/check-name.js';
import { describedThings, namedThings } from '../../../names/named-things.js';
import { type DataScope, policyFor } from '../../../policies/index.js';
import { permissionProblems } from '../../../policies/role-grants.js';
import { lockOrg } from '../../org/org.repo.js';
import { findRole, type RoleView } from '../roles.queries.js';

/** What to change on a role; left-out fields stay. */
export type UpdateRoleInput = { roleId: string; name?: string; description?: string; permissions?: string[]; dataScope?: DataScope };

const snapshot = (r: RoleView) => ({ name: r.name, description: r.description, permissions: r.permissions, dataScope: r.dataScope });

/**
 * Edits a role. Editing a built-in role stores the corp's own version of it, which then overrides
 * the built-in default for this corp. Holders' rights change at once, in every process.
 */
export async function updateRole(ctx: TxCtx, input: UpdateRoleInput): Promise<RoleView> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('role.manage');
  const before = await findRole(ctx, input.roleId);
  if (!before) throw new AppError('not_found', { message: `No role "${input.roleId}".` });
  const name = checkOptionalName(input.name, { ...namedThings.role, path: 'body.name' });
  const description = checkText(input.description, { ...describedThings.roleDescription, path: 'body.description' });
  const permissions = input.permissions ? [...new Set(input.permissions)] : before.permissions;
  const problems = permissionProblems(permissions, 'body.permissions');
  if (problems.length > 0) throw new AppError('validation_failed', { message: 'The permissions are not a sound set.', details: problems });
  const after: RoleView = {
    ...before,
    name: name ?? before.name,
    description: description ?? before.description,
    permissions,
    dataScope: input.dataScope ?? before.dataScope,
    customized: before.builtIn,
  };
  const values = {
    name: after.name,
    description: after.description,
    permissions: after.permissions,
    dataScope: after.dataScope,
    builtIn: after.builtIn ? 1 : 0,
  };
  await ctx.tx
    .insert(roles)
    .values({ corpId: ctx.corpId, roleId: after.roleId, ...values })
    .onConflictDoUpdate({ target: [roles.corpId, roles.roleId], set: values });
  await recordEvent(ctx, { type: 'role.updated', subjectType: 'role', subjectId: after.roleId, before: snapshot(before), after: snapshot(after) });
  return after;
}
