import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import { CreateRoleBody, PermissionRegistry, Role, RoleIdParams, RoleList, UpdateRoleBody } from '../../../contracts/roles.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createRole } from './commands/create-role.js';
import { deleteRole } from './commands/delete-role.js';
import { updateRole } from './commands/update-role.js';
import { presentPermissionRegistry, presentRole } from './roles.presenter.js';
import { listRoles } from './roles.queries.js';

const tags = ['Roles'];

/**
 * The permission registry and the corp's roles. Reading needs only authentication (the console
 * shows a user their role and the employee editor lists roles); changes need `role.manage`.
 */
export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/permissions',
    {
      schema: {
        tags,
        summary: 'The permission registry',
        description: 'Every permission with its description and the permissions it depends on.',
        response: withErrors({ 200: PermissionRegistry }),
      },
    },
    async () => presentPermissionRegistry(),
  );

  app.get(
    '/roles',
    {
      schema: { tags, summary: 'List roles', description: "Built-in roles (with the corp's edits) then custom ones.", response: withErrors({ 200: RoleList }) },
    },
    async (request) => {
      return { roles: (await listRoles(apiCtx(request))).map(presentRole) };
    },
  );

  app.post(
    '/roles',
    {
      schema: {
        tags,
        summary: 'Create a custom role',
        description: 'Every permission must exist and come with its `dependsOn`; a 400 lists what is unknown or missing.',
        body: CreateRoleBody,
        response: withErrors({ 201: Role }, 403, 409),
      },
    },
    async (request, reply) => {
      const created = await withTx(apiCtx(request), (tx) => createRole(tx, request.body));
      return reply.code(201).send(presentRole(created));
    },
  );

  app.patch(
    '/roles/:roleId',
    {
      schema: {
        tags,
        summary: 'Edit a role',
        description: "Editing a built-in role stores the corp's own version of it.",
        params: RoleIdParams,
        body: UpdateRoleBody,
        response: withErrors({ 200: Role }, 403, 404),
      },
    },
    async (request) => {
      return presentRole(await withTx(apiCtx(request), (tx) => updateRole(tx, { roleId: request.params.roleId, ...request.body })));
    },
  );

  app.delete(
    '/roles/:roleId',
    {
      schema: {
        tags,
        summary: 'Delete a custom role',
        description: 'Refused (409) for built-in roles and while anyone holds it.',
        params: RoleIdParams,
        response: withErrors({ 200: z.object({ roleId: z.string() }) }, 403, 404, 409),
      },
    },
    async (request) => {
      return withTx(apiCtx(request), (tx) => deleteRole(tx, { roleId: request.params.roleId }));
    },
  );
};
