import { z } from 'zod';
import { dateInterval, isDateLiteral } from './time.js';
import { eventTypePattern } from './vocabulary.js';

/**
 * Limits that keep evaluation sane: depth counts nodes on the longest root-to-leaf path, nodes
 * count every condition and group, values count the items of one list, strings count characters.
 */
export const expressionLimits = { maxDepth: 12, maxNodes: 200, maxValues: 1000, maxStringLength: 200 } as const;

// Characters are code points, as a user counts 购房意向 (the rule of contracts/common.ts `chars`).
const text = z.string().refine((s) => [...s].length <= expressionLimits.maxStringLength, `longer than ${expressionLimits.maxStringLength} characters`);
const id = text.refine((s) => s.length > 0, 'empty');
const values = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'give at least one value').max(expressionLimits.maxValues, `more than ${expressionLimits.maxValues} values`);
const dateLiteral = z.string().refine(isDateLiteral, 'expected an ISO date such as 2026-01-31 or 2026-01-31T09:00+08:00');

/** A relative duration: whole days (≤ 3650) or hours (≤ 87600). */
export const durationSchema = z
  .strictObject({ amount: z.int().min(1, 'at least 1'), unit: z.enum(['d', 'h']) })
  .refine((d) => d.amount <= (d.unit === 'd' ? 3650 : 87_600), { message: 'at most 3650 days (87600 hours)', path: ['amount'] });

/** A time window: `within` the last N days / hours, or an absolute range with either side open. */
export const timeWindowSchema = z.union([
  z.strictObject({ within: durationSchema }),
  z
    .strictObject({ from: dateLiteral.optional(), to: dateLiteral.optional() })
    .refine((w) => w.from !== undefined || w.to !== undefined, 'give from, to or both')
    .refine((w) => !w.from || !w.to || (dateInterval(w.from)?.start ?? 0) < (dateInterval(w.to)?.end ?? 0), { message: 'from is after to', path: ['to'] }),
]);

const scalar = z.union([text, z.number()]);
const attrBase = { name: id, type: z.enum(['string', 'number', 'date', 'enum']) };

/**
 * A custom attribute predicate (`customers.attributes`). `ne` and the comparisons need a value of
 * the attribute's type, so a customer without one matches neither `= x` nor `!= x` (use `not`).
 */
export const attrSchema = z
  .discriminatedUnion('op', [
    z.strictObject({ ...attrBase, op: z.literal('exists') }),
    z.strictObject({ ...attrBase, op: z.enum(['eq', 'ne', 'contains', 'gt', 'gte', 'lt', 'lte']), value: scalar }),
    z.strictObject({ ...attrBase, op: z.literal('in'), values: values(scalar) }),
    z.strictObject({ ...attrBase, op: z.literal('between'), from: scalar, to: scalar }),
  ])
  .superRefine((a, ctx) => {
    const ordered = ['gt', 'gte', 'lt', 'lte', 'between'].includes(a.op);
    if (a.op === 'contains' && a.type !== 'string') ctx.addIssue({ code: 'custom', path: ['op'], message: 'contains (~) applies to string attributes' });
    if (ordered && a.type !== 'number' && a.type !== 'date')
      ctx.addIssue({ code: 'custom', path: ['op'], message: 'comparisons (> >= < <= between) apply to number and date attributes' });
    const items: [string, unknown][] =
      a.op === 'exists'
        ? []
        : a.op === 'in'
          ? a.values.map((v, i) => [`values.${i}`, v])
          : a.op === 'between'
            ? [
                ['from', a.from],
                ['to', a.to],
              ]
            : [['value', a.value]];
    for (const [key, v] of items) {
      const ok = a.type === 'number' ? typeof v === 'number' : a.type === 'date' ? typeof v === 'string' && isDateLiteral(v) : typeof v === 'string';
      const want = a.type === 'number' ? 'a number' : a.type === 'date' ? 'an ISO date such as 2026-01-31' : 'a string';
      if (!ok)
        ctx.addIssue({ code: 'custom', path: key.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: `a ${a.type} attribute takes ${want}` });
    }
    if (a.op === 'between' && ordered && typeof a.from === typeof a.to) {
      const lo = a.type === 'date' ? dateInterval(String(a.from))?.start : Number(a.from);
      const hi = a.type === 'date' ? dateInterval(String(a.to))?.end : Number(a.to);
      if (lo !== undefined && hi !== undefined && (a.type === 'date' ? lo >= hi : lo > hi))
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'from is after to' });
    }
  });

