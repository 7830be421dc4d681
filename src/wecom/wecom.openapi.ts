import { z } from 'zod';

/**
 * The WeCom surface as the OpenAPI document describes it (wecom-api.md has the wire details). The
 * schemas here only describe: the surface keeps parsing with `parseWecom`, so its errcodes stay
 * WeCom's, and the plugin's validator and serializer ignore them.
 */

/** The OpenAPI tag every `/cgi-bin` operation carries. */
export const wecomTag = 'WeCom-compatible';

/** What the document says about the tag: how the surface differs from the native API. */
export const wecomTagDescription =
  "WeCom's own external-contact API (企业微信 客户联系), so existing WeCom SDKs and scripts work unchanged: point their base URL at this server. " +
  "Get a token from `gettoken` with the corp's customer-contact secret (or an app's); every other call takes it as the `access_token` query parameter only. " +
  'Every known path answers HTTP 200 with `errcode` (0 = ok) and `errmsg`, and keeps its result fields, empty, on errors; the token is checked first (41001 missing, 40014 invalid or repeated, 42001 expired), then the input (40058 invalid parameter: bad JSON, bad text, a value out of range, a body over 4 MB). Unknown paths answer 404 with an empty body.';

const UnixSeconds = z.int().meta({ description: 'Unix seconds.' });
const Order = z.int().meta({ description: '0 to 2^32−1; larger lists first.' });

/** A WeCom reply: `errcode` and `errmsg`, then the endpoint's fields (empty on errors). */
export function wecomReply<T extends z.ZodRawShape>(fields?: T) {
  return z.object({
    errcode: z.int().meta({ description: "0 on success, else WeCom's errcode. The HTTP status is 200 either way." }),
    errmsg: z.string().meta({ description: '"ok", or an English message ending in a hint with the request id.' }),
    ...(fields ?? ({} as T)),
  });
}

const WecomTag = z.object({
  id: z.string(),
  name: z.string(),
  create_time: UnixSeconds,
  order: Order,
  deleted: z.boolean().optional().meta({ description: 'Only when the request asked by id.' }),
});

/** A corp tag group with its tags, as get_corp_tag_list and add_corp_tag send it. */
export const WecomTagGroup = z.object({
  group_id: z.string(),
  group_name: z.string(),
  create_time: UnixSeconds,
  order: Order,
  deleted: z.boolean().optional().meta({ description: 'Only when the request asked by id.' }),
  tag: z.array(WecomTag),
});

/** A rule-group tag group: a corp-style group plus its `strategy_id`, never `deleted` flags. */
export const WecomStrategyTagGroup = z.object({
  group_id: z.string(),
  group_name: z.string(),
  create_time: UnixSeconds,
  order: Order,
  strategy_id: z.int(),
  tag: z.array(z.object({ id: z.string(), name: z.string(), create_time: UnixSeconds, order: Order })),
});

/** A customer (`external_contact`). */
export const WecomExternalContact = z.object({
  external_userid: z.string(),
  name: z.string(),
  type: z.int().meta({ description: '1 WeChat user, 2 WeCom user.' }),
  gender: z.int().meta({ description: '0 unknown, 1 male, 2 female.' }),
  avatar: z.string(),
  corp_name: z.string().optional().meta({ description: 'WeCom users only.' }),
  corp_full_name: z.string().optional().meta({ description: 'WeCom users only.' }),
});

const followFields = {
  userid: z.string(),
  remark: z.string(),
  description: z.string(),
  createtime: UnixSeconds,
  remark_corp_name: z.string().optional(),
  remark_mobiles: z.array(z.string()),
  oper_userid: z.string(),
  add_way: z.int(),
  state: z.string().optional().meta({ description: "The contact way's `state`, when the customer came through one." }),
};

/** One follow relation of `get`, with its tags (personal ones by name only). */
export const WecomFollowUser = z.object({
  ...followFields,
  tags: z.array(
    z.object({
      group_name: z.string(),
      tag_name: z.string(),
      tag_id: z.string().optional(),
      type: z.int().meta({ description: '1 corp, 2 personal (no tag_id), 3 rule group.' }),
    }),
  ),
});

/** One follow relation of `batch/get_by_user`: corp and rule-group tag ids only. */
export const WecomFollowInfo = z.object({ ...followFields, tag_id: z.array(z.string()) });

/** A customer rule group (规则组). */
export const WecomStrategy = z.object({
  strategy_id: z.int(),
  parent_id: z.int().meta({ description: '0 for a top-level rule group.' }),
  strategy_name: z.string(),
  create_time: UnixSeconds,
  admin_list: z.array(z.string()),
  privilege: z.record(z.string(), z.boolean()),
});

/** One node of a rule group's range: a member (`type` 1, `userid`) or a department (`type` 2, `partyid`). */
export const WecomRangeNode = z.object({ type: z.int(), userid: z.string().optional(), partyid: z.int().optional() });

/**
 * A `/cgi-bin` route's schema for the document: what it takes and its reply, under the
 * WeCom-compatible tag, authenticated by the `access_token` query parameter unless `public`. The
 * body goes under `documentedBody` (the swagger plugin reads it as the body): a POST endpoint is
 * registered for GET too, and Fastify refuses a body schema on a GET route.
 * @example schema: wecomSchema({ summary: 'Mark tags', body: markBody, reply: wecomReply() })
 */
export function wecomSchema(doc: { summary: string; description?: string; body?: z.ZodType; querystring?: z.ZodType; reply: z.ZodType; public?: boolean }) {
  return {
    tags: [wecomTag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.body ? { documentedBody: doc.body } : {}),
    ...(doc.querystring ? { querystring: doc.querystring } : {}),
    security: doc.public ? [] : [{ accessToken: [] }],
    response: { 200: doc.reply },
  };
}
