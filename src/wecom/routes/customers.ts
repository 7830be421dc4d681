import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { getCustomerDetail, listFollowedIds, listFollowUserIds, pageFollowsByUsers, tagsOfFollows } from '../../modules/customers/customers.queries.js';
import { requireEmployee } from '../../modules/customers/follows.repo.js';
import { optionalText, parseBody, parseQuery, postMethods, requiredText } from '../parse.js';
import { presentExternalContact, presentFollowInfo, presentFollowUser, wecomOk } from '../presenters.js';
import { WecomExternalContact, WecomFollowInfo, WecomFollowUser, wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

/** How many follow users one `get` reply carries before WeCom pages them with `next_cursor`. */
export const followUsersPerPage = 500;

const listQuery = z.object({ userid: requiredText });
const getQuery = z.object({ external_userid: requiredText, cursor: optionalText });
const batchBody = z.object({
  userid_list: z.array(requiredText).max(100).nullish(),
  // The old single-userid form, still sent by wechatpy and some TS SDKs.
  userid: optionalText,
  cursor: optionalText,
  // Go SDKs send 0 for "unset"; it means the default, as an absent limit does. Over 100 clamps to
  // 100, as WeCom does (doc 92994), so scripts written against WeCom keep working.
  limit: z
    .number()
    .int()
    .min(0)
    .nullish()
    .transform((limit) => (limit ? Math.min(limit, 100) : limit)),
});

/**
 * Slices a customer's follow users into pages of 500 for `get`. The cursor names the last userid
 * of the previous page, so it stays meaningful while relations are added; an unknown one is 50100.
 */
function pageFollowUsers<T extends { userid: string }>(all: T[], cursor: string | undefined): { page: T[]; nextCursor: string } {
  let start = 0;
  if (cursor) {
    const after = Buffer.from(cursor, 'base64url').toString('utf8');
    const index = all.findIndex((f) => f.userid === after);
    if (index < 0) throw new AppError('invalid_cursor');
    start = index + 1;
  }
  const page = all.slice(start, start + followUsersPerPage);
  const last = page[page.length - 1];
  const nextCursor = start + followUsersPerPage < all.length && last ? Buffer.from(last.userid).toString('base64url') : '';
  return { page, nextCursor };
}

/**
 * Customer read endpoints (wecom-api.md §4): get_follow_user_list (members with customer contact), list (a member's customers), get (one customer with
 * every follow relation and its tags) and batch/get_by_user (follow relations of up to 100 members).
 */
export async function customerRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/externalcontact/get_follow_user_list',
    {
      schema: wecomSchema({
        summary: 'List members with customer contact',
        description: 'wecom-api.md §4: the userids of members who follow at least one customer.',
        reply: wecomReply({ follow_user: z.array(z.string()) }),
      }),
      config: { wecomEmpty: { follow_user: [] } },
    },
    async (request) => {
      return wecomOk({ follow_user: await listFollowUserIds(wecomCtx(request)) });
    },
  );

  app.get(
    '/externalcontact/list',
    {
      schema: wecomSchema({
        summary: "List one member's customers",
        description: 'wecom-api.md §4. Unknown member: 40003.',
        querystring: listQuery,
        reply: wecomReply({ external_userid: z.array(z.string()) }),
      }),
      config: { wecomEmpty: { external_userid: [] } },
    },
    async (request) => {
      const { userid } = parseQuery(request, listQuery, { userid: 'userid_missing' });
      const ctx = wecomCtx(request);
      await requireEmployee(ctx, userid);
      return wecomOk({ external_userid: await listFollowedIds(ctx, userid) });
    },
  );

  app.get(
    '/externalcontact/get',
    {
      schema: wecomSchema({
        summary: 'Get a customer with every follow relation and its tags',
        description: 'wecom-api.md §4. Follow users come 500 a page; `next_cursor` is "" on the last page. Unknown customer: 40096.',
        querystring: getQuery,
        reply: wecomReply({ external_contact: WecomExternalContact, follow_user: z.array(WecomFollowUser), next_cursor: z.string() }),
      }),
      config: { wecomEmpty: { external_contact: {}, follow_user: [] } },
    },
    async (request) => {
      const query = parseQuery(request, getQuery, { external_userid: 'external_userid_missing' });
      // WeCom shows every follower's personal tags here, by name only (presentFollowTag drops the id).
      const detail = await getCustomerDetail(wecomCtx(request), query.external_userid, { kind: 'all' });
      const { page, nextCursor } = pageFollowUsers(detail.follows, query.cursor);
      return wecomOk({ external_contact: presentExternalContact(detail.customer), follow_user: page.map(presentFollowUser), next_cursor: nextCursor });
    },
  );

  app.route({
    method: postMethods,
    url: '/externalcontact/batch/get_by_user',
    schema: wecomSchema({
      summary: 'Page the follow relations of up to 100 members',
      description:
        'wecom-api.md §4 (doc 92994). `userid_list` (or the old single `userid`); `limit` default 50, over 100 clamps to 100; `next_cursor` is "" on the last page.',
      body: batchBody,
      reply: wecomReply({
        external_contact_list: z.array(z.object({ external_contact: WecomExternalContact, follow_info: WecomFollowInfo })),
        next_cursor: z.string(),
      }),
    }),
    config: { wecomEmpty: { external_contact_list: [], next_cursor: '' } },
    handler: async (request) => {
      const body = parseBody(request, batchBody, { 'userid_list.*': 'userid_missing' });
      const userids = [...new Set(body.userid_list ?? (body.userid ? [body.userid] : []))];
      if (userids.length === 0) throw new AppError('userid_missing', { message: 'userid_list missing' });
      const ctx = wecomCtx(request);
      for (const userid of userids) await requireEmployee(ctx, userid);
      const { page, nextCursor } = await pageFollowsByUsers(ctx, userids, body.cursor, body.limit || 50);
      // Personal tags are left out of follow_info, as WeCom does.
      const tags = await tagsOfFollows(ctx, [...new Set(page.map((row) => row.customer.externalUserid))], { kind: 'none' });
      return wecomOk({
        external_contact_list: page.map(({ follow, customer }) => ({
          external_contact: presentExternalContact(customer),
          follow_info: presentFollowInfo(follow, tags.get(`${follow.userid}|${follow.externalUserid}`) ?? []),
        })),
        next_cursor: nextCursor,
      });
    },
  });
}
