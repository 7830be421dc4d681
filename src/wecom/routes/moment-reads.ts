import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { requireEmployee } from '../../modules/customers/follows.repo.js';
import { presentMomentTaskResult, presentWecomMoment } from '../moment-presenters.js';
import {
  decodeCursor,
  findMomentByJobid,
  momentReactions,
  pageMomentCustomers,
  pageMomentSenders,
  pageWecomMoments,
  readMomentTaskInvalid,
  requireWecomMoment,
} from '../moment-queries.js';
import { optionalText, parseBody, parseQuery, postMethods, requiredText } from '../parse.js';
import { unixSeconds, wecomOk } from '../presenters.js';
import { wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

/** The longest window get_moment_list takes: WeCom's "one month", read as 31 days. */
export const momentListMaxSpanSeconds = 31 * 86_400;

/** A page size: absent, `null` or 0 (Go SDKs' unset) is the endpoint's default; above `max` is 40058. */
const pageLimit = (max: number, fallback: number) =>
  z
    .int()
    .min(0)
    .max(max)
    .nullish()
    .transform((n) => n || fallback);

const jobQuery = z.object({ jobid: requiredText });
const listBody = z.object({
  start_time: z.int().min(0),
  end_time: z.int().min(0),
  creator: optionalText,
  // 0 corp posts, 1 members' personal posts (Tagloom has none), 2 both (the default).
  filter_type: z.int().min(0).max(2).nullish(),
  cursor: optionalText,
  limit: pageLimit(100, 100),
});
const taskBody = z.object({ moment_id: requiredText, cursor: optionalText, limit: pageLimit(1000, 500) });
const customerBody = z.object({ moment_id: requiredText, userid: requiredText, cursor: optionalText, limit: pageLimit(1000, 500) });
const sendBody = z.object({ moment_id: requiredText, userid: requiredText, cursor: optionalText, limit: pageLimit(5000, 3000) });
const commentsBody = z.object({ moment_id: requiredText, userid: requiredText });
const momentMissing = { moment_id: 'moment_id_missing', userid: 'userid_missing' } as const;

const Reaction = z.object({ external_userid: z.string(), create_time: z.int() });
const WecomMoment = z.object({
  moment_id: z.string(),
  creator: z.string().meta({ description: 'The member who wrote it; "" when an app created it.' }),
  create_time: z.int(),
  create_type: z.int().meta({ description: '0: a corp post (every Tagloom post is one).' }),
  visible_type: z.int().meta({ description: '0 partial (an include or exclude audience restricted it), 1 public.' }),
  text: z.object({ content: z.string() }),
  image: z.array(z.object({ media_id: z.string() })).optional(),
  video: z.object({ media_id: z.string(), thumb_media_id: z.string() }).optional(),
  link: z.object({ title: z.string(), url: z.string() }).optional(),
});

/**
 * The read side of WeCom's Moments API (wecom-api.md §5.2) over Tagloom's posts and deliveries:
 * the outcome of add_moment_task, the posts of a period, each sender's status, the customers
 * planned and reached, and their comments and likes.
 */
export async function momentReadRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/externalcontact/get_moment_task_result',
    {
      schema: wecomSchema({
        summary: 'Get the outcome of add_moment_task',
        description:
          'wecom-api.md §5.2: `status` 3 (done: Tagloom plans a post while add_moment_task answers), `type` "add_moment_task", `result` with the `moment_id` and the senders and tags it could not use. Unknown jobid: 40058.',
        querystring: jobQuery,
        reply: wecomReply({
          status: z.int(),
          type: z.string(),
          result: z.object({
            errcode: z.int(),
            errmsg: z.string(),
            moment_id: z.string(),
            invalid_sender_list: z.object({ user_list: z.array(z.string()), department_list: z.array(z.int()) }),
            invalid_external_contact_list: z.object({ tag_list: z.array(z.string()) }),
          }),
        }),
      }),
      config: { wecomEmpty: { status: 0, type: 'add_moment_task', result: {} } },
    },
    async (request) => {
      const { jobid } = parseQuery(request, jobQuery);
      const ctx = wecomCtx(request);
      const moment = await findMomentByJobid(ctx, jobid);
      if (!moment) throw new AppError('validation_failed', { message: 'invalid jobid', details: [{ path: 'jobid', message: 'unknown' }] });
      return wecomOk({ status: 3, type: 'add_moment_task', result: presentMomentTaskResult(moment, await readMomentTaskInvalid(ctx, moment.momentId)) });
    },
  );

  app.route({
    method: postMethods,
    url: '/externalcontact/get_moment_list',
    schema: wecomSchema({
      summary: 'List the posts of a period',
      description:
        'wecom-api.md §5.2: posts created within [start_time, end_time] (unix seconds, at most one month apart), oldest first; `creator` filters by the member who wrote it; `filter_type` 1 (personal posts) lists nothing; `limit` up to 100 (default 100); `next_cursor` is "" on the last page; a foreign cursor is 50100.',
      body: listBody,
      reply: wecomReply({ moment_list: z.array(WecomMoment), next_cursor: z.string() }),
    }),
    config: { wecomEmpty: { moment_list: [], next_cursor: '' } },
    handler: async (request) => {
      const body = parseBody(request, listBody);
      if (body.end_time < body.start_time) throw new AppError('validation_failed', { message: 'invalid parameter end_time: before start_time' });
      if (body.end_time - body.start_time > momentListMaxSpanSeconds) {
        throw new AppError('validation_failed', { message: 'invalid parameter: start_time and end_time are more than one month apart' });
      }
      const ctx = wecomCtx(request);
      if (body.filter_type === 1) {
        // Nothing to list, but a foreign cursor is still 50100, as on any page.
        if (body.cursor) decodeCursor('moment_list', body.cursor);
        return wecomOk({ moment_list: [], next_cursor: '' });
      }
      const { rows, nextCursor } = await pageWecomMoments(ctx, {
        from: new Date(body.start_time * 1000),
        to: new Date((body.end_time + 1) * 1000),
        creator: body.creator,
        cursor: body.cursor,
        limit: body.limit,
      });
      return wecomOk({ moment_list: rows.map(presentWecomMoment), next_cursor: nextCursor });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/get_moment_task',
    schema: wecomSchema({
      summary: "List a post's senders and whether each posted it",
      description:
        'wecom-api.md §5.2: `publish_status` 1 once any of the member’s deliveries went out; `limit` up to 1000 (default 500). Missing moment_id 41059, unknown 41060.',
      body: taskBody,
      reply: wecomReply({ task_list: z.array(z.object({ userid: z.string(), publish_status: z.int() })), next_cursor: z.string() }),
    }),
    config: { wecomEmpty: { task_list: [], next_cursor: '' } },
    handler: async (request) => {
      const body = parseBody(request, taskBody, momentMissing);
      const ctx = wecomCtx(request);
      await requireWecomMoment(ctx, body.moment_id);
      const { rows, nextCursor } = await pageMomentSenders(ctx, body.moment_id, { cursor: body.cursor, limit: body.limit });
      return wecomOk({ task_list: rows.map((r) => ({ userid: r.userid, publish_status: r.published ? 1 : 0 })), next_cursor: nextCursor });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/get_moment_customer_list',
    schema: wecomSchema({
      summary: 'List the customers a post was planned for through one member',
      description:
        'wecom-api.md §5.2: the audience chosen when the post was planned (exclusions, suppression and the frequency cap already applied); `limit` up to 1000 (default 500).',
      body: customerBody,
      reply: wecomReply({ customer_list: z.array(z.object({ userid: z.string(), external_userid: z.string() })), next_cursor: z.string() }),
    }),
    config: { wecomEmpty: { customer_list: [], next_cursor: '' } },
    handler: async (request) => {
      const body = parseBody(request, customerBody, momentMissing);
      const ctx = wecomCtx(request);
      await requireWecomMoment(ctx, body.moment_id);
      await requireEmployee(ctx, body.userid);
      const { rows, nextCursor } = await pageMomentCustomers(ctx, body.moment_id, body.userid, { sentOnly: false, cursor: body.cursor, limit: body.limit });
      return wecomOk({ customer_list: rows.map((id) => ({ userid: body.userid, external_userid: id })), next_cursor: nextCursor });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/get_moment_send_result',
    schema: wecomSchema({
      summary: 'List the customers a post reached through one member',
      description: 'wecom-api.md §5.2: the customers whose delivery went out; `limit` up to 5000 (default 3000).',
      body: sendBody,
      reply: wecomReply({ customer_list: z.array(z.object({ external_userid: z.string() })), next_cursor: z.string() }),
    }),
    config: { wecomEmpty: { customer_list: [], next_cursor: '' } },
    handler: async (request) => {
      const body = parseBody(request, sendBody, momentMissing);
      const ctx = wecomCtx(request);
      await requireWecomMoment(ctx, body.moment_id);
      await requireEmployee(ctx, body.userid);
      const { rows, nextCursor } = await pageMomentCustomers(ctx, body.moment_id, body.userid, { sentOnly: true, cursor: body.cursor, limit: body.limit });
      return wecomOk({ customer_list: rows.map((id) => ({ external_userid: id })), next_cursor: nextCursor });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/get_moment_comments',
    schema: wecomSchema({
      summary: "The comments and likes on a post from one member's customers",
      description: 'wecom-api.md §5.2: from the `moment.commented` and `moment.liked` facts recorded on the post, oldest first.',
      body: commentsBody,
      reply: wecomReply({ comment_list: z.array(Reaction), like_list: z.array(Reaction) }),
    }),
    config: { wecomEmpty: { comment_list: [], like_list: [] } },
    handler: async (request) => {
      const body = parseBody(request, commentsBody, momentMissing);
      const ctx = wecomCtx(request);
      await requireWecomMoment(ctx, body.moment_id);
      await requireEmployee(ctx, body.userid);
      const { comments, likes } = await momentReactions(ctx, body.moment_id, body.userid);
      const present = (r: { externalUserid: string; at: Date }) => ({ external_userid: r.externalUserid, create_time: unixSeconds(r.at) });
      return wecomOk({ comment_list: comments.map(present), like_list: likes.map(present) });
    },
  });
}
