import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  ChatIdParams,
  ChatMemberParams,
  CreateGroupChatBody,
  GroupChat,
  GroupChatList,
  ListGroupChatsQuery,
  RecordChatJoinBody,
  RecordChatJoinResult,
  UpdateGroupChatBody,
} from '../../../contracts/group-chats.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { recordChatJoin } from './commands/record-chat-join.js';
import { recordChatLeave } from './commands/record-chat-leave.js';
import { saveGroupChat } from './commands/save-group-chat.js';
import { presentChatMember, presentGroupChat } from './group-chats.presenter.js';
import { getChat, listChats } from './group-chats.queries.js';

const tags = ['Group chats'];

/**
 * Customer group chats (客户群) over REST: record chats, joins and leaves (what the connector and
 * the sidebar report) and read them back. A customer's join is a behaviour fact audiences count.
 */
export const groupChatRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/group-chats',
    {
      schema: {
        tags,
        summary: 'List group chats',
        description: 'Chats whose owner is in the caller\'s data scope, by chat id; filter by `status` and `owner`. `nextCursor` is "" on the last page.',
        querystring: ListGroupChatsQuery,
        response: withErrors({ 200: GroupChatList }, 403),
      },
    },
    async (request) => {
      const { chats, memberCounts, nextCursor } = await listChats(apiCtx(request), {
        status: request.query.status,
        owners: request.query.owner,
        cursor: request.query.cursor,
        limit: request.query.limit,
      });
      return { chats: chats.map((c) => ({ ...presentGroupChat(c), memberCount: memberCounts.get(c.chatId) ?? 0 })), nextCursor };
    },
  );

  app.get(
    '/group-chats/:chatId',
    {
      schema: { tags, summary: 'Get a group chat with its members', params: ChatIdParams, response: withErrors({ 200: GroupChat }, 403, 404) },
    },
    async (request) => {
      const { chat, members } = await getChat(apiCtx(request), request.params.chatId);
      return presentGroupChat(chat, members);
    },
  );

  app.post(
    '/group-chats',
    {
      schema: {
        tags,
        summary: 'Record a new group chat',
        description: "The owner must be an employee in the caller's scope. A chat id already recorded is 409.",
        body: CreateGroupChatBody,
        response: withErrors({ 201: GroupChat }, 403, 404, 409),
      },
    },
    async (request, reply) => {
      const { createTime, ...body } = request.body;
      const saved = await withTx(apiCtx(request), (tx) =>
        saveGroupChat(tx, { mode: 'create', ...body, createTime: createTime ? new Date(createTime) : undefined }),
      );
      return reply.code(201).send(presentGroupChat(saved.chat));
    },
  );

  app.patch(
    '/group-chats/:chatId',
    {
      schema: {
        tags,
        summary: 'Change a group chat',
        description: 'Name, notice, status, admins or owner (a hand-over); fields left out keep their value.',
        params: ChatIdParams,
        body: UpdateGroupChatBody,
        response: withErrors({ 200: GroupChat }, 403, 404),
      },
    },
    async (request) => {
      const saved = await withTx(apiCtx(request), (tx) => saveGroupChat(tx, { mode: 'update', chatId: request.params.chatId, ...request.body }));
      return presentGroupChat(saved.chat);
    },
  );

  app.post(
    '/group-chats/:chatId/members',
    {
      schema: {
        tags,
        summary: 'Record that someone joined a chat',
        description:
          "An employee (`userid`) or a customer (`externalUserid`) with the 入群时间, scene and join-way `state`. A customer's join is the behaviour fact `group_chat.joined` (target = chat id): `event:group_chat.joined(target=CHAT, within=3d)`. The same join again answers 200 with `repeated: true` and changes nothing.",
        params: ChatIdParams,
        body: RecordChatJoinBody,
        response: withErrors({ 200: RecordChatJoinResult, 201: RecordChatJoinResult }, 403, 404),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const member = b.externalUserid !== undefined ? { externalUserid: b.externalUserid } : { userid: b.userid! };
      const result = await withTx(apiCtx(request), (tx) =>
        recordChatJoin(tx, {
          chatId: request.params.chatId,
          member,
          joinTime: new Date(b.joinTime),
          joinScene: b.joinScene,
          state: b.state,
          invitor: b.invitor,
          groupNickname: b.groupNickname,
          name: b.name,
          unionid: b.unionid,
        }),
      );
      return reply.code(result.repeated ? 200 : 201).send({ member: presentChatMember(result.member), repeated: result.repeated });
    },
  );

  app.delete(
    '/group-chats/:chatId/members/:memberId',
    {
      schema: {
        tags,
        summary: 'Record that someone left a chat',
        description: 'The member is no longer in the chat; their join stays in the history and the behaviour facts.',
        params: ChatMemberParams,
        response: withErrors({ 200: z.object({ left: z.literal(true) }) }, 403, 404),
      },
    },
    async (request) => {
      await withTx(apiCtx(request), (tx) => recordChatLeave(tx, { chatId: request.params.chatId, memberId: request.params.memberId }));
      return { left: true as const };
    },
  );
};
