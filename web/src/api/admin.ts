import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { App, AppList, AppWithSecret, CreateAppBody, UpdateAppBody } from '../../../contracts/apps.js';
import type {
  CreateDepartmentBody,
  CreateEmployeeBody,
  Department,
  DepartmentRecord,
  DepartmentTree,
  Employee,
  EmployeePage,
  PasswordSet,
  UpdateDepartmentBody,
  UpdateEmployeeBody,
} from '../../../contracts/org.js';
import type { CreateRoleBody, DataScope, PermissionInfo, PermissionRegistry, Role, RoleList, UpdateRoleBody } from '../../../contracts/roles.js';
import { api } from './client.js';

/** A role as listed (built-in or custom), with its permissions and data scope. */
export type RoleDto = z.infer<typeof Role>;
/** One permission of the server's registry. */
export type PermissionDto = z.infer<typeof PermissionInfo>;
/** How far a role's reach over customers goes. */
export type DataScopeDto = z.infer<typeof DataScope>;
/** A department in the depth-first tree list. */
export type DepartmentDto = z.infer<typeof Department>;
/** An employee (never their password hash). */
export type EmployeeDto = z.infer<typeof Employee>;
/** An app without its secret. */
export type AppDto = z.infer<typeof App>;
/** An app with the secret the server shows this once. */
export type AppWithSecretDto = z.infer<typeof AppWithSecret>;

/** `GET /permissions`: the registry, in the server's order (the matrix's rows). */
export function usePermissionRegistry() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: async () => (await api<z.infer<typeof PermissionRegistry>>('GET', '/permissions')).permissions,
    staleTime: 5 * 60_000,
  });
}

/** `GET /roles`: built-in roles (with the corp's edits) then custom ones (the matrix's columns). */
export function useRoles() {
  return useQuery({ queryKey: ['roles'], queryFn: async () => (await api<z.infer<typeof RoleList>>('GET', '/roles')).roles });
}

/** `GET /departments`: the tree as a depth-first list. */
export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async () => (await api<z.infer<typeof DepartmentTree>>('GET', '/departments')).departments,
    enabled,
    staleTime: 60_000,
  });
}

/**
 * `GET /employees` within the caller's scope, optionally of one department and its sub-departments,
 * following `nextCursor` so the list is whole (the server pages 1000 at most).
 */
export function useEmployees(department: number | null, enabled = true) {
  return useQuery({
    queryKey: ['employees', department],
    enabled,
    queryFn: async () => {
      const all: EmployeeDto[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: '1000' });
        if (department !== null) query.set('department', String(department)), query.set('recursive', 'true');
        if (cursor) query.set('cursor', cursor);
        const page: z.infer<typeof EmployeePage> = await api('GET', `/employees?${query}`);
        all.push(...page.employees);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    },
  });
}

/** `GET /apps` (needs `org.manage`). */
export function useApps(enabled = true) {
  return useQuery({ queryKey: ['apps'], queryFn: async () => (await api<z.infer<typeof AppList>>('GET', '/apps')).apps, enabled });
}

/** A write that refreshes the lists it touches once it settles (success or refusal). */
function useAdminMutation<I, O>(keys: string[][], run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => {
      for (const queryKey of keys) void client.invalidateQueries({ queryKey });
    },
  });
}

/** Role writes: create, edit (name, permissions, data scope) and delete a custom role. */
export function useRoleActions() {
  const keys = [['roles'], ['me']];
  const client = useQueryClient();
  return {
    create: useAdminMutation(keys, (body: z.input<typeof CreateRoleBody>) => api<RoleDto>('POST', '/roles', body)),
    // The saved role goes into the matrix at once, so the tick shows what the server kept as soon
    // as "saved" does (the refetch after confirms it).
    update: useAdminMutation(keys, async ({ roleId, ...body }: { roleId: string } & z.input<typeof UpdateRoleBody>) => {
      const saved = await api<RoleDto>('PATCH', `/roles/${encodeURIComponent(roleId)}`, body);
      client.setQueryData<RoleDto[]>(['roles'], (roles) => roles?.map((r) => (r.roleId === saved.roleId ? saved : r)));
      return saved;
    }),
    remove: useAdminMutation(keys, (roleId: string) => api<{ roleId: string }>('DELETE', `/roles/${encodeURIComponent(roleId)}`)),
  };
}

/** Department writes: create, rename / move, delete (the server refuses a non-empty one). */
export function useDepartmentActions() {
  const keys = [['departments'], ['employees']];
  return {
    create: useAdminMutation(keys, (body: z.input<typeof CreateDepartmentBody>) => api<z.infer<typeof DepartmentRecord>>('POST', '/departments', body)),
    update: useAdminMutation(keys, ({ deptId, ...body }: { deptId: number } & z.input<typeof UpdateDepartmentBody>) =>
      api<z.infer<typeof DepartmentRecord>>('PATCH', `/departments/${deptId}`, body),
    ),
    remove: useAdminMutation(keys, (deptId: number) => api<{ deptId: number }>('DELETE', `/departments/${deptId}`)),
  };
}

/** Employee writes: add, change role / departments / status, set a console password. */
export function useEmployeeActions() {
  const keys = [['employees'], ['me']];
  return {
    create: useAdminMutation(keys, (body: z.input<typeof CreateEmployeeBody>) => api<EmployeeDto>('POST', '/employees', body)),
    update: useAdminMutation(keys, ({ userid, ...body }: { userid: string } & z.input<typeof UpdateEmployeeBody>) =>
      api<EmployeeDto>('PATCH', `/employees/${encodeURIComponent(userid)}`, body),
    ),
    setPassword: useAdminMutation(keys, ({ userid, password }: { userid: string; password: string }) =>
      api<z.infer<typeof PasswordSet>>('POST', `/employees/${encodeURIComponent(userid)}/password`, { password }),
    ),
  };
}

/**
 * App writes. `create` and `rotate` answer the secret once: callers keep it only while the dialog
 * showing it is open, and the query cache never holds it (only the secret-less list is refetched).
 */
export function useAppActions() {
  const keys = [['apps']];
  return {
    create: useAdminMutation(keys, (body: z.input<typeof CreateAppBody>) => api<AppWithSecretDto>('POST', '/apps', body)),
    update: useAdminMutation(keys, ({ appId, ...body }: { appId: string } & z.input<typeof UpdateAppBody>) =>
      api<AppDto>('PATCH', `/apps/${encodeURIComponent(appId)}`, body),
    ),
    rotate: useAdminMutation(keys, (appId: string) => api<AppWithSecretDto>('POST', `/apps/${encodeURIComponent(appId)}/rotate`)),
  };
}
