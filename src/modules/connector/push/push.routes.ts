import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ListPushItemsQuery, PushItemIdParams, PushItemList, PushSummary, ReplayAllPushBody, ReplayResult } from '../../../../contracts/connector-push.js';
import { withErrors } from '../../../../contracts/errors.js';
import { apiCtx } from '../../../api/api-context.js';
import { withTx } from '../../../context.js';
import { listPushItems, pushSummary } from './push.queries.js';
import { replayAllPushItems, replayPushItem } from './replay-push.js';

const tags = ['WeCom connector'];

/**
 * The push to WeCom as an operator sees it: counts, the queue by status (the dead-letter list
 * first), and replay of dead items. Everything here needs `corp.settings`.
 */
export const connectorPushRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/connector/push/summary',
    {
      schema: {
        tags,
        summary: 'Where the push to WeCom stands',
        description: 'Whether push is on, how many calls are queued and dead, the oldest queued and the last delivered.',
        response: withErrors({ 200: PushSummary }, 403),
      },
    },
    async (request) => pushSummary(apiCtx(request)),
  );

  app.get(
    '/connector/push',
    {
      schema: {
        tags,
        summary: 'List queued, delivered or dead WeCom calls',
        description: 'Newest first, one status at a time (dead by default: the dead-letter list), paged by `before`.',
        querystring: ListPushItemsQuery,
        response: withErrors({ 200: PushItemList }, 403),
      },
    },
    async (request) => listPushItems(apiCtx(request), request.query),
  );

  app.post(
    '/connector/push/replay',
    {
      schema: {
        tags,
        summary: 'Replay every dead WeCom call',
        description: 'Every dead item goes back to the queue with its attempts reset; one `connector.push_replayed` event.',
        body: ReplayAllPushBody,
        response: withErrors({ 200: ReplayResult }, 403),
      },
    },
    async (request) => withTx(apiCtx(request), (tx) => replayAllPushItems(tx)),
  );

  app.post(
    '/connector/push/:itemId/replay',
    {
      schema: {
        tags,
        summary: 'Replay one dead WeCom call',
        description: 'The item goes back to the queue with its attempts reset. Only a dead item can be replayed (409 otherwise).',
        params: PushItemIdParams,
        response: withErrors({ 200: ReplayResult }, 403, 404, 409),
      },
    },
    async (request) => withTx(apiCtx(request), (tx) => replayPushItem(tx, request.params.itemId)),
  );
};
