import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { roles } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockOrg } from '../../org/org.repo.js';
import { countRoleHolders, findRole } from '../roles.queries.js';

/**
 * Deletes a custom role. Built-in roles stay (edit them instead), and a role someone still holds,
 * departed employees included, is refused until they are given another.
 */
export async function deleteRole(ctx: TxCtx, input: { roleId: string }): Promise<{ roleId: string }> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('role.manage');
  const role = await findRole(ctx, input.roleId);
  if (!role) throw new AppError('not_found', { message: `No role "${input.roleId}".` });
  if (role.builtIn) throw new AppError('conflict', { message: `"${role.roleId}" is built in; edit it instead.` });
  const holders = await countRoleHolders(ctx, role.roleId);
  if (holders > 0) throw new AppError('conflict', { message: `${holders} employee(s) hold "${role.roleId}"; give them another role first.` });
  await ctx.tx.delete(roles).where(and(eq(roles.corpId, ctx.corpId), eq(roles.roleId, role.roleId)));
  await recordEvent(ctx, {
    type: 'role.deleted',
    subjectType: 'role',
    subjectId: role.roleId,
    before: { name: role.name, description: role.description, permissions: role.permissions, dataScope: role.dataScope },
  });
  return { roleId: role.roleId };
}
