import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTx } from '../../context.js';
import { createJoinWay } from '../../modules/group-chats/commands/create-join-way.js';
import { deleteJoinWay } from '../../modules/group-chats/commands/delete-join-way.js';
import { updateJoinWay } from '../../modules/group-chats/commands/update-join-way.js';
import { getJoinWay } from '../../modules/group-chats/group-chats.queries.js';
import { presentWecomJoinWay } from '../group-chat-presenters.js';
import { idList, parseBody, postMethods, requiredText } from '../parse.js';
import { wecomOk } from '../presenters.js';
import { wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

// `null` is a Go SDK's unset field: it reads as absent. Lengths are the command's to check, so
// both surfaces count characters the same way.
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);
const settings = {
  remark: opt(z.string()),
  auto_create_room: opt(z.union([z.literal(0), z.literal(1)])),
  room_base_name: opt(z.string()),
  room_base_id: opt(
    z
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  ),
  chat_id_list: idList,
  state: opt(z.string()),
};
const addBody = z.object({ scene: z.union([z.literal(1), z.literal(2)]), ...settings });
const updateBody = z.object({
  config_id: requiredText,
  scene: opt(z.union([z.literal(1), z.literal(2)])),
  ...settings,
  chat_id_list: opt(z.array(z.string())),
});
const configBody = z.object({ config_id: requiredText });

const JoinWay = z.object({
  config_id: z.string(),
  scene: z.int(),
  remark: z.string(),
  auto_create_room: z.int(),
  room_base_name: z.string(),
  room_base_id: z.int(),
  chat_id_list: z.array(z.string()),
  qr_code: z.string(),
  state: z.string(),
});

/**
 * 「加入群聊」 join ways, the group 活码 (wecom-api.md §6.4): add, get, update, del. Up to 5 chats and a
 * `state` of at most 30 characters (40058 beyond); an unknown chat is 40050; managing them needs
 * `rule.manage`.
 */
export async function joinWayRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: postMethods,
    url: '/externalcontact/groupchat/add_join_way',
    schema: wecomSchema({
      summary: 'Create a group join way (群活码)',
      description:
        'wecom-api.md §6.4: `scene` 1 mini-program, 2 QR code; `chat_id_list` 1–5 chats; `state` ≤ 30 characters; `remark` ≤ 30; `room_base_name` ≤ 40.',
      body: addBody,
      reply: wecomReply({ config_id: z.string() }),
    }),
    config: { wecomEmpty: { config_id: '' } },
    handler: async (request) => {
      const body = parseBody(request, addBody);
      const row = await withTx(wecomCtx(request), (ctx) =>
        createJoinWay(ctx, {
          scene: body.scene,
          remark: body.remark ?? '',
          autoCreateRoom: body.auto_create_room ?? 1,
          roomBaseName: body.room_base_name ?? '',
          roomBaseId: body.room_base_id ?? 0,
          chatIdList: body.chat_id_list,
          state: body.state ?? '',
        }),
      );
      return wecomOk({ config_id: row.configId });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/groupchat/get_join_way',
    schema: wecomSchema({
      summary: 'Get a group join way',
      description: 'wecom-api.md §6.4. Unknown `config_id`: 40058.',
      body: configBody,
      reply: wecomReply({ join_way: JoinWay }),
    }),
    config: { wecomEmpty: { join_way: {} } },
    handler: async (request) => {
      const body = parseBody(request, configBody);
      return wecomOk({ join_way: presentWecomJoinWay(await getJoinWay(wecomCtx(request), body.config_id)) });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/groupchat/update_join_way',
    schema: wecomSchema({
      summary: 'Change a group join way',
      description: 'wecom-api.md §6.4: the same fields and limits as add_join_way; absent or `null` keeps a value.',
      body: updateBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, updateBody);
      await withTx(wecomCtx(request), (ctx) =>
        updateJoinWay(ctx, {
          configId: body.config_id,
          scene: body.scene,
          remark: body.remark,
          autoCreateRoom: body.auto_create_room,
          roomBaseName: body.room_base_name,
          roomBaseId: body.room_base_id,
          chatIdList: body.chat_id_list?.filter((id) => id !== ''),
          state: body.state,
        }),
      );
      return wecomOk();
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/groupchat/del_join_way',
    schema: wecomSchema({
      summary: 'Delete a group join way',
      description: 'wecom-api.md §6.4. Unknown `config_id`: 40058.',
      body: configBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, configBody);
      await withTx(wecomCtx(request), (ctx) => deleteJoinWay(ctx, body.config_id));
      return wecomOk();
    },
  });
}
