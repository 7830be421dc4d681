import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConfigIdParams } from '../../../contracts/contact-ways.js';
import { withErrors } from '../../../contracts/errors.js';
import { ArrivalsQuery, CreateJoinWayBody, JoinWay, JoinWayArrivals, JoinWayList, UpdateJoinWayBody } from '../../../contracts/group-chats.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { createJoinWay } from './commands/create-join-way.js';
import { deleteJoinWay } from './commands/delete-join-way.js';
import { updateJoinWay } from './commands/update-join-way.js';
import { getJoinWay } from './group-chats.queries.js';
import { presentJoinArrival, presentJoinWay } from './join-ways.presenter.js';
import { joinWayArrivals, listJoinWays } from './join-ways.queries.js';

const tags = ['Group chats'];

const sceneOf = (scene: 'miniprogram' | 'qrcode' | undefined) => (scene === undefined ? undefined : scene === 'miniprogram' ? 1 : 2);
const flagOf = (on: boolean | undefined) => (on === undefined ? undefined : on ? 1 : 0);

/**
 * 「加入群聊」 join ways (群活码) over REST, on the same commands as WeCom's add/get/update/del_join_way.
 * Reading needs `customer.view`; changing needs `rule.manage`, as the WeCom surface does.
 */
export const joinWayRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/join-ways',
    { schema: { tags, summary: 'List group join ways', description: 'Every join way, newest first.', response: withErrors({ 200: JoinWayList }, 403) } },
    async (request) => ({ joinWays: (await listJoinWays(apiCtx(request))).map(presentJoinWay) }),
  );

  app.get(
    '/join-ways/:configId',
    { schema: { tags, summary: 'Get a group join way', params: ConfigIdParams, response: withErrors({ 200: JoinWay }, 403, 404) } },
    async (request) => presentJoinWay(await getJoinWay(apiCtx(request), request.params.configId)),
  );

  app.get(
    '/join-ways/:configId/arrivals',
    {
      schema: {
        tags,
        summary: 'Who joined through a group join way',
        description: "Members whose join carries the way's state, in chats you see, newest first; `nextCursor` is null on the last page.",
        params: ConfigIdParams,
        querystring: ArrivalsQuery,
        response: withErrors({ 200: JoinWayArrivals }, 403, 404),
      },
    },
    async (request) => {
      const found = await joinWayArrivals(apiCtx(request), request.params.configId, request.query);
      return { arrivals: found.arrivals.map(presentJoinArrival), nextCursor: found.nextCursor, total: found.total };
    },
  );

  app.post(
    '/join-ways',
    {
      schema: {
        tags,
        summary: 'Create a group join way',
        description: 'Up to 5 chats, each one you see; `state` and `remark` at most 30 characters.',
        body: CreateJoinWayBody,
        response: withErrors({ 201: JoinWay }, 403, 404),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const row = await withTx(apiCtx(request), (tx) =>
        createJoinWay(tx, {
          scene: b.scene === 'miniprogram' ? 1 : 2,
          remark: b.remark ?? '',
          autoCreateRoom: b.autoCreateRoom === false ? 0 : 1,
          roomBaseName: b.roomBaseName ?? '',
          roomBaseId: b.roomBaseId ?? 0,
          chatIdList: b.chatIdList,
          state: b.state ?? '',
        }),
      );
      return reply.code(201).send(presentJoinWay(row));
    },
  );

  app.patch(
    '/join-ways/:configId',
    {
      schema: {
        tags,
        summary: 'Change a group join way',
        description: 'Left-out fields keep their value; the result is checked as a new way would be.',
        params: ConfigIdParams,
        body: UpdateJoinWayBody,
        response: withErrors({ 200: JoinWay }, 403, 404),
      },
    },
    async (request) => {
      const b = request.body;
      const row = await withTx(apiCtx(request), (tx) =>
        updateJoinWay(tx, {
          configId: request.params.configId,
          scene: sceneOf(b.scene),
          remark: b.remark,
          autoCreateRoom: flagOf(b.autoCreateRoom),
          roomBaseName: b.roomBaseName,
          roomBaseId: b.roomBaseId,
          chatIdList: b.chatIdList,
          state: b.state,
        }),
      );
      return presentJoinWay(row);
    },
  );

  app.delete(
    '/join-ways/:configId',
    {
      schema: {
        tags,
        summary: 'Delete a group join way',
        description: 'Members who joined through it keep its state.',
        params: ConfigIdParams,
        response: withErrors({ 204: z.null() }, 403, 404),
      },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (tx) => deleteJoinWay(tx, request.params.configId));
      return reply.code(204).send(null);
    },
  );
};
