import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../../contracts/errors.js';
import { ListSuppressionsQuery, SuppressionList, SuppressionParams } from '../../../../contracts/moments.js';
import { apiCtx } from '../../../api/api-context.js';
import { withTx } from '../../../context.js';
import { liftSuppression } from './commands/lift-suppression.js';
import { presentSuppression } from './suppressions.presenter.js';
import { listSuppressions } from './suppressions.queries.js';

const tags = ['Moments'];

/** Moments suppression lists: who is kept off which tag group's posts and why, and lifting it. */
export const suppressionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/moments/suppressions',
    {
      schema: {
        tags,
        summary: 'List customers kept off tag groups’ posts',
        description:
          'Customers who marked N posts of a tag group “not interested” in a row (the corp setting `moments.notInterestedStreak`), newest first, with the posts that did it. Only groups you may see and customers in your reach; needs `moment.publish`.',
        querystring: ListSuppressionsQuery,
        response: withErrors({ 200: SuppressionList }, 403),
      },
    },
    async (request) => {
      const page = await listSuppressions(apiCtx(request), request.query);
      return { suppressions: page.suppressions.map(presentSuppression), nextCursor: page.nextCursor };
    },
  );

  app.delete(
    '/moments/suppressions/:groupId/:externalUserid',
    {
      schema: {
        tags,
        summary: 'Lift a suppression',
        description: 'The customer sees the group’s posts again; a new streak of “not interested” suppresses them again. 404 when they are not suppressed.',
        params: SuppressionParams,
        response: withErrors({ 204: z.null() }, 403, 404),
      },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (tx) => liftSuppression(tx, request.params));
      return reply.code(204).send(null);
    },
  );
};
