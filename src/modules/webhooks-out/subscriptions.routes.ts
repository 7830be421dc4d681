import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  CreateWebhookSubscriptionBody,
  ListWebhookOutDeliveriesQuery,
  ReplayDeadResult,
  UpdateWebhookSubscriptionBody,
  WebhookOutDelivery,
  WebhookOutDeliveryDetail,
  WebhookOutDeliveryIdParams,
  WebhookOutDeliveryList,
  WebhookSubscription,
  WebhookSubscriptionIdParams,
  WebhookSubscriptionList,
  WebhookSubscriptionWithSecret,
} from '../../../contracts/webhook-subscriptions.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createSubscription } from './commands/create-subscription.js';
import { deleteSubscription } from './commands/delete-subscription.js';
import { pingSubscription } from './commands/ping-subscription.js';
import { replayDeadDeliveries, replayDelivery } from './commands/replay-delivery.js';
import { rotateSubscriptionSecret } from './commands/rotate-secret.js';
import { updateSubscription } from './commands/update-subscription.js';
import { webhooksOutTag } from './openapi.js';
import { presentDelivery, presentDeliveryDetail, presentSubscription, presentSubscriptionWithSecret } from './subscriptions.presenter.js';
import { getDelivery, getSubscription, listDeliveries, listSubscriptions } from './subscriptions.queries.js';

const tags = [webhooksOutTag];

/**
 * Outbound webhook subscriptions and their deliveries. Everything here needs `corp.settings`: a
 * subscription sends the corp's events to another system. Secrets are shown once, at creation and
 * rotation; the sender is woken after a ping or replay so the operator sees the outcome soon.
 */
