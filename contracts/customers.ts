import { z } from 'zod';
import { chars, Id, Timestamp } from './common.js';

// ---- input ----

/** `GET /customers`: customers in creation order, optionally only those one employee follows. */
export const ListCustomersQuery = z.strictObject({
  userid: Id.optional().meta({ description: 'Only customers this employee follows.' }),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `:externalUserid` in a path. */
export const CustomerParams = z.strictObject({ externalUserid: Id });

/** `:externalUserid` and `:userid` in a path: one follow relation (employee × customer). */
export const FollowParams = z.strictObject({ externalUserid: Id, userid: Id });

/** `POST …/follows/:userid/tags`: tag ids to put on and take off the relation. */
export const MarkTagsBody = z
  .strictObject({ add: z.array(Id).max(1000).optional(), remove: z.array(Id).max(1000).optional() })
  .refine((b) => (b.add?.length ?? 0) + (b.remove?.length ?? 0) > 0, 'give at least one tag id in add or remove');

/** `PATCH …/follows/:userid`: the employee's notes on the customer (WeCom's remark fields). */
export const RemarkFollowBody = z
  .strictObject({
    remark: chars(20).optional(),
    description: chars(150).optional(),
    remarkCompany: chars(20).optional(),
    remarkMobiles: z.array(z.string().max(32)).max(5).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of remark, description, remarkCompany, remarkMobiles');

// ---- output ----

/** A customer in a listing, with the userids of the employees who follow it. */
export const CustomerSummary = z.object({
  externalUserid: z.string(),
  name: z.string(),
  type: z.number().meta({ description: '1 WeChat user, 2 WeCom user' }),
  gender: z.number().meta({ description: '0 unknown, 1 male, 2 female' }),
  avatar: z.string(),
  corpName: z.string(),
  corpFullName: z.string(),
  province: z.string(),
  city: z.string(),
  createdAt: Timestamp,
  followUserids: z.array(z.string()),
});

/** `GET /customers`: one page; `nextCursor` is null on the last. */
export const CustomerPage = z.object({ customers: z.array(CustomerSummary), nextCursor: z.string().nullable() });

/** Who put a tag on a relation, how and when (the mark's own record; an undo restores the original's). */
export const TagOrigin = z.object({
  source: z.string().meta({ description: '`manual`, `batch`, `rule`, `api`, `wecom-api`, `import` or `restore`.' }),
  by: z.string().meta({ description: '`user:ID`, `app:ID` or `system:NAME`.' }),
  byName: z.string().nullable().meta({ description: 'The employee’s name when `by` is one.' }),
  operationId: z.string().nullable().meta({ description: 'The batch, import, rule run or undo that put it on; null for a single mark.' }),
  operationKind: z.string().nullable(),
  at: Timestamp,
  rule: z
    .object({ ruleId: z.string(), name: z.string(), version: z.int() })
    .nullable()
    .optional()
    .meta({ description: 'The tagging rule whose run put the tag on (source `rule`), with the version that ran.' }),
  evidence: z
    .object({
      seq: z.int(),
      type: z.string().meta({
        description:
          'The triggering event: `message.matched`, `contact_way.customer_added`, `group_chat.member_joined`, `customer_event.recorded`, `webhook.received`, or `schedule`.',
      }),
      at: Timestamp,
      details: z
        .record(z.string(), z.string())
        .meta({ description: 'The event’s fields worth showing: `keywords`, `userid`, `state`, `chatId`, `eventType`, `target`, `sourceId`…' }),
      summary: z.string().meta({ description: 'One line in English, e.g. "message at 10:02 contained 预约, 看房".' }),
    })
    .nullable()
    .optional()
    .meta({ description: 'The event that made the rule fire for this customer.' }),
});

/** A tag on a follow relation. Personal tags show only to their owner. */
export const FollowTag = z.object({
  tagId: z.string(),
  name: z.string(),
  groupId: z.string().nullable(),
  groupName: z.string(),
  type: z.enum(['corp', 'personal', 'strategy']),
  origin: TagOrigin.optional().meta({ description: 'Where the mark came from (in `GET /customers/:externalUserid`).' }),
});

/** A follow relation (employee × customer) with the employee's notes. */
export const Follow = z.object({
  userid: z.string(),
  externalUserid: z.string(),
  remark: z.string(),
  description: z.string(),
  remarkCompany: z.string(),
  remarkMobiles: z.array(z.string()),
  addTime: Timestamp,
  addWay: z.number(),
  state: z.string(),
  operUserid: z.string(),
});

/** A follow relation with its tags and the employee's name, so the console shows who rather than a userid. */
export const FollowWithTags = Follow.extend({
  userName: z.string().meta({ description: 'The employee’s name (the userid when the corp has no such employee).' }),
  tags: z.array(FollowTag),
  abilities: z.record(z.string(), z.boolean()).optional(),
});

/** `GET /customers/:externalUserid`. */
export const CustomerDetail = CustomerSummary.omit({ followUserids: true }).extend({
  attributes: z.record(z.string(), z.unknown()),
  follows: z.array(FollowWithTags),
});

/** `POST …/tags`: the tag ids that changed (adding a present tag or removing an absent one is a no-op). */
export const MarkTagsResult = z.object({ added: z.array(z.string()), removed: z.array(z.string()) });

/** A customer as the console's detail page receives it. */
export type CustomerDetailDto = z.infer<typeof CustomerDetail>;
/** A page of customers as the console receives it. */
export type CustomerPageDto = z.infer<typeof CustomerPage>;
