import { and, eq, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { departments, employees } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { lockDepartmentForChange } from '../org.repo.js';

/**
 * Deletes an empty department. As in WeCom it is refused while it has sub-departments or active
 * members (move them first); departed employees may keep it in their history.
 */
export async function deleteDepartment(ctx: TxCtx, input: { deptId: number }): Promise<{ deptId: number }> {
  const { all, dept } = await lockDepartmentForChange(ctx, input.deptId);
  const children = all.filter((d) => d.parentId === dept.deptId).map((d) => d.deptId);
  if (children.length > 0)
    throw new AppError('conflict', { message: `Department ${dept.deptId} has sub-departments (${children.join(', ')}); move or delete them first.` });
  const members = await ctx.tx
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.status, 'active'), sql`${dept.deptId} = any(${employees.departmentIds})`))
    .limit(5);
  if (members.length > 0)
    throw new AppError('conflict', {
      message: `Department ${dept.deptId} still has members (${members.map((m) => m.userid).join(', ')}${members.length === 5 ? ', …' : ''}); move them first.`,
    });
  await ctx.tx.delete(departments).where(and(eq(departments.corpId, ctx.corpId), eq(departments.deptId, dept.deptId)));
  await recordEvent(ctx, {
    type: 'department.deleted',
    subjectType: 'department',
    subjectId: String(dept.deptId),
    before: { name: dept.name, parentId: dept.parentId, region: dept.region, order: dept.order },
  });
  return { deptId: dept.deptId };
}
