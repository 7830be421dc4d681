import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SetPasswordBody } from '../../../contracts/auth.js';
import { withErrors } from '../../../contracts/errors.js';
import { CreateEmployeeBody, Employee, EmployeePage, ListEmployeesQuery, PasswordSet, UpdateEmployeeBody, UseridParams } from '../../../contracts/org.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createEmployee } from './commands/create-employee.js';
import { setEmployeePassword } from './commands/set-employee-password.js';
import { updateEmployee } from './commands/update-employee.js';
import { presentEmployee, presentEmployeePage } from './org.presenter.js';
import { getEmployee, pageEmployees } from './org.queries.js';

const tags = ['Organization'];

/** Employees (WeCom members) within the caller's reach; changes need `org.manage`. */
export const employeeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/employees',
    {
      schema: {
        tags,
        summary: 'List employees',
        description: "Only those inside the caller's data scope (or an app's range), in userid order, `limit` at a time.",
        querystring: ListEmployeesQuery,
        response: withErrors({ 200: EmployeePage }),
      },
    },
    async (request) => {
      return presentEmployeePage(await pageEmployees(apiCtx(request), request.query));
    },
  );

  app.get(
    '/employees/:userid',
    {
      schema: { tags, summary: 'Get one employee', params: UseridParams, response: withErrors({ 200: Employee }, 404) },
    },
    async (request) => {
      return presentEmployee(await getEmployee(apiCtx(request), request.params.userid));
    },
  );

  app.post(
    '/employees',
    {
      schema: {
        tags,
        summary: 'Add an employee',
        description: 'The departments and the role must exist; the role must be one the caller may hand out.',
        body: CreateEmployeeBody,
        response: withErrors({ 201: Employee }, 403, 409),
      },
    },
    async (request, reply) => {
      const created = await withTx(apiCtx(request), (tx) => createEmployee(tx, request.body));
      return reply.code(201).send(presentEmployee(created));
    },
  );

  app.patch(
    '/employees/:userid',
    {
      schema: {
        tags,
        summary: 'Edit an employee',
        description: '`status: "left"` ends their console sessions; their customers stay for handover.',
        params: UseridParams,
        body: UpdateEmployeeBody,
        response: withErrors({ 200: Employee }, 403, 404),
      },
    },
    async (request) => {
      return presentEmployee(await withTx(apiCtx(request), (tx) => updateEmployee(tx, { userid: request.params.userid, ...request.body })));
    },
  );

  app.post(
    '/employees/:userid/password',
    {
      schema: {
        tags,
        summary: "Set an employee's console password",
        description: 'Ends their existing sessions. Needs `org.manage` and a role at least as strong as theirs.',
        params: UseridParams,
        body: SetPasswordBody,
        response: withErrors({ 200: PasswordSet }, 403, 404, 409),
      },
    },
    async (request) => {
      return withTx(apiCtx(request), (tx) => setEmployeePassword(tx, { userid: request.params.userid, password: request.body.password }));
    },
  );
};
