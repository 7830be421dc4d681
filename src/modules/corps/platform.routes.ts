import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../contracts/errors.js';
import { CorpList, CreateCorpBody, ProvisionedCorp } from '../../../contracts/platform.js';
import { listCorps } from './corps.queries.js';
import { provisionCorp } from './provision-corp.js';

const tags = ['Platform'];
const security = [{ platformKey: [] }];

/**
 * The platform operator's routes (`/platform/corps`): open a corp and list the corps of this
 * server. They take the platform key from `TAGLOOM_PLATFORM_KEY` instead of a corp's credentials,
 * and exist only when that key is set.
 */
export const platformRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/platform/corps',
    {
      config: { platform: true },
      schema: {
        tags,
        security,
        summary: 'Open a corp',
        description:
          'Creates the corp, its customer-contact app, a root department and optionally a first admin. The secret and the admin password are shown in this answer only.',
        body: CreateCorpBody,
        response: withErrors({ 201: ProvisionedCorp }, 409),
      },
    },
    async (request, reply) => {
      const created = await provisionCorp(app.db, request.body, 'api');
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/platform/corps',
    {
      config: { platform: true },
      schema: { tags, security, summary: 'List the corps of this server', response: withErrors({ 200: CorpList }) },
    },
    async () => {
      const rows = await listCorps(app.db);
      return { corps: rows.map((c) => ({ corpId: c.corpId, name: c.name, createdAt: c.createdAt.toISOString() })) };
    },
  );
};
