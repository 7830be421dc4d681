import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import { CreateDepartmentBody, DepartmentRecord, DepartmentTree, DeptIdParams, UpdateDepartmentBody } from '../../../contracts/org.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createDepartment } from './commands/create-department.js';
import { deleteDepartment } from './commands/delete-department.js';
import { updateDepartment } from './commands/update-department.js';
import { presentDepartment, presentDepartmentRecord } from './org.presenter.js';
import { departmentTree } from './org.queries.js';

const tags = ['Organization'];

/** The department tree with regions; changes need `org.manage`. */
export const departmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/departments',
    {
      schema: {
        tags,
        summary: 'The department tree',
        description: "Depth-first: each department right after its parent. `effectiveRegion` is its own region or the nearest ancestor's.",
        response: withErrors({ 200: DepartmentTree }),
      },
    },
    async (request) => {
      return { departments: (await departmentTree(apiCtx(request))).map(presentDepartment) };
    },
  );

  app.post(
    '/departments',
    {
      schema: { tags, summary: 'Create a department', body: CreateDepartmentBody, response: withErrors({ 201: DepartmentRecord }, 403, 409) },
    },
    async (request, reply) => {
      const created = await withTx(apiCtx(request), (tx) => createDepartment(tx, request.body));
      return reply.code(201).send(presentDepartmentRecord(created));
    },
  );

  app.patch(
    '/departments/:deptId',
    {
      schema: {
        tags,
        summary: 'Rename, move or re-region a department',
        description: 'A move never goes below the department itself.',
        params: DeptIdParams,
        body: UpdateDepartmentBody,
        response: withErrors({ 200: DepartmentRecord }, 403, 404, 409),
      },
    },
    async (request) => {
      return presentDepartmentRecord(await withTx(apiCtx(request), (tx) => updateDepartment(tx, { deptId: request.params.deptId, ...request.body })));
    },
  );

  app.delete(
    '/departments/:deptId',
    {
      schema: {
        tags,
        summary: 'Delete an empty department',
        description: 'Refused (409) while it has sub-departments or active members.',
        params: DeptIdParams,
        response: withErrors({ 200: z.object({ deptId: z.number() }) }, 403, 404, 409),
      },
    },
    async (request) => {
      return withTx(apiCtx(request), (tx) => deleteDepartment(tx, { deptId: request.params.deptId }));
    },
  );
};
