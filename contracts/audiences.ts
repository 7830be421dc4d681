import { z } from 'zod';
import { chars, Id, Timestamp } from './common.js';

const expressionDoc =
  'The audience as a JSON expression: `{ "all": [...] }`, `{ "any": [...] }`, `{ "not": … }` or a condition such as `{ "tag": "et…" }`, `{ "added": { "within": { "amount": 30, "unit": "d" } } }`, `{ "event": { "type": "link.clicked", "target": "p1", "count": { "op": "gte", "n": 2 } } }`. Give `expression` or `text`.';
const textDoc =
  'The audience in the text syntax, with tag names: `(tag:购房意向 or tag:看房) and region:华东 and not tag:投诉客户 and added:within(30d)`. Give `expression` or `text`.';

/** An expression as JSON or as text; exactly one of the two. */
export const ExpressionFields = {
  expression: z.unknown().optional().meta({ description: expressionDoc }),
  text: z.string().min(1).max(100_000).optional().meta({ description: textDoc }),
};

const exactlyOne = (b: { expression?: unknown; text?: string }) => (b.expression === undefined) !== (b.text === undefined);
const oneMessage = { message: 'give exactly one of expression and text', path: ['expression'] };

/** `POST /audiences/count` and `/audiences/export`: the audience to evaluate. */
export const AudienceQueryBody = z.strictObject({ ...ExpressionFields, sampleSize: z.int().min(0).max(100).optional() }).refine(exactlyOne, oneMessage);

/** `POST /audiences/explain`: an audience and the customer to explain it for. */
export const ExplainBody = z.strictObject({ ...ExpressionFields, externalUserid: Id }).refine(exactlyOne, oneMessage);

/** `POST /audiences`: save an audience under a name. */
export const CreateAudienceBody = z
  .strictObject({ name: chars(30).pipe(z.string().min(1)), description: chars(200).optional(), ...ExpressionFields })
  .refine(exactlyOne, oneMessage);

/** `PATCH /audiences/:audienceId`: any of name, description, the expression. */
export const UpdateAudienceBody = z
  .strictObject({ name: chars(30).pipe(z.string().min(1)).optional(), description: chars(200).optional(), ...ExpressionFields })
  .refine((b) => b.expression === undefined || b.text === undefined, oneMessage)
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one of name, description, expression, text');

/** `:audienceId` in a path. */
export const AudienceParams = z.strictObject({ audienceId: Id });

/** A customer in a sample. */
export const SampleCustomer = z.object({ externalUserid: z.string(), name: z.string(), followers: z.array(z.string()) });

/** The count of an audience (within what the caller may see) and an evenly spread sample. */
export const AudienceCount = z.object({
  count: z.int(),
  total: z.int().meta({ description: 'Customers the caller may see: the count is out of these.' }),
  sample: z.array(SampleCustomer),
  text: z.string().meta({ description: 'The expression in canonical text, with names.' }),
  elapsedMs: z.number(),
});

/** One clause of an explanation: held or failed, with the evidence for a condition. */
export type ExplanationNode = {
  path: string;
  kind: 'all' | 'any' | 'not' | 'leaf';
  clause: string;
  held: boolean;
  reason?: string;
  children?: ExplanationNode[];
};
export const ExplanationNode: z.ZodType<ExplanationNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    kind: z.enum(['all', 'any', 'not', 'leaf']),
    clause: z.string(),
    held: z.boolean(),
    reason: z.string().optional(),
    children: z.array(ExplanationNode).optional(),
  }),
);

/** `POST /audiences/explain`: whether the customer is in, and why, clause by clause. */
export const AudienceExplanation = z.object({ externalUserid: z.string(), held: z.boolean(), explanation: ExplanationNode, text: z.string() });

/** A saved audience with its current size (within what the caller may see). */
export const SavedAudience = z.object({
  audienceId: z.string(),
  name: z.string(),
  description: z.string(),
  expression: z.unknown(),
  text: z.string(),
  isPrivate: z.boolean().meta({ description: 'Uses the owner’s personal tags: only the owner sees it.' }),
  ownerUserid: z.string(),
  size: z.int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** `GET /audiences`. */
export const SavedAudienceList = z.object({ audiences: z.array(SavedAudience) });

/**
 * `POST /audiences/customers`: a page of the customers an audience selects (everyone the caller may
 * see when neither `expression` nor `text` is given), optionally narrowed by a name search `q`.
 */
export const AudienceCustomersBody = z
  .strictObject({
    ...ExpressionFields,
    q: z.string().trim().max(50).optional().meta({ description: 'Name contains this (case-insensitive), or the external_userid is exactly this.' }),
    cursor: z.string().max(40).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
    limit: z.int().min(1).max(1000).default(100),
  })
  .refine((b) => b.expression === undefined || b.text === undefined, oneMessage);

/** A tag on a listed customer (on any of its relations), as the caller may see it. */
export const ListedTag = z.object({ tagId: z.string(), name: z.string(), groupName: z.string(), kind: z.enum(['corp', 'strategy', 'smart', 'personal']) });

/** A customer in an audience listing: the summary fields, its followers and its visible tags. */
export const ListedCustomer = z.object({
  externalUserid: z.string(),
  name: z.string(),
  gender: z.number().meta({ description: '0 unknown, 1 male, 2 female' }),
  corpName: z.string(),
  province: z.string(),
  city: z.string(),
  followers: z
    .array(z.object({ userid: z.string(), name: z.string() }))
    .meta({ description: 'The employees who follow the customer, in the order they added it.' }),
  tags: z.array(ListedTag),
});

/** `POST /audiences/customers`: one page in creation order, the matching count and how many the caller may see. */
export const AudienceCustomerPage = z.object({
  customers: z.array(ListedCustomer),
  count: z.int().meta({ description: 'Customers matching the audience and `q`, within the caller’s data scope.' }),
  total: z.int().meta({ description: 'Customers the caller may see.' }),
  text: z.string().meta({ description: 'The audience in canonical text (empty when none was given).' }),
  nextCursor: z.string().nullable(),
});
