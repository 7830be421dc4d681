import { z } from 'zod';
import { ExpressionFields } from './audiences.js';
import { chars, Id, Name, Order, Timestamp } from './common.js';
import { Audience, Color } from './tags.js';

const exactlyOne = (b: { expression?: unknown; text?: string }) => (b.expression === undefined) !== (b.text === undefined);
const oneMessage = { message: 'give exactly one of expression and text (the rule)', path: ['expression'] };

/** A smart tag to create: its rule says who carries it. */
export const NewSmartTag = z
  .strictObject({ name: Name, order: Order.optional(), color: Color.optional(), description: chars(200).optional(), ...ExpressionFields })
  .refine(exactlyOne, oneMessage);

/** `POST /smart-groups`: a rule-configured group, its tags with their rules, and who sees and uses it. */
export const CreateSmartGroupBody = z.strictObject({
  name: Name,
  order: Order.optional(),
  scope: Audience.optional().meta({ description: 'Who sees and uses the group (departments with their subtrees, regions, members); left out = everyone.' }),
  tags: z.array(NewSmartTag).min(1).max(100),
});

/** `POST /smart-groups/:groupId/tags`. */
export const AddSmartTagsBody = z.strictObject({ tags: z.array(NewSmartTag).min(1).max(100) });

/** `PATCH /smart-groups/:groupId`. */
export const UpdateSmartGroupBody = z
  .strictObject({ name: Name.optional(), order: Order.optional(), scope: Audience.optional() })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, order, scope');

/** `PATCH /smart-groups/:groupId/tags/:tagId`: new rule and/or fields. */
export const UpdateSmartTagBody = z
  .strictObject({ name: Name.optional(), order: Order.optional(), color: Color.optional(), description: chars(200).optional(), ...ExpressionFields })
  .refine((b) => b.expression === undefined || b.text === undefined, oneMessage)
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field');

/** `:groupId` / `:tagId` in a path. */
export const SmartGroupParams = z.strictObject({ groupId: Id });
export const SmartTagParams = z.strictObject({ groupId: Id, tagId: Id });

/** `POST /smart-groups/preview`: rules to try; with `tagId`, against that tag's current members. */
export const PreviewBody = z.strictObject({
  tags: z
    .array(z.strictObject({ tagId: Id.optional(), ...ExpressionFields }).refine(exactlyOne, oneMessage))
    .min(1)
    .max(100),
});

/** How many customers each rule selects, and how many the tag would gain and lose if saved. */
export const PreviewResult = z.object({
  tags: z.array(z.object({ tagId: z.string().optional(), members: z.int(), gain: z.int(), lose: z.int(), text: z.string() })),
});

/** A smart tag with its rule and how many customers carry it (within the caller's data scope). */
export const SmartTag = z.object({
  tagId: z.string(),
  name: z.string(),
  order: z.number(),
  color: z.string(),
  description: z.string(),
  expression: z.unknown(),
  text: z.string(),
  members: z.int(),
  createdAt: Timestamp,
});

/** A smart group. */
export const SmartGroup = z.object({
  groupId: z.string(),
  name: z.string(),
  order: z.number(),
  scope: Audience,
  createdAt: Timestamp,
  tags: z.array(SmartTag),
});

/** `GET /smart-groups`. */
export const SmartGroupList = z.object({ groups: z.array(SmartGroup) });
