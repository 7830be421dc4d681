import { and, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { departments, employees } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { allPermissions, type Policy, policyFor, requireEmployeeActor } from '../../policies/index.js';
import { findRole } from '../permissions/roles.queries.js';

/** The acting employee, their departments, role name and policy: what `GET /auth/me` shows. */
export type MeView = {
  corpId: string;
  userid: string;
  name: string;
  role: string;
  roleName: string;
  departments: { deptId: number; name: string }[];
  policy: Policy;
};

/** Who the caller is, when the caller is an employee (a console session or an app acting as one). */
export async function getMe(ctx: Ctx): Promise<MeView> {
  requireEmployeeActor(ctx.actor, 'This key acts as an app, not a user; log in, or send Tagloom-Acting-User.');
  const [me] = await ctx.db
    .select()
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, ctx.actor.userid)));
  if (!me) throw new AppError('unauthorized', { message: 'The session has ended; log in again.' });
  const depts =
    me.departmentIds.length === 0
      ? []
      : await ctx.db
          .select({ deptId: departments.deptId, name: departments.name })
          .from(departments)
          .where(and(eq(departments.corpId, ctx.corpId), inArray(departments.deptId, me.departmentIds)));
  const role = await findRole(ctx, me.role);
  return {
    corpId: ctx.corpId,
    userid: me.userid,
    name: me.name,
    role: me.role,
    roleName: role?.name ?? me.role,
    departments: depts.sort((a, b) => a.deptId - b.deptId),
    policy: await policyFor(ctx),
  };
}

/** Every permission of the registry, for the ability map of `GET /auth/me`. */
export const mePermissions = allPermissions;
