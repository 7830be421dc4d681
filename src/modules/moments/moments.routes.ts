import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  CreateMomentBody,
  DeliveryList,
  ListDeliveriesQuery,
  ListMomentsQuery,
  Moment,
  MomentList,
  MomentParams,
  MomentPreview,
  PreviewMomentBody,
  UpdateMomentBody,
} from '../../../contracts/moments.js';
import { apiCtx } from '../../api/api-context.js';
import { type Ctx, withTx } from '../../context.js';
import type { AudienceEngine } from '../audiences/service/engine.js';
import { cancelMoment } from './commands/cancel-moment.js';
import { createMoment } from './commands/create-moment.js';
import { deleteMoment } from './commands/delete-moment.js';
import { scheduleMoment } from './commands/schedule-moment.js';
import { updateMoment } from './commands/update-moment.js';
import { getMoment, listDeliveries, listMoments, presentMoments } from './moments.queries.js';
import type { MomentRow } from './moments.repo.js';
import { previewMoment } from './planning/preview-moment.js';

const tags = ['Moments'];

const answer = async (ctx: Ctx, row: MomentRow) => (await presentMoments(ctx, [row]))[0]!;

/**
 * 客户朋友圈 posts over REST: compose (draft or scheduled at once), preview the audience with every
 * reduction, edit and delete drafts, schedule, cancel, and list posts and their deliveries. Every
 * change is a command checked as its actor (`moment.publish`).
 */
export const momentRoutes: FastifyPluginAsyncZod<{ engine: AudienceEngine }> = async (app, { engine }) => {
  app.post(
    '/moments',
    {
      schema: {
        tags,
        summary: 'Create a post',
        description:
          'Saved as a draft (`draft: true`) or scheduled at once: the audience (include − exclude − suppressed − over the weekly cap − without a chosen sender) is planned into one delivery per customer. An audience that leaves nobody is refused with `audience_empty` naming the reduction, and nothing is saved.',
        body: CreateMomentBody,
        response: withErrors({ 201: Moment }, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      return reply.code(201).send(await answer(ctx, await createMoment(ctx, engine, request.body)));
    },
  );

  app.post(
    '/moments/preview',
    {
      schema: {
        tags,
        summary: 'Preview a post’s audience',
        description: 'The same checks as creating it, then the counts reduction by reduction, per sender and per variant. Saves nothing.',
        body: PreviewMomentBody,
        response: withErrors({ 200: MomentPreview }, 403, 404, 409),
      },
    },
    async (request) => previewMoment(engine, apiCtx(request), request.body),
  );

  app.get(
    '/moments',
    {
      schema: {
        tags,
        summary: 'List posts',
        description: 'Newest first; `status` filters, `q` searches the text; pass `nextCursor` back as `cursor`.',
        querystring: ListMomentsQuery,
        response: withErrors({ 200: MomentList }, 403),
      },
    },
    async (request) => listMoments(apiCtx(request), request.query),
  );

  app.get(
    '/moments/:momentId',
    { schema: { tags, summary: 'Get a post', params: MomentParams, response: withErrors({ 200: Moment }, 403, 404) } },
    async (request) => getMoment(apiCtx(request), request.params.momentId),
  );

  app.patch(
    '/moments/:momentId',
    {
      schema: {
        tags,
        summary: 'Edit a draft',
        description: 'Only a draft; a scheduled post is cancelled and posted again instead.',
        params: MomentParams,
        body: UpdateMomentBody,
        response: withErrors({ 200: Moment }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return answer(ctx, await withTx(ctx, (tx) => updateMoment(tx, request.params.momentId, request.body)));
    },
  );

  app.delete(
    '/moments/:momentId',
    {
      schema: { tags, summary: 'Delete a draft', params: MomentParams, response: withErrors({ 204: z.null() }, 403, 404, 409) },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      await withTx(ctx, (tx) => deleteMoment(tx, request.params.momentId));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/moments/:momentId/schedule',
    {
      schema: {
        tags,
        summary: 'Schedule a draft',
        description: 'Checked afresh, then planned as when created with `draft: false`.',
        params: MomentParams,
        response: withErrors({ 200: Moment }, 403, 404, 409, 422),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return answer(ctx, await scheduleMoment(ctx, engine, request.params.momentId));
    },
  );

  app.post(
    '/moments/:momentId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a scheduled or sending post',
        description: 'Planned deliveries are cancelled; those already sent stay sent.',
        params: MomentParams,
        response: withErrors({ 200: Moment }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return answer(ctx, await cancelMoment(ctx, request.params.momentId));
    },
  );

  app.get(
    '/moments/:momentId/deliveries',
    {
      schema: {
        tags,
        summary: 'List a post’s deliveries',
        description:
          'By customer: the sender, the variant (-1 = the main content), the planned time and whether it was sent. Only senders within your data scope.',
        params: MomentParams,
        querystring: ListDeliveriesQuery,
        response: withErrors({ 200: DeliveryList }, 403, 404),
      },
    },
    async (request) => listDeliveries(apiCtx(request), request.params.momentId, request.query),
  );
};
