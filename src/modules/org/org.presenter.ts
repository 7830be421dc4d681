import type { z } from 'zod';
import type { Department, DepartmentRecord, Employee, EmployeePage } from '../../../contracts/org.js';
import type { PlacedDepartment } from './org.queries.js';
import type { DepartmentRow, EmployeeRow } from './org.repo.js';

/** A department as stored (create and update answer with it). */
export function presentDepartmentRecord(d: DepartmentRow): z.infer<typeof DepartmentRecord> {
  return { deptId: d.deptId, name: d.name, parentId: d.parentId, order: d.order, region: d.region };
}

/** A department placed in the tree. */
export function presentDepartment(d: PlacedDepartment): z.infer<typeof Department> {
  return { ...presentDepartmentRecord(d), depth: d.depth, effectiveRegion: d.effectiveRegion };
}

/** An employee without their password hash. */
export function presentEmployee(e: EmployeeRow): z.infer<typeof Employee> {
  return {
    userid: e.userid,
    name: e.name,
    departmentIds: e.departmentIds,
    role: e.role,
    status: e.status,
    hasPassword: e.passwordHash !== null,
    createdAt: e.createdAt.toISOString(),
  };
}

/** One page of employees. */
export function presentEmployeePage(page: { employees: EmployeeRow[]; nextCursor: string | null }): z.infer<typeof EmployeePage> {
  return { employees: page.employees.map(presentEmployee), nextCursor: page.nextCursor };
}
