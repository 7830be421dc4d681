import type { TxCtx } from '../../../context.js';
import { departments, employees } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { checkName } from '../../../names/check-name.js';
import { namedThings } from '../../../names/named-things.js';
import { policyFor } from '../../../policies/index.js';
import { bumpOrgVersion } from '../../corps/settings.js';

/** A department to create. */
export type NewDepartment = { deptId: number; name: string; parentId?: number; region?: string | null; order?: number };
/** An employee to create. */
export type NewEmployee = { userid: string; name: string; departmentIds: number[]; role?: string; status?: 'active' | 'left' };

/** Creates departments in one go (directory sync and demo seeding). Issue 3 adds full management. */
export async function addDepartments(ctx: TxCtx, rows: NewDepartment[]): Promise<void> {
  (await policyFor(ctx)).authorize('org.manage');
  if (rows.length === 0) return;
  rows = rows.map((d, i) => ({ ...d, name: checkName(d.name, { ...namedThings.department, path: `${i}.name` }) }));
  await bumpOrgVersion(ctx);
  await ctx.tx
    .insert(departments)
    .values(
      rows.map((d) => ({ corpId: ctx.corpId, deptId: d.deptId, name: d.name, parentId: d.parentId ?? 0, region: d.region ?? null, order: d.order ?? 0 })),
    );
  for (const d of rows) await recordEvent(ctx, { type: 'department.created', subjectType: 'corp', subjectId: String(d.deptId), after: d });
}

/** Creates employees in one go (directory sync and demo seeding). */
export async function addEmployees(ctx: TxCtx, rows: NewEmployee[]): Promise<void> {
  (await policyFor(ctx)).authorize('org.manage');
  if (rows.length === 0) return;
  rows = rows.map((e, i) => ({ ...e, name: checkName(e.name, { ...namedThings.employee, path: `${i}.name` }) }));
  await bumpOrgVersion(ctx);
  await ctx.tx.insert(employees).values(
    rows.map((e) => ({
      corpId: ctx.corpId,
      userid: e.userid,
      name: e.name,
      departmentIds: e.departmentIds,
      role: e.role ?? 'staff',
      status: e.status ?? 'active',
    })),
  );
  for (const e of rows) await recordEvent(ctx, { type: 'employee.created', subjectType: 'employee', subjectId: e.userid, after: e });
}
