import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  CreateWebhookSourceBody,
  ListWebhookDeliveriesQuery,
  TestWebhookDeliveryBody,
  UpdateWebhookSourceBody,
  WebhookDeliveryList,
  WebhookSource,
  WebhookSourceIdParams,
  WebhookSourceList,
  WebhookSourceWithSecret,
  WebhookTestResult,
} from '../../../contracts/webhooks.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createWebhookSource } from './commands/create-webhook-source.js';
import { deleteWebhookSource } from './commands/delete-webhook-source.js';
import { rotateWebhookSecret } from './commands/rotate-webhook-secret.js';
import { updateWebhookSource } from './commands/update-webhook-source.js';
import { webhooksTag } from './openapi.js';
import { testWebhookDelivery } from './test-delivery.js';
import { presentWebhookDelivery, presentWebhookSource, presentWebhookSourceWithSecret } from './webhooks.presenter.js';
import { getWebhookSource, listWebhookDeliveries, listWebhookSources } from './webhooks.queries.js';

const tags = [webhooksTag];

/**
 * Webhook sources (a CRM, a shop) and their delivery logs. Everything here needs `rule.manage`:
 * a source's deliveries trigger tagging rules. Secrets are shown once, at creation and rotation.
 */
export const webhookSourceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/webhook-sources',
    {
      schema: { tags, summary: 'List webhook sources', description: 'Without secrets.', response: withErrors({ 200: WebhookSourceList }, 403) },
    },
    async (request) => ({ sources: (await listWebhookSources(apiCtx(request))).map(presentWebhookSource) }),
  );

  app.post(
    '/webhook-sources',
    {
      schema: {
        tags,
        summary: 'Create a webhook source',
        description: "Answers the signing secret this once. The mapping's paths and event type are checked here.",
        body: CreateWebhookSourceBody,
        response: withErrors({ 201: WebhookSourceWithSecret }, 403, 422),
      },
    },
    async (request, reply) => {
      const created = await withTx(apiCtx(request), (tx) => createWebhookSource(tx, request.body));
      return reply.code(201).send(presentWebhookSourceWithSecret(created));
    },
  );

  app.get(
    '/webhook-sources/:sourceId',
    {
      schema: { tags, summary: 'Get a webhook source', params: WebhookSourceIdParams, response: withErrors({ 200: WebhookSource }, 403, 404) },
    },
    async (request) => presentWebhookSource(await getWebhookSource(apiCtx(request), request.params.sourceId)),
  );

  app.patch(
    '/webhook-sources/:sourceId',
    {
      schema: {
        tags,
        summary: 'Rename, remap, pause or resume a webhook source',
        description: 'A paused source refuses deliveries (403, logged).',
        params: WebhookSourceIdParams,
        body: UpdateWebhookSourceBody,
        response: withErrors({ 200: WebhookSource }, 403, 404),
      },
    },
    async (request) =>
      presentWebhookSource(await withTx(apiCtx(request), (tx) => updateWebhookSource(tx, { sourceId: request.params.sourceId, ...request.body }))),
  );

  app.delete(
    '/webhook-sources/:sourceId',
    {
      schema: {
        tags,
        summary: 'Delete a webhook source',
        description: 'Its URL answers 404 from now on and its delivery log goes; the facts it recorded stay.',
        params: WebhookSourceIdParams,
        response: withErrors({ 200: z.object({ deliveriesDeleted: z.int() }) }, 403, 404),
      },
    },
    async (request) => withTx(apiCtx(request), (tx) => deleteWebhookSource(tx, { sourceId: request.params.sourceId })),
  );

  app.post(
    '/webhook-sources/:sourceId/rotate',
    {
      schema: {
        tags,
        summary: "Rotate a webhook source's secret",
        description: 'Deliveries signed with the old secret are refused from now on; the new one is shown this once.',
        params: WebhookSourceIdParams,
        response: withErrors({ 200: WebhookSourceWithSecret }, 403, 404),
      },
    },
    async (request) => presentWebhookSourceWithSecret(await withTx(apiCtx(request), (tx) => rotateWebhookSecret(tx, { sourceId: request.params.sourceId }))),
  );

  app.post(
    '/webhook-sources/:sourceId/test',
    {
      schema: {
        tags,
        summary: "Try a sample payload on a source's mapping",
        description:
          'Shows what a delivery of this payload would record (or why it would be refused), with the saved mapping or a draft given here. Records nothing; no signature needed.',
        params: WebhookSourceIdParams,
        body: TestWebhookDeliveryBody,
        response: withErrors({ 200: WebhookTestResult }, 403, 404),
      },
    },
    async (request) =>
      testWebhookDelivery(apiCtx(request), { sourceId: request.params.sourceId, payload: request.body.payload, mapping: request.body.mapping }),
  );

  app.get(
    '/webhook-sources/:sourceId/deliveries',
    {
      schema: {
        tags,
        summary: "List a source's deliveries",
        description:
          'Newest first, each accepted or refused with its code and reason; `outcome=refused` lists the failures. Refused ones are kept up to the newest 1,000.',
        params: WebhookSourceIdParams,
        querystring: ListWebhookDeliveriesQuery,
        response: withErrors({ 200: WebhookDeliveryList }, 403, 404),
      },
    },
    async (request) => {
      const page = await listWebhookDeliveries(apiCtx(request), { sourceId: request.params.sourceId, ...request.query });
      return { deliveries: page.rows.map(presentWebhookDelivery), nextBefore: page.nextBefore };
    },
  );
};
