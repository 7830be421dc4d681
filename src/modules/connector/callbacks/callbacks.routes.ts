import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CallbackLog, ListCallbacksQuery } from '../../../../contracts/connector-callbacks.js';
import { withErrors } from '../../../../contracts/errors.js';
import { apiCtx } from '../../../api/api-context.js';
import { listCallbacks } from './callbacks.queries.js';

/** The console's view of what WeCom posted to `/hooks/wecom/:corpId` and what became of it. Needs `corp.settings`. */
export const callbackLogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/connector/callbacks',
    {
      schema: {
        tags: ['Connector'],
        summary: 'List the callbacks WeCom posted',
        description:
          'Newest first: applied, duplicate (a retry of one applied), refused (bad signature, stale timestamp, malformed body) or failed (reading WeCom failed: WeCom retries). Refused ones are kept up to the newest 1,000. Never the body.',
        querystring: ListCallbacksQuery,
        response: withErrors({ 200: CallbackLog }, 403),
      },
    },
    async (request) => {
      const page = await listCallbacks(apiCtx(request), request.query);
      return {
        callbacks: page.rows.map((r) => ({
          callbackId: r.callbackId,
          outcome: r.outcome,
          event: r.event,
          changeType: r.changeType,
          reason: r.reason,
          receivedAt: r.receivedAt.toISOString(),
        })),
        nextBefore: page.nextBefore,
      };
    },
  );
};