export const webhookSubscriptionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/webhook-subscriptions',
    {
      schema: { tags, summary: 'List webhook subscriptions', description: 'Without secrets.', response: withErrors({ 200: WebhookSubscriptionList }, 403) },
    },
    async (request) => ({ subscriptions: (await listSubscriptions(apiCtx(request))).map(presentSubscription) }),
  );

  app.post(
    '/webhook-subscriptions',
    {
      schema: {
        tags,
        summary: 'Subscribe a URL to events',
        description:
          'Answers the signing secret this once. The URL must be http(s), without user:password, and not a private or loopback address (`webhook_url_forbidden`); every filter entry must select some event type. At most 20 per corp.',
        body: CreateWebhookSubscriptionBody,
        response: withErrors({ 201: WebhookSubscriptionWithSecret }, 403, 422),
      },
    },
    async (request, reply) => {
      const created = await withTx(apiCtx(request), (tx) => createSubscription(tx, { ...request.body, allowPrivate: app.allowPrivateWebhooks }));
      return reply.code(201).send(presentSubscriptionWithSecret(created));
    },
  );

  app.get(
    '/webhook-subscriptions/:subscriptionId',
    {
      schema: {
        tags,
        summary: 'Get a webhook subscription',
        params: WebhookSubscriptionIdParams,
        response: withErrors({ 200: WebhookSubscription }, 403, 404),
      },
    },
    async (request) => presentSubscription(await getSubscription(apiCtx(request), request.params.subscriptionId)),
  );

  app.patch(
    '/webhook-subscriptions/:subscriptionId',
    {
      schema: {
        tags,
        summary: 'Rename, move, refilter, pause or resume a subscription',
        description: 'A paused subscription gets no new deliveries, and its pending ones are not sent until it is resumed.',
        params: WebhookSubscriptionIdParams,
        body: UpdateWebhookSubscriptionBody,
        response: withErrors({ 200: WebhookSubscription }, 403, 404),
      },
    },
    async (request) =>
      presentSubscription(
        await withTx(apiCtx(request), (tx) =>
          updateSubscription(tx, { subscriptionId: request.params.subscriptionId, ...request.body, allowPrivate: app.allowPrivateWebhooks }),
        ),
      ),
  );

  app.delete(
    '/webhook-subscriptions/:subscriptionId',
    {
      schema: {
        tags,
        summary: 'Delete a subscription',
        description: 'Nothing more is sent to its URL, retries included; its deliveries and their attempts go with it.',
        params: WebhookSubscriptionIdParams,
        response: withErrors({ 200: z.object({ deliveriesDeleted: z.int() }) }, 403, 404),
      },
    },
    async (request) => withTx(apiCtx(request), (tx) => deleteSubscription(tx, { subscriptionId: request.params.subscriptionId })),
  );

  app.post(
    '/webhook-subscriptions/:subscriptionId/rotate',
    {
      schema: {
        tags,
        summary: "Rotate a subscription's signing secret",
        description: 'Every attempt from now on, retries included, is signed with the new secret, shown this once.',
        params: WebhookSubscriptionIdParams,
        response: withErrors({ 200: WebhookSubscriptionWithSecret }, 403, 404),
      },
    },
    async (request) =>
      presentSubscriptionWithSecret(await withTx(apiCtx(request), (tx) => rotateSubscriptionSecret(tx, { subscriptionId: request.params.subscriptionId }))),
  );

  app.post(
    '/webhook-subscriptions/:subscriptionId/ping',
    {
      schema: {
        tags,
        summary: 'Queue a test delivery',
        description: 'A signed `ping` delivery to this subscription whatever its filter, retried and listed like any other.',
        params: WebhookSubscriptionIdParams,
        response: withErrors({ 202: WebhookOutDelivery }, 403, 404),
      },
    },
    async (request, reply) => {
      const row = await withTx(apiCtx(request), (tx) => pingSubscription(tx, { subscriptionId: request.params.subscriptionId }));
      return reply.code(202).send(presentDelivery(row));
    },
  );

  app.get(
    '/webhook-subscriptions/:subscriptionId/deliveries',
    {
      schema: {
        tags,
        summary: "List a subscription's deliveries",
        description: 'Newest event first, with attempts, the last status, latency and error; `status=dead` is the dead-letter list.',
        params: WebhookSubscriptionIdParams,
        querystring: ListWebhookOutDeliveriesQuery,
        response: withErrors({ 200: WebhookOutDeliveryList }, 403, 404),
      },
    },
    async (request) => {
      const page = await listDeliveries(apiCtx(request), { subscriptionId: request.params.subscriptionId, ...request.query });
      return { deliveries: page.rows.map(presentDelivery), nextBefore: page.nextBefore };
    },
  );

  app.post(
    '/webhook-subscriptions/:subscriptionId/replay-dead',
    {
      schema: {
        tags,
        summary: "Replay a subscription's dead deliveries",
        description: 'Each goes back to pending with its idempotency key (up to 1,000 per call, oldest first).',
        params: WebhookSubscriptionIdParams,
        response: withErrors({ 200: ReplayDeadResult }, 403, 404),
      },
    },
    async (request) => withTx(apiCtx(request), (tx) => replayDeadDeliveries(tx, { subscriptionId: request.params.subscriptionId })),
  );

  app.get(
    '/webhook-deliveries/:deliveryId',
    {
      schema: {
        tags,
        summary: 'Get a delivery with every attempt',
        params: WebhookOutDeliveryIdParams,
        response: withErrors({ 200: WebhookOutDeliveryDetail }, 403, 404),
      },
    },
    async (request) => {
      const { row, attempts } = await getDelivery(apiCtx(request), request.params.deliveryId);
      return presentDeliveryDetail(row, attempts);
    },
  );

  app.post(
    '/webhook-deliveries/:deliveryId/replay',
    {
      schema: {
        tags,
        summary: 'Replay a dead or delivered delivery',
        description: 'Back to pending, due now, with the same idempotency key and body; a pending one is refused (409).',
        params: WebhookOutDeliveryIdParams,
        response: withErrors({ 200: WebhookOutDelivery }, 403, 404, 409),
      },
    },
    async (request) => presentDelivery(await withTx(apiCtx(request), (tx) => replayDelivery(tx, { deliveryId: request.params.deliveryId }))),
  );
};
