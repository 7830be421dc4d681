import { z } from 'zod';
import { chars, Id, Name, Order, PositiveInt32, PositiveInt32Param, Timestamp } from './common.js';

/**
 * Rule groups (规则组, WeCom "customer strategies") on the native API: who they cover (range), who
 * administers them, which customer-contact rights their members have, and their own tag library.
 */

/** The rights a top-level rule group grants or withholds (WeCom's `privilege`); children inherit them. */
export const StrategyPrivilege = z.strictObject({
  view_customer_list: z.boolean(),
  view_customer_data: z.boolean(),
  view_room_list: z.boolean(),
  contact_me: z.boolean(),
  join_room: z.boolean(),
  share_customer: z.boolean(),
  oper_resign_customer: z.boolean(),
  oper_resign_group: z.boolean(),
  send_customer_msg: z.boolean(),
  edit_welcome_msg: z.boolean(),
  view_behavior_data: z.boolean(),
  view_room_data: z.boolean(),
  send_group_msg: z.boolean(),
  room_deduplication: z.boolean(),
  rapid_reply: z.boolean(),
  onjob_customer_transfer: z.boolean(),
  edit_anti_spam_rule: z.boolean(),
  export_customer_list: z.boolean(),
  export_customer_data: z.boolean(),
  export_customer_group_list: z.boolean(),
  manage_customer_tag: z.boolean(),
});

/** Privilege flags as sent: any subset; the base rights are always on, absent ones take WeCom's defaults. */
export const StrategyPrivilegeInput = StrategyPrivilege.partial();

/** Who a rule group covers: departments (each with its subtree) and members. */
export const StrategyRange = z.strictObject({
  departments: z.array(PositiveInt32).max(3000).default([]),
  userids: z.array(z.string().min(1).max(64)).max(3000).default([]),
});

/** `POST /strategies`: a rule group; `parentId` nests it under another (its range inside the parent's). */
export const CreateStrategyBody = z.strictObject({
  parentId: z.int().min(0).max(2_147_483_647).default(0).meta({ description: '0 (or left out) for a top-level group.' }),
  name: chars(30).pipe(z.string().min(1)),
  adminList: z.array(z.string().min(1).max(64)).min(1).max(20),
  privilege: StrategyPrivilegeInput.optional(),
  range: StrategyRange.default({ departments: [], userids: [] }),
});

/** `PATCH /strategies/:strategyId`: the fields to change; `range` replaces the whole range. */
export const UpdateStrategyBody = z
  .strictObject({
    name: chars(30).pipe(z.string().min(1)).optional(),
    adminList: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
    privilege: StrategyPrivilegeInput.optional(),
    range: StrategyRange.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one of name, adminList, privilege, range');

/** `:strategyId` in a path. */
export const StrategyParams = z.strictObject({ strategyId: PositiveInt32Param });
/** `:strategyId/tag-groups/:groupId` in a path. */
export const StrategyTagGroupParams = z.strictObject({ strategyId: PositiveInt32Param, groupId: Id });
/** `:strategyId/tags/:tagId` in a path. */
export const StrategyTagParams = z.strictObject({ strategyId: PositiveInt32Param, tagId: Id });

/** A rule group with its range and the privilege in force (a child's is its top-level group's). */
export const Strategy = z.object({
  strategyId: z.int(),
  parentId: z.int(),
  name: z.string(),
  adminList: z.array(z.string()),
  privilege: StrategyPrivilege,
  range: z.object({ departments: z.array(z.int()), userids: z.array(z.string()) }),
  createdAt: Timestamp,
});

/** `GET /strategies`: every rule group of the corp, parents before children. */
export const StrategyList = z.object({ strategies: z.array(Strategy) });

/** What deleting a rule group removed with it (its tag groups, their tags, the marks they carried). */
export const StrategyDeletion = z.object({
  deletedGroupIds: z.array(z.string()),
  deletedTagIds: z.array(z.string()),
  marksRemoved: z.int(),
  deletionId: z.string().nullable(),
});

/** A tag of a rule group's own library. */
export const StrategyTag = z.object({ tagId: z.string(), name: z.string(), order: z.number(), createdAt: Timestamp });
/** A tag group of a rule group's own library. */
export const StrategyTagGroup = z.object({
  groupId: z.string(),
  strategyId: z.int(),
  name: z.string(),
  order: z.number(),
  createdAt: Timestamp,
  tags: z.array(StrategyTag),
});
/** `GET /strategies/:strategyId/tag-groups`. */
export const StrategyTagGroupList = z.object({ groups: z.array(StrategyTagGroup) });

/** `POST /strategies/:strategyId/tag-groups`: a group (by name: merged with one of that name) and its tags. */
export const CreateStrategyTagGroupBody = z.strictObject({
  name: Name,
  order: Order.optional(),
  tags: z
    .array(z.strictObject({ name: Name, order: Order.optional() }))
    .min(1)
    .max(100),
});

/** A new name and/or order for a rule-group tag or tag group, as edit_strategy_tag takes for either. */
const NameOrderChange = z
  .strictObject({ name: Name.optional(), order: Order.optional() })
  .refine((b) => b.name !== undefined || b.order !== undefined, 'give at least one of name, order');

/** `PATCH /strategies/:strategyId/tags/:tagId`: a rule-group tag's new name and/or order (as edit_strategy_tag). */
export const UpdateStrategyTagBody = NameOrderChange;

/** `PATCH /strategies/:strategyId/tag-groups/:groupId`: a rule-group tag group's new name and/or order (as edit_strategy_tag with a group id). */
export const UpdateStrategyTagGroupBody = NameOrderChange;
