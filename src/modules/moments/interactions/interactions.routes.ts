import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../../contracts/errors.js';
import { MomentParams, RecordInteractionsBody, RecordInteractionsResult } from '../../../../contracts/moments.js';
import { apiCtx } from '../../../api/api-context.js';
import { withTx } from '../../../context.js';
import { recordMomentInteractions } from './record-interactions.js';

/** What customers did with a post, reported by whoever sees it happen (a WeCom callback relay, a link tracker). */
export const momentInteractionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/moments/:momentId/interactions',
    {
      schema: {
        tags: ['Moments'],
        summary: 'Record what customers did with a post',
        description:
          'Up to 1,000 views, likes, comments, clicks and “not interested”, all or nothing, stored as the behaviour facts `moment.<kind>` (target: the post). The same `dedupKey` on the same post, or the same interaction at the same instant, is recorded once. Three “not interested” in a row on posts that targeted a tag group (the corp setting `moments.notInterestedStreak`) put the customer on that group’s suppression list.',
        params: MomentParams,
        body: RecordInteractionsBody,
        response: withErrors({ 200: RecordInteractionsResult }, 403, 404, 409),
      },
    },
    async (request) => {
      const interactions = request.body.interactions.map((i) => ({ ...i, occurredAt: new Date(i.occurredAt) }));
      return withTx(apiCtx(request), (tx) => recordMomentInteractions(tx, request.params.momentId, interactions));
    },
  );
};
