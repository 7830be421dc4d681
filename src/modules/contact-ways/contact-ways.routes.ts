import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConfigIdParams,
  ContactWay,
  ContactWayArrivals,
  ContactWayDetail,
  ContactWayList,
  ContactWayQuery,
  CreateContactWayBody,
  UpdateContactWayBody,
} from '../../../contracts/contact-ways.js';
import { withErrors } from '../../../contracts/errors.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createContactWay } from './commands/create-contact-way.js';
import { deleteContactWay } from './commands/delete-contact-way.js';
import { updateContactWay } from './commands/update-contact-way.js';
import type { ContactWayChanges } from './contact-way-input.js';
import { presentContactWay, presentContactWayDetail } from './contact-ways.presenter.js';
import { getContactWayWithArrivals, listContactWays } from './contact-ways.queries.js';

const tags = ['Contact ways'];

const date = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

function changesOf(body: z.infer<typeof UpdateContactWayBody>): ContactWayChanges {
  return {
    style: body.style,
    remark: body.remark,
    skipVerify: body.skipVerify,
    state: body.state,
    userids: body.userids,
    party: body.departments,
    expiresIn: body.expiresIn,
    chatExpiresIn: body.chatExpiresIn,
    unionid: body.unionid,
    conclusions: body.conclusions,
    startsAt: date(body.startsAt),
    endsAt: date(body.endsAt),
    defaultTagIds: body.defaultTagIds,
  };
}

/**
 * Contact ways (活码 / 「联系我」) over REST, with Tagloom's campaign window and default tags, on the
 * same commands as WeCom's add/get/list/update/del_contact_way. Reading needs `customer.view`;
 * changing needs `rule.manage`, since a way with default tags tags customers as a rule does.
 */
export const contactWayRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/contact-ways',
    {
      schema: {
        tags,
        summary: 'List contact ways',
        description: 'Every live way, newest first, each with how many customers (within your reach) came in through it.',
        response: withErrors({ 200: ContactWayList }, 403),
      },
    },
    async (request) => {
      const found = await listContactWays(apiCtx(request));
      return { contactWays: found.map((f) => presentContactWay(f.way, f.customers)) };
    },
  );

  app.get(
    '/contact-ways/:configId',
    {
      schema: {
        tags,
        summary: 'Get a contact way and who came in through it',
        description: "Customers whose follow carries the way's state, newest first, `limit` a page (relations you reach only).",
        params: ConfigIdParams,
        querystring: ContactWayQuery,
        response: withErrors({ 200: ContactWayDetail }, 403, 404),
      },
    },
    async (request) => presentContactWayDetail(await getContactWayWithArrivals(apiCtx(request), request.params.configId, request.query)),
  );

  app.get(
    '/contact-ways/:configId/arrivals',
    {
      schema: {
        tags,
        summary: 'Who came in through a contact way',
        description:
          "Customers whose follow carries the way's state, newest first, on relations you reach (as the customer list does); `nextCursor` is null on the last page.",
        params: ConfigIdParams,
        querystring: ContactWayQuery,
        response: withErrors({ 200: ContactWayArrivals }, 403, 404),
      },
    },
    async (request) => {
      const found = presentContactWayDetail(await getContactWayWithArrivals(apiCtx(request), request.params.configId, request.query));
      return { arrivals: found.arrivals, nextCursor: found.nextCursor, total: found.customers };
    },
  );

  app.post(
    '/contact-ways',
    {
      schema: { tags, summary: 'Create a contact way', body: CreateContactWayBody, response: withErrors({ 201: ContactWay }, 403, 404, 409) },
    },
    async (request, reply) => {
      const { type, scene, isTemp, ...rest } = request.body;
      const way = await withTx(apiCtx(request), (tx) =>
        createContactWay(tx, { type: type === 'single' ? 1 : 2, scene: scene === 'miniprogram' ? 1 : 2, isTemp, ...changesOf(rest) }),
      );
      return reply.code(201).send(presentContactWay(way, 0));
    },
  );

  app.patch(
    '/contact-ways/:configId',
    {
      schema: {
        tags,
        summary: 'Change a contact way',
        description: 'Left-out fields stay; `null` clears a window end, expiry or style. Type, scene and temporary mode are fixed.',
        params: ConfigIdParams,
        body: UpdateContactWayBody,
        response: withErrors({ 200: ContactWay }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const way = await withTx(ctx, (tx) => updateContactWay(tx, request.params.configId, changesOf(request.body)));
      const found = await getContactWayWithArrivals(ctx, way.configId, { limit: 1 });
      return presentContactWay(way, found.customers);
    },
  );

  app.delete(
    '/contact-ways/:configId',
    {
      schema: {
        tags,
        summary: 'Delete a contact way',
        description: 'Its state is free again; customers it brought in keep theirs.',
        params: ConfigIdParams,
        response: withErrors({ 204: z.null() }, 403, 404),
      },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (tx) => deleteContactWay(tx, request.params.configId));
      return reply.code(204).send(null);
    },
  );
};
