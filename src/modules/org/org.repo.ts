import { and, eq, inArray } from 'drizzle-orm';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { departments, employees } from '../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import { walkTree } from '../../policies/org-snapshot.js';
import { bumpOrgVersion } from '../corps/settings.js';

/** A department row as stored. */
export type DepartmentRow = typeof departments.$inferSelect;
/** An employee row as stored (its password hash never leaves the server). */
export type EmployeeRow = typeof employees.$inferSelect;

/**
 * Takes the corp's organization lock by bumping `org_version`: the update locks the corp row, so
 * org commands of one corp run one at a time (cycle and "still in use" checks cannot race), and
 * every process reloads its policy snapshot once this commits. Resolve the caller's policy before
 * calling it: a snapshot loaded after the bump inside this transaction would be cached under a
 * version that a rollback never commits.
 */
export async function lockOrg(ctx: TxCtx): Promise<void> {
  await bumpOrgVersion(ctx);
}

/** Every department of the corp (a corp has at most a few thousand, so callers walk the tree in memory). */
export async function loadDepartments(ctx: Ctx | TxCtx): Promise<DepartmentRow[]> {
  return reader(ctx).select().from(departments).where(eq(departments.corpId, ctx.corpId));
}

/** Departments `roots` and everything below them, given the corp's departments. */
export function departmentSubtree(rows: readonly DepartmentRow[], roots: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const d of rows) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.deptId]);
  return walkTree(children, roots);
}

/** One detail per id in `ids` that is not one of the corp's departments. */
export async function unknownDepartments(ctx: TxCtx, ids: readonly number[], path: string): Promise<ErrorDetail[]> {
  if (ids.length === 0) return [];
  const found = await ctx.tx
    .select({ id: departments.deptId })
    .from(departments)
    .where(and(eq(departments.corpId, ctx.corpId), inArray(departments.deptId, [...ids])));
  const known = new Set(found.map((r) => r.id));
  return ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `${path}.${i}`, message: `no department ${id}` }]));
}

/** One detail per userid in `userids` that is not one of the corp's employees. */
export async function unknownEmployees(ctx: TxCtx, userids: readonly string[], path: string): Promise<ErrorDetail[]> {
  if (userids.length === 0) return [];
  const found = await ctx.tx
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), inArray(employees.userid, [...userids])));
  const known = new Set(found.map((r) => r.userid));
  return userids.flatMap((u, i) => (known.has(u) ? [] : [{ path: `${path}.${i}`, message: `no employee "${u}"` }]));
}

/** Loads and locks one employee, or throws `employee_not_found`. */
export async function lockEmployee(ctx: TxCtx, userid: string): Promise<EmployeeRow> {
  const [row] = await ctx.tx
    .select()
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, userid)))
    .for('update');
  if (!row) throw new AppError('employee_not_found', { message: `No employee with userid "${userid}".` });
  return row;
}

/** An employee as the audit log records it: no password hash, only whether there is one. */
export function employeeSnapshot(row: EmployeeRow) {
  return { userid: row.userid, name: row.name, departmentIds: row.departmentIds, role: row.role, status: row.status, hasPassword: row.passwordHash !== null };
}

/**
 * The start of every department change: take the org lock, check `org.manage`, and load the
 * corp's departments with the one being changed (`department_not_found` when it does not exist).
 */
export async function lockDepartmentForChange(ctx: TxCtx, deptId: number): Promise<{ all: DepartmentRow[]; dept: DepartmentRow }> {
  const policy = await policyFor(ctx);
  await lockOrg(ctx);
  policy.authorize('org.manage');
  const all = await loadDepartments(ctx);
  const dept = all.find((d) => d.deptId === deptId);
  if (!dept) throw new AppError('department_not_found', { message: `No department ${deptId}.` });
  return { all, dept };
}
