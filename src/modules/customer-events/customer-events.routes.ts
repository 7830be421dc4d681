import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RecordCustomerEventsBody, RecordCustomerEventsResult } from '../../../contracts/customer-events.js';
import { withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { recordCustomerEvents } from './record-customer-events.js';

/** Behaviour facts in: what CRM webhooks, link trackers and live-stream platforms report. */
export const customerEventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/customer-events',
    {
      schema: {
        tags: ['Audiences'],
        summary: 'Record what customers did',
        description: 'Up to 1,000 facts per call, all or nothing. Audience expressions count them: `event:link.clicked(target=p1, count>=2, within=7d)`.',
        body: RecordCustomerEventsBody,
        response: withErrors({ 200: RecordCustomerEventsResult }, 403, 404),
      },
    },
    async (request) => {
      const events = request.body.events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) }));
      return withTx(apiCtx(request), (tx) => recordCustomerEvents(tx, events));
    },
  );
};