/** A behaviour fact: events of a type (and target) counted within a window; count defaults to ≥ 1. */
export const eventSchema = z.strictObject({
  type: z.string().max(64, 'longer than 64 characters').regex(eventTypePattern, 'an event type looks like link.clicked (lowercase, dotted)'),
  target: text.optional(),
  count: z.strictObject({ op: z.enum(['gte', 'lte', 'eq']), n: z.int().min(0).max(1_000_000) }).optional(),
  window: timeWindowSchema.optional(),
});

/**
 * Membership of a customer group chat (客户群) now: `id` names the chat (absent = any chat), and
 * `window` bounds the membership's join time (入群时间), as `added` bounds a relation's add time.
 */
export const groupChatSchema = z.strictObject({ id: id.optional(), window: timeWindowSchema.optional() });

/**
 * The payload schema of every leaf condition, by its key. A leaf is a one-key object, so an error
 * path reads like the JSON (`all.2.any.0.tag`). Relation-level predicates (addWay, state, added,
 * follower, department) hold when any follow relation satisfies them, as a tag does.
 */
export const leafSchemas = {
  tag: id,
  group: z.strictObject({ id, has: z.enum(['any', 'all', 'none']) }),
  addWay: values(z.int().min(0).max(65_535)),
  state: values(text),
  added: timeWindowSchema,
  province: values(text),
  city: values(text),
  region: values(text),
  gender: values(z.literal([0, 1, 2], 'a gender is 0 (unknown), 1 (male) or 2 (female)')),
  company: z.strictObject({ op: z.enum(['eq', 'contains']), value: text }),
  follower: values(id),
  department: values(z.strictObject({ id: z.int().min(0).max(2_147_483_647), subtree: z.boolean() })),
  // Before attr and event, so canonical text reads "in the chat, and did these things".
  groupChat: groupChatSchema,
  attr: attrSchema,
  event: eventSchema,
} as const;

/** The key of a leaf condition. */
export type LeafKind = keyof typeof leafSchemas;
/** The leaf keys in their canonical order (the normalizer sorts siblings by it). */
export const leafKinds = Object.keys(leafSchemas) as LeafKind[];
/** A leaf condition: `{ tag: 'et…' }`, `{ province: ['上海'] }`, `{ event: {...} }`… */
export type Leaf = { [K in LeafKind]: { [P in K]: z.infer<(typeof leafSchemas)[K]> } }[LeafKind];
/** A time window of `added`, of behaviour events and of group chat joins. */
export type TimeWindow = z.infer<typeof timeWindowSchema>;
/** A custom attribute predicate. */
export type AttrPredicate = z.infer<typeof attrSchema>;
/** A behaviour fact predicate. */
export type EventPredicate = z.infer<typeof eventSchema>;
/** A group chat membership predicate. */
export type GroupChatPredicate = z.infer<typeof groupChatSchema>;

/**
 * An audience expression: a leaf, or `all` (every child holds), `any` (some child holds), `not`.
 * @example const e: Expr = { all: [{ any: [{ tag: 'etA' }, { tag: 'etB' }] }, { not: { tag: 'etX' } }] };
 */
export type Expr = Leaf | { all: Expr[] } | { any: Expr[] } | { not: Expr };

/**
 * The structural zod schema of an expression, for request bodies and OpenAPI. It does not enforce
 * the depth and size limits; pass what it accepts through `validateExpression`, which does.
 */
export const expressionSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(expressionSchema).min(1) }),
    z.strictObject({ any: z.array(expressionSchema).min(1) }),
    z.strictObject({ not: expressionSchema }),
    ...leafKinds.map((k) => z.strictObject({ [k]: leafSchemas[k] })),
  ]),
) as unknown as z.ZodType<Expr>;

/** The key of a node: a leaf kind or `all` / `any` / `not`. */
export function kindOf(e: Expr): LeafKind | 'all' | 'any' | 'not' {
  return Object.keys(e)[0] as LeafKind | 'all' | 'any' | 'not';
}
