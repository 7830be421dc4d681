import { z } from 'zod';
import { chars, PositiveInt32, PositiveInt32Param, Timestamp } from './common.js';

// ---- input ----

const DeptId = PositiveInt32;
const Region = z.string().min(1).max(30);

/** `:deptId` in a path. */
export const DeptIdParams = z.strictObject({ deptId: PositiveInt32Param });

/** `POST /departments`: a department under an existing one (`parentId: 0` only for the corp's first, root department). */
export const CreateDepartmentBody = z.strictObject({
  deptId: DeptId.optional().meta({ description: "WeCom's department id; the next free one when left out." }),
  name: chars(64).pipe(z.string().min(1)),
  parentId: z.int().min(0).max(2_147_483_647),
  region: Region.nullable().optional().meta({ description: 'e.g. 华东; left out or null = inherited from the parent.' }),
  order: z.int().min(0).max(4_294_967_295).optional(),
});

/** `PATCH /departments/:deptId`: rename, move (never under itself) or change its region (null = inherit). */
export const UpdateDepartmentBody = z
  .strictObject({
    name: chars(64).pipe(z.string().min(1)).optional(),
    parentId: z.int().min(0).max(2_147_483_647).optional(),
    region: Region.nullable().optional(),
    order: z.int().min(0).max(4_294_967_295).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, parentId, region, order');

/** A WeCom userid: 1–64 letters, digits, `_`, `-`, `@` and `.`. */
export const Userid = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a userid: 1–64 of letters, digits, _ - @ .');

/** `:userid` in a path. */
export const UseridParams = z.strictObject({ userid: Userid });

/** `GET /employees` filters and paging. */
export const ListEmployeesQuery = z.strictObject({
  department: PositiveInt32Param.optional().meta({ description: 'Only members of this department.' }),
  recursive: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .meta({ description: "With `department`: its sub-departments' members too." }),
  status: z.enum(['active', 'left']).optional(),
  role: z.string().min(1).max(32).optional(),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `POST /employees`. */
export const CreateEmployeeBody = z.strictObject({
  userid: Userid,
  name: chars(64).pipe(z.string().min(1)),
  departmentIds: z.array(DeptId).min(1).max(100),
  role: z.string().min(1).max(32),
});

/** `PATCH /employees/:userid`: fields to change; `status: 'left'` also ends their console sessions. */
export const UpdateEmployeeBody = z
  .strictObject({
    name: chars(64).pipe(z.string().min(1)).optional(),
    departmentIds: z.array(DeptId).min(1).max(100).optional(),
    role: z.string().min(1).max(32).optional(),
    status: z.enum(['active', 'left']).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, departmentIds, role, status');

// ---- output ----

/** A department as stored: `region` is its own (null = inherited from the parent). */
export const DepartmentRecord = z.object({ deptId: z.number(), name: z.string(), parentId: z.number(), order: z.number(), region: z.string().nullable() });

/** A department in the tree, with its depth and the region it actually belongs to (its own, else the nearest ancestor's). */
export const Department = DepartmentRecord.extend({
  depth: z.number().meta({ description: '0 for a root department.' }),
  effectiveRegion: z.string().nullable(),
});

/** `GET /departments`: the tree as a depth-first list (each department right after its parent, siblings by `order` then id). */
export const DepartmentTree = z.object({ departments: z.array(Department) });

/** An employee. Password hashes never leave the server; `hasPassword` says whether they can log in. */
export const Employee = z.object({
  userid: z.string(),
  name: z.string(),
  departmentIds: z.array(z.number()),
  role: z.string(),
  status: z.enum(['active', 'left']),
  hasPassword: z.boolean(),
  createdAt: Timestamp,
});

/** `GET /employees`: one page in userid order; `nextCursor` is null on the last. */
export const EmployeePage = z.object({ employees: z.array(Employee), nextCursor: z.string().nullable() });

/** `POST /employees/:userid/password`. */
export const PasswordSet = z.object({ userid: z.string(), sessionsEnded: z.number() });
