import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTx } from '../../context.js';
import { AppError } from '../../errors.js';
import { createContactWay } from '../../modules/contact-ways/commands/create-contact-way.js';
import { deleteContactWay } from '../../modules/contact-ways/commands/delete-contact-way.js';
import { updateContactWay } from '../../modules/contact-ways/commands/update-contact-way.js';
import { contactWayMaxSeconds, contactWayTextMax } from '../../modules/contact-ways/contact-way-input.js';
import { listContactWayIds } from '../../modules/contact-ways/contact-ways.queries.js';
import { findContactWay } from '../../modules/contact-ways/contact-ways.repo.js';
import { nameLength } from '../../names/name-policy.js';
import { presentWecomContactWay } from '../contact-way-presenters.js';
import { idList, optionalText, parseBody, postMethods, requiredText } from '../parse.js';
import { wecomOk } from '../presenters.js';
import { wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

// `null` (a Go SDK's unset field) reads as absent: the default on add, unchanged on update.
const keep = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);
const text30 = z.string().refine((s) => nameLength(s) <= contactWayTextMax, { message: `longer than ${contactWayTextMax} characters` });
const seconds = z.number().int().min(1).max(contactWayMaxSeconds);
const partyList = z
  .array(
    z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1),
  )
  .nullish()
  .transform((ids) => ids ?? undefined);
// Conclusions (结束语) are stored as sent and echoed back; Tagloom sends no messages.
const conclusions = keep(z.record(z.string(), z.unknown()).refine((c) => JSON.stringify(c).length <= 20_000, { message: 'larger than 20,000 characters' }));

const editable = {
  style: keep(
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  ),
  remark: keep(text30),
  skip_verify: keep(z.boolean()),
  state: keep(text30),
  user: idList.transform((ids) => (ids.length > 0 ? ids : undefined)),
  party: partyList,
  expires_in: keep(seconds),
  chat_expires_in: keep(seconds),
  unionid: keep(z.string().max(64)),
  conclusions,
};
const addBody = z.object({
  type: z.union([z.literal(1), z.literal(2)]),
  scene: z.union([z.literal(1), z.literal(2)]),
  is_temp: keep(z.boolean()),
  ...editable,
});
const updateBody = z.object({ config_id: requiredText, ...editable });
const configBody = z.object({ config_id: requiredText });
const listBody = z.object({
  // Unix seconds as WeCom's uint32; larger would make an invalid date.
  start_time: keep(z.number().int().min(0).max(4_294_967_295)),
  end_time: keep(z.number().int().min(0).max(4_294_967_295)),
  cursor: optionalText,
  limit: keep(z.number().int().min(1).max(1000)),
});

const fields = (b: z.output<typeof updateBody> | z.output<typeof addBody>) => ({
  style: b.style,
  remark: b.remark,
  skipVerify: b.skip_verify,
  state: b.state,
  userids: b.user,
  party: b.party,
  expiresIn: b.expires_in,
  chatExpiresIn: b.chat_expires_in,
  unionid: b.unionid,
  conclusions: b.conclusions,
});

const ninetyDays = 90 * 24 * 3600;

/**
 * 「联系我」 contact ways (wecom-api.md §6.1, doc 92572): add, get, list, update and delete, over the
 * same commands as the native `/contact-ways`. The campaign window and default tags are Tagloom's
 * own and are set on the native API; WeCom's fields are kept as sent.
 */
export async function contactWayRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: postMethods,
    url: '/externalcontact/add_contact_way',
    schema: wecomSchema({
      summary: 'Add a contact way (「联系我」)',
      description:
        "wecom-api.md §6.1: `type` 1 single (exactly one `user`) or 2 multi; `scene` 1 mini-program or 2 QR code (then `qr_code`, a Tagloom link until the connector syncs WeCom's). `state` ≤ 30 characters, unique among the corp's live ways. Unknown userid: 40003; unknown party: 60123.",
      body: addBody,
      reply: wecomReply({ config_id: z.string(), qr_code: z.string().optional() }),
    }),
    config: { wecomEmpty: { config_id: '' } },
    handler: async (request) => {
      const body = parseBody(request, addBody);
      const way = await withTx(wecomCtx(request), (tx) => createContactWay(tx, { type: body.type, scene: body.scene, isTemp: body.is_temp, ...fields(body) }));
      return wecomOk(way.scene === 2 ? { config_id: way.configId, qr_code: way.qrCode } : { config_id: way.configId });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/get_contact_way',
    schema: wecomSchema({
      summary: 'Get a contact way',
      description: "wecom-api.md §6.1. Unknown, deleted or another corp's `config_id`: 40058.",
      body: configBody,
      reply: wecomReply({ contact_way: z.record(z.string(), z.unknown()) }),
    }),
    config: { wecomEmpty: { contact_way: {} } },
    handler: async (request) => {
      const body = parseBody(request, configBody);
      return wecomOk({ contact_way: presentWecomContactWay(await findContactWay(wecomCtx(request), body.config_id)) });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/list_contact_way',
    schema: wecomSchema({
      summary: 'List contact way ids',
      description:
        'wecom-api.md §6.1: live ways created in [start_time, end_time] (unix seconds; default the 90 days up to now), oldest first, `limit` 1–1000 (default 100) a page; `next_cursor` is "" on the last page.',
      body: listBody,
      reply: wecomReply({ contact_way: z.array(z.object({ config_id: z.string() })), next_cursor: z.string() }),
    }),
    config: { wecomEmpty: { contact_way: [] } },
    handler: async (request) => {
      const body = parseBody(request, listBody);
      const end = body.end_time ?? Math.floor(Date.now() / 1000);
      const start = body.start_time ?? Math.max(0, end - ninetyDays);
      if (start > end)
        throw new AppError('validation_failed', {
          message: 'invalid parameter start_time: after end_time',
          details: [{ path: 'start_time', message: 'after end_time' }],
        });
      const page = await listContactWayIds(wecomCtx(request), {
        start: new Date(start * 1000),
        end: new Date(end * 1000 + 999),
        cursor: body.cursor,
        limit: body.limit ?? 100,
      });
      return wecomOk({ contact_way: page.configIds.map((config_id) => ({ config_id })), next_cursor: page.nextCursor });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/update_contact_way',
    schema: wecomSchema({
      summary: 'Update a contact way',
      description:
        'wecom-api.md §6.1: fields left out (or null) stay; `user` and `party` replace the lists when given. `type`, `scene` and `is_temp` are fixed.',
      body: updateBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, updateBody);
      await withTx(wecomCtx(request), (tx) => updateContactWay(tx, body.config_id, fields(body)));
      return wecomOk();
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/del_contact_way',
    schema: wecomSchema({
      summary: 'Delete a contact way',
      description: 'wecom-api.md §6.1. Its `state` is free again; the customers it brought in keep theirs.',
      body: configBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, configBody);
      await withTx(wecomCtx(request), (tx) => deleteContactWay(tx, body.config_id));
      return wecomOk();
    },
  });
}
