import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { App, AppIdParams, AppList, AppWithSecret, CreateAppBody, UpdateAppBody } from '../../../contracts/apps.js';
import { withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { presentApp, presentAppWithSecret } from './apps.presenter.js';
import { listApps } from './apps.queries.js';
import { createApp } from './commands/create-app.js';
import { rotateAppSecret } from './commands/rotate-app-secret.js';
import { updateApp } from './commands/update-app.js';

const tags = ['Apps'];

/** Apps and their secrets (shown once, stored hashed). Everything here needs `org.manage`. */
export const appRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/apps',
    {
      schema: {
        tags,
        summary: 'List apps',
        description: 'Without secrets; `range` is null for the customer-contact app.',
        response: withErrors({ 200: AppList }, 403),
      },
    },
    async (request) => {
      return { apps: (await listApps(apiCtx(request))).map(presentApp) };
    },
  );

  app.post(
    '/apps',
    {
      schema: {
        tags,
        summary: 'Create an app limited to a range',
        description: 'Answers the secret this once; only its hash is stored.',
        body: CreateAppBody,
        response: withErrors({ 201: AppWithSecret }, 403),
      },
    },
    async (request, reply) => {
      const created = await withTx(apiCtx(request), (tx) => createApp(tx, request.body));
      return reply.code(201).send(presentAppWithSecret(created));
    },
  );

  app.patch(
    '/apps/:appId',
    {
      schema: { tags, summary: 'Rename an app or change its range', params: AppIdParams, body: UpdateAppBody, response: withErrors({ 200: App }, 403, 404) },
    },
    async (request) => {
      return presentApp(await withTx(apiCtx(request), (tx) => updateApp(tx, { appId: request.params.appId, ...request.body })));
    },
  );

  app.post(
    '/apps/:appId/rotate',
    {
      schema: {
        tags,
        summary: "Rotate an app's secret",
        description: 'The old secret and every access token issued under it stop working; the new secret is shown this once.',
        params: AppIdParams,
        response: withErrors({ 200: AppWithSecret }, 403, 404),
      },
    },
    async (request) => {
      return presentAppWithSecret(await withTx(apiCtx(request), (tx) => rotateAppSecret(tx, { appId: request.params.appId })));
    },
  );
};
