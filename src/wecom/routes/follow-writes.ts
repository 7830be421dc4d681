import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTx } from '../../context.js';
import { markTags } from '../../modules/customers/commands/mark-tags.js';
import { remarkFollow } from '../../modules/customers/commands/remark-follow.js';
import { idList, type MissingCodes, parseBody, postMethods, requiredText } from '../parse.js';
import { wecomOk } from '../presenters.js';
import { wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

const relation = { userid: requiredText, external_userid: requiredText };
const relationMissing: MissingCodes = { userid: 'userid_missing', external_userid: 'external_userid_missing' };

const markBody = z.object({ ...relation, add_tag: idList, remove_tag: idList });

// `null` (a Go SDK's unset field) leaves a field as it is; "" clears it.
const keep = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);
const remarkBody = z.object({
  ...relation,
  remark: keep(z.string()),
  description: keep(z.string()),
  remark_company: keep(z.string()),
  // WeCom clears the mobiles with [""].
  remark_mobiles: keep(z.array(z.string())).transform((mobiles) => mobiles?.filter((m) => m !== '')),
});

/**
 * Writes on one follow relation (wecom-api.md §2.5, §4): mark_tag puts corp and rule-group tags on
 * and off it; remark edits the member's remark, description, company and mobiles.
 */
export async function followWriteRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: postMethods,
    url: '/externalcontact/mark_tag',
    schema: wecomSchema({
      summary: 'Put tags on and off a follow relation',
      description: 'wecom-api.md §2.5 (doc 92118): corp and rule-group tags on one (member, customer) relation. No relation: 84061; unknown tag: 40068.',
      body: markBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, markBody, relationMissing);
      await markTags(wecomCtx(request), { userid: body.userid, externalUserid: body.external_userid, add: body.add_tag, remove: body.remove_tag });
      return wecomOk();
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/remark',
    schema: wecomSchema({
      summary: "Edit a follow relation's remark",
      description: 'wecom-api.md §4: remark, description, company and mobiles (`[""]` clears them); `null` leaves a field as it is.',
      body: remarkBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, remarkBody, relationMissing);
      await withTx(wecomCtx(request), (ctx) =>
        remarkFollow(ctx, {
          userid: body.userid,
          externalUserid: body.external_userid,
          remark: body.remark,
          description: body.description,
          remarkCompany: body.remark_company,
          remarkMobiles: body.remark_mobiles,
        }),
      );
      return wecomOk();
    },
  });
}
