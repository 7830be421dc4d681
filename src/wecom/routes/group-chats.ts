import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getChat, listChats } from '../../modules/group-chats/group-chats.queries.js';
import { presentWecomChat } from '../group-chat-presenters.js';
import { idList, optionalText, parseBody, postMethods, requiredText } from '../parse.js';
import { wecomOk } from '../presenters.js';
import { wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

const listBody = z.object({
  // 0 (or absent) lists every chat; 1 owner left awaiting transfer, 2 transferring, 3 transferred.
  status_filter: z.int().min(0).max(3).nullish(),
  owner_filter: z.object({ userid_list: idList.pipe(z.array(z.string()).max(100)) }).nullish(),
  cursor: optionalText,
  // Required, 1–1000, as WeCom's doc 92120 says.
  limit: z.int().min(1).max(1000),
});
const getBody = z.object({ chat_id: requiredText, need_name: z.int().min(0).max(1).nullish() });

const ChatMember = z.object({
  userid: z.string(),
  type: z.int(),
  unionid: z.string().optional(),
  join_time: z.int(),
  join_scene: z.int(),
  invitor: z.object({ userid: z.string() }).optional(),
  group_nickname: z.string(),
  name: z.string().optional(),
  state: z.string().optional(),
});
const GroupChat = z.object({
  chat_id: z.string(),
  name: z.string(),
  owner: z.string(),
  create_time: z.int(),
  notice: z.string(),
  member_list: z.array(ChatMember),
  admin_list: z.array(z.object({ userid: z.string() })),
  member_version: z.string(),
});

/**
 * Customer group chats (客户群, wecom-api.md §6.4): groupchat/list pages the chats whose owners the
 * token reaches, groupchat/get shows one with its members' 入群时间, scene, invitor and join-way state.
 */
export async function groupChatRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: postMethods,
    url: '/externalcontact/groupchat/list',
    schema: wecomSchema({
      summary: 'Page customer group chats',
      description:
        'wecom-api.md §6.4 (doc 92120): `status_filter` 0 all, 1–3 by status; `owner_filter.userid_list` up to 100; `limit` 1–1000 (required); `next_cursor` is "" on the last page; a foreign cursor is 50100.',
      body: listBody,
      reply: wecomReply({ group_chat_list: z.array(z.object({ chat_id: z.string(), status: z.int() })), next_cursor: z.string() }),
    }),
    config: { wecomEmpty: { group_chat_list: [], next_cursor: '' } },
    handler: async (request) => {
      const body = parseBody(request, listBody);
      const { chats, nextCursor } = await listChats(wecomCtx(request), {
        status: body.status_filter || undefined,
        owners: body.owner_filter?.userid_list,
        cursor: body.cursor,
        limit: body.limit,
      });
      return wecomOk({ group_chat_list: chats.map((c) => ({ chat_id: c.chatId, status: c.status })), next_cursor: nextCursor });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/groupchat/get',
    schema: wecomSchema({
      summary: 'Get a customer group chat with its members',
      description:
        "wecom-api.md §6.4 (doc 92122): members with `join_time` (入群时间), `join_scene` (1 invited, 2 by link, 3 scanned a QR code), `invitor` and the join way's `state`; `name` only with `need_name: 1`. Unknown or out-of-reach chat: 40050.",
      body: getBody,
      reply: wecomReply({ group_chat: GroupChat }),
    }),
    config: { wecomEmpty: { group_chat: {} } },
    handler: async (request) => {
      const body = parseBody(request, getBody);
      const { chat, members } = await getChat(wecomCtx(request), body.chat_id);
      return wecomOk({ group_chat: presentWecomChat(chat, members, body.need_name === 1) });
    },
  });
}
