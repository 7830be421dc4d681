import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { departments } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkOptionalName } from '../../../names/check-name.js';
import { nameKey } from '../../../names/name-policy.js';
import { namedThings } from '../../../names/named-things.js';
import { type DepartmentRow, departmentSubtree, lockDepartmentForChange } from '../org.repo.js';

/** What to change on a department; `region: null` makes it inherit its parent's region again. */
export type UpdateDepartmentInput = { deptId: number; name?: string; parentId?: number; region?: string | null; order?: number };

const snapshot = (d: DepartmentRow) => ({ name: d.name, parentId: d.parentId, region: d.region, order: d.order });

/**
 * Renames, moves or re-regions a department. A move never goes under the department itself or
 * one of its descendants (the tree would become a cycle), and names stay unique among siblings
 * by what a person sees (`nameKey`).
 */
export async function updateDepartment(ctx: TxCtx, input: UpdateDepartmentInput): Promise<DepartmentRow> {
  const { all, dept } = await lockDepartmentForChange(ctx, input.deptId);
  const parentId = input.parentId ?? dept.parentId;
  if (parentId !== dept.parentId) {
    const bad = (message: string) => new AppError('validation_failed', { message, details: [{ path: 'body.parentId', message }] });
    if (parentId === 0 && all.some((d) => d.parentId === 0 && d.deptId !== dept.deptId)) throw bad('the corp already has a root department');
    if (parentId !== 0 && !all.some((d) => d.deptId === parentId)) throw bad(`no department ${parentId}`);
    if (departmentSubtree(all, [dept.deptId]).has(parentId))
      throw bad(`department ${parentId} is ${dept.deptId} itself or below it; the tree would become a cycle`);
  }
  const name = checkOptionalName(input.name, { ...namedThings.department, path: 'body.name' }) ?? dept.name;
  const key = nameKey(name);
  const clash = all.find((d) => d.deptId !== dept.deptId && d.parentId === parentId && nameKey(d.name) === key);
  if (clash)
    throw new AppError('name_taken', {
      message: `A department named "${clash.name}" exists under ${parentId}.`,
      details: [{ path: 'body.name', message: 'taken' }],
    });
  const [updated] = await ctx.tx
    .update(departments)
    .set({ name, parentId, region: input.region === undefined ? dept.region : input.region, order: input.order ?? dept.order })
    .where(and(eq(departments.corpId, ctx.corpId), eq(departments.deptId, dept.deptId)))
    .returning();
  await recordEvent(ctx, {
    type: 'department.updated',
    subjectType: 'department',
    subjectId: String(dept.deptId),
    before: snapshot(dept),
    after: snapshot(updated!),
  });
  return updated!;
}
