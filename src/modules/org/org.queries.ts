import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { employees } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import { type DepartmentRow, departmentSubtree, type EmployeeRow, loadDepartments } from './org.repo.js';

/** A department placed in the tree: its depth and the region it belongs to (own, else inherited). */
export type PlacedDepartment = DepartmentRow & { depth: number; effectiveRegion: string | null };

/**
 * The corp's department tree, depth-first (each department right after its parent, siblings by
 * order then id). Any authenticated caller may read it: the console needs it for every picker.
 */
export async function departmentTree(ctx: Ctx): Promise<PlacedDepartment[]> {
  const rows = await loadDepartments(ctx);
  const ids = new Set(rows.map((d) => d.deptId));
  const children = new Map<number, DepartmentRow[]>();
  for (const d of rows) {
    // A department whose parent is gone (or the root) hangs at the top rather than disappearing.
    const parent = ids.has(d.parentId) && d.parentId !== d.deptId ? d.parentId : 0;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const out: PlacedDepartment[] = [];
  const visit = (parent: number, depth: number, region: string | null) => {
    const kids = (children.get(parent) ?? []).sort((a, b) => b.order - a.order || a.deptId - b.deptId);
    for (const d of kids) {
      const effectiveRegion = d.region ?? region;
      out.push({ ...d, depth, effectiveRegion });
      visit(d.deptId, depth + 1, effectiveRegion);
    }
  };
  visit(0, 0, null);
  return out;
}

/** Filters and paging of the employee list. */
export type EmployeeFilter = { department?: number; recursive?: boolean; status?: 'active' | 'left'; role?: string; cursor?: string; limit: number };

/**
 * One page of the employees the caller reaches (their data scope, or an app's range), in userid
 * order, optionally only a department's members (with its sub-departments when `recursive`).
 */
export async function pageEmployees(ctx: Ctx, filter: EmployeeFilter): Promise<{ employees: EmployeeRow[]; nextCursor: string | null }> {
  const policy = await policyFor(ctx);
  const conds: SQL[] = [eq(employees.corpId, ctx.corpId)];
  if (policy.reach !== 'all') conds.push(inArray(employees.userid, [...policy.reach, '']));
  if (filter.status) conds.push(eq(employees.status, filter.status));
  if (filter.role) conds.push(eq(employees.role, filter.role));
  if (filter.department !== undefined) {
    const wanted = filter.recursive ? [...departmentSubtree(await loadDepartments(ctx), [filter.department])] : [filter.department];
    conds.push(sql`${employees.departmentIds} && ${sql.raw(`'{${wanted.join(',')}}'::integer[]`)}`);
  }
  if (filter.cursor) conds.push(gt(employees.userid, decodeCursor(filter.cursor)));
  const rows = await ctx.db
    .select()
    .from(employees)
    .where(and(...conds))
    .orderBy(asc(employees.userid))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return { employees: page, nextCursor: rows.length > filter.limit && last ? Buffer.from(last.userid).toString('base64url') : null };
}

function decodeCursor(cursor: string): string {
  const userid = Buffer.from(cursor, 'base64url').toString();
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(userid)) throw new AppError('invalid_cursor');
  return userid;
}

/** One employee inside the caller's reach; anyone else does not exist for them. */
export async function getEmployee(ctx: Ctx, userid: string): Promise<EmployeeRow> {
  const policy = await policyFor(ctx);
  const [row] = await ctx.db
    .select()
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, userid)));
  if (!row || !policy.reaches(row.userid)) throw new AppError('employee_not_found', { message: `No employee with userid "${userid}" in your reach.` });
  return row;
}
