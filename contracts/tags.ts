import { z } from 'zod';
import { chars, Id, IdList, Name, Order, PositiveInt32, Timestamp } from './common.js';

// ---- input ----

/** A tag's colour as `#RRGGBB`. */
export const Color = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'a colour as #RRGGBB');

/** One tag to create. */
export const NewTag = z.strictObject({ name: Name, order: Order.optional(), color: Color.optional(), description: chars(200).optional() });

/** `POST /tag-groups`: a new group with at least one tag (WeCom has no empty groups). */
export const CreateTagGroupBody = z.strictObject({ name: Name, order: Order.optional(), tags: z.array(NewTag).min(1).max(3000) });

/** `POST /tag-groups/:groupId/tags`: tags to add to an existing group. */
export const AddTagsBody = z.strictObject({ tags: z.array(NewTag).min(1).max(3000) });

/** A set of people: departments (with their sub-departments), regions and members. Empty = everyone. */
export const Audience = z.strictObject({
  departments: z.array(PositiveInt32).max(1000).optional(),
  regions: z.array(z.string().min(1).max(30)).max(100).optional(),
  userids: z.array(z.string().min(1).max(64)).max(1000).optional(),
});

/** Who sees a group (`view`) and who may apply its tags (`apply`); an empty audience means everyone. */
export const TagGroupScope = z.strictObject({ view: Audience.optional(), apply: Audience.optional() });

/** `PATCH /tag-groups/:groupId`: rename, reorder and/or change who sees and applies it. */
export const UpdateTagGroupBody = z
  .strictObject({ name: Name.optional(), order: Order.optional(), scope: TagGroupScope.optional() })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, order, scope');

/** `PATCH /tags/:tagId`: the fields to change; left-out fields stay. */
export const UpdateTagBody = z
  .strictObject({ name: Name.optional(), order: Order.optional(), color: Color.optional(), description: chars(200).optional() })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, order, color, description');

/** `POST /tags/delete`: tags and whole groups deleted together, all or nothing. */
export const DeleteTagsBody = z.strictObject({ tagIds: z.array(Id).max(10_000).optional(), groupIds: z.array(Id).max(10_000).optional() });

/** `GET /tag-groups` filters: without them, every live group; with them, those (deleted ones too). */
export const ListTagGroupsQuery = z.strictObject({ groupId: IdList, tagId: IdList });

/** `:groupId` in a path. */
export const GroupIdParams = z.strictObject({ groupId: Id });

/** `:tagId` in a path. */
export const TagIdParams = z.strictObject({ tagId: Id });

/** `POST /personal-tags`: a tag of the acting employee's own. */
export const CreatePersonalTagBody = z.strictObject({ name: Name, groupName: z.string().optional() });

/** `PATCH /personal-tags/:tagId`. */
export const RenamePersonalTagBody = z.strictObject({ name: Name });

// ---- output ----

/** What the actor may do with a group; the console hides the rest. Keys are permission names. */
export const Abilities = z.record(z.string(), z.boolean());

/** An enterprise tag. `deleted` tags appear only when asked for by id. */
export const Tag = z.object({
  tagId: z.string(),
  groupId: z.string(),
  name: z.string(),
  order: z.number(),
  color: z.string(),
  description: z.string(),
  createdAt: Timestamp,
  deleted: z.boolean(),
  deletedAt: Timestamp.nullable(),
});

/** A tag group's own fields, without its tags (what a rename answers). */
export const TagGroupHeader = z.object({
  groupId: z.string(),
  name: z.string(),
  order: z.number(),
  createdAt: Timestamp,
  deleted: z.boolean(),
  deletedAt: Timestamp.nullable(),
  scope: TagGroupScope,
  abilities: Abilities.optional(),
});

/** An enterprise tag group with its tags (larger `order` first). */
export const TagGroup = TagGroupHeader.extend({ tags: z.array(Tag) });

/** `GET /tag-groups`. */
export const TagGroupList = z.object({ groups: z.array(TagGroup) });

/** `POST /tag-groups/:groupId/tags`: the tags created. */
export const CreatedTags = z.object({ tags: z.array(Tag) });

/** What a deletion did; `deletionId` names it in the audit log. Restore within 30 days. */
export const DeletionResult = z.object({
  deletionId: z.string(),
  deletedTagIds: z.array(z.string()),
  deletedGroupIds: z.array(z.string()),
  marksRemoved: z.number(),
});

/** What a restore brought back: the group, the revived tags, and how many marks returned to customers. */
export const RestoreResult = z.object({ group: TagGroupHeader, restoredTags: z.array(Tag), marksRestored: z.number() });

/** One of the acting employee's personal tags. */
export const PersonalTag = z.object({ tagId: z.string(), name: z.string(), groupName: z.string(), createdAt: Timestamp });

/** `GET /personal-tags`. */
export const PersonalTagList = z.object({ tags: z.array(PersonalTag) });

/** `DELETE /personal-tags/:tagId`. */
export const PersonalTagDeleted = z.object({ marksRemoved: z.number() });

/** A tag group as the console receives it. */
export type TagGroupDto = z.infer<typeof TagGroup>;
/** A tag as the console receives it. */
export type TagDto = z.infer<typeof Tag>;
/** A personal tag as the console receives it. */
export type PersonalTagDto = z.infer<typeof PersonalTag>;
/** A deletion result as the console receives it. */
export type DeletionResultDto = z.infer<typeof DeletionResult>;

/**
 * `GET /tags/:tagId/dependents` and `GET /tag-groups/:groupId/dependents`: what a deletion would
 * take away, so the console can list it before asking for confirmation.
 */
export const TagDependents = z.object({
  customers: z.number().meta({ description: 'Customers carrying the tag (any tag of the group) on some relation.' }),
  marks: z.number().meta({ description: 'Marks (relation × tag) the deletion removes; restorable with the tag for 30 days.' }),
  smartTags: z
    .array(z.object({ tagId: z.string(), name: z.string(), groupName: z.string() }))
    .meta({ description: 'Smart tags whose rule names the tag: their rule would then match on a deleted tag.' }),
  audiences: z
    .array(z.object({ audienceId: z.string(), name: z.string() }))
    .meta({ description: "Saved audiences that name the tag (the caller's own and shared ones)." }),
  otherPrivateAudiences: z.number().meta({ description: "Other people's private audiences that name it (not listed by name)." }),
});
