import type { TxCtx } from '../../../context.js';
import { departments } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { checkName } from '../../../names/check-name.js';
import { nameKey } from '../../../names/name-policy.js';
import { namedThings } from '../../../names/named-things.js';
import { policyFor } from '../../../policies/index.js';
import { type DepartmentRow, loadDepartments, lockOrg } from '../org.repo.js';

/** A department to create; without `deptId` the next free id is taken. */
export type CreateDepartmentInput = { deptId?: number; name: string; parentId: number; region?: string | null; order?: number };

/**
 * Creates a department under an existing one (`parentId: 0` only for the corp's first, root
 * department, as WeCom has one root). Names are unique among siblings, as in WeCom, by what a
 * person sees (`nameKey`: 华东 and 华东 + U+200B are one name).
 */
export async function createDepartment(ctx: TxCtx, input: CreateDepartmentInput): Promise<DepartmentRow> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('org.manage');
  const name = checkName(input.name, { ...namedThings.department, path: 'body.name' });
  const all = await loadDepartments(ctx);
  if (input.parentId === 0 && all.some((d) => d.parentId === 0)) {
    throw new AppError('validation_failed', {
      message: 'The corp already has a root department; give an existing parentId.',
      details: [{ path: 'body.parentId', message: 'a root exists' }],
    });
  }
  if (input.parentId !== 0 && !all.some((d) => d.deptId === input.parentId)) {
    throw new AppError('validation_failed', {
      message: `No department ${input.parentId} to put it under.`,
      details: [{ path: 'body.parentId', message: `no department ${input.parentId}` }],
    });
  }
  if (input.deptId !== undefined && all.some((d) => d.deptId === input.deptId))
    throw new AppError('conflict', { message: `Department ${input.deptId} exists.` });
  const key = nameKey(name);
  const clash = all.find((d) => d.parentId === input.parentId && nameKey(d.name) === key);
  if (clash)
    throw new AppError('name_taken', {
      message: `A department named "${clash.name}" exists under ${input.parentId}.`,
      details: [{ path: 'body.name', message: 'taken' }],
    });
  const deptId = input.deptId ?? Math.max(0, ...all.map((d) => d.deptId)) + 1;
  const [row] = await ctx.tx
    .insert(departments)
    .values({ corpId: ctx.corpId, deptId, name, parentId: input.parentId, region: input.region ?? null, order: input.order ?? 0 })
    .returning();
  await recordEvent(ctx, {
    type: 'department.created',
    subjectType: 'department',
    subjectId: String(deptId),
    after: { name: row!.name, parentId: row!.parentId, region: row!.region, order: row!.order },
  });
  return row!;
}
