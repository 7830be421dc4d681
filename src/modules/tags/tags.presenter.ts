import type { z } from 'zod';
import type {
  CreatedTags,
  DeletionResult,
  PersonalTag,
  PersonalTagDeleted,
  PersonalTagList,
  RestoreResult,
  Tag,
  TagGroup,
  TagGroupHeader,
  TagGroupList,
} from '../../../contracts/tags.js';
import type { Permission, Policy } from '../../policies/index.js';
import type { DeleteTagsResult } from './commands/delete-tags.js';
import type { PersonalTagRow } from './commands/personal-tags.js';
import type { RestoreResult as RestoreRows } from './commands/restore-tags.js';
import type { GroupListing } from './tags.queries.js';
import type { TagGroupRow, TagRow } from './tags.repo.js';

/** What the console may offer on a tag group and its tags. */
export const tagGroupAbilities: readonly Permission[] = [
  'tagGroup.update',
  'tagGroup.delete',
  'tag.create',
  'tag.update',
  'tag.delete',
  'tag.apply',
  'tag.remove',
];

/** An enterprise tag as the native API shows it. */
export function presentTag(tag: TagRow): z.infer<typeof Tag> {
  return {
    tagId: tag.tagId,
    groupId: tag.groupId,
    name: tag.name,
    order: tag.order,
    color: tag.color,
    description: tag.description,
    createdAt: tag.createdAt.toISOString(),
    deleted: tag.deletedAt !== null,
    deletedAt: tag.deletedAt?.toISOString() ?? null,
  };
}

/** A group's own fields; with a policy, also what its actor may do with it. */
export function presentTagGroupHeader(group: TagGroupRow, policy?: Policy): z.infer<typeof TagGroupHeader> {
  return {
    groupId: group.groupId,
    name: group.name,
    order: group.order,
    createdAt: group.createdAt.toISOString(),
    deleted: group.deletedAt !== null,
    deletedAt: group.deletedAt?.toISOString() ?? null,
    scope: group.scope,
    ...(policy ? { abilities: policy.abilities(tagGroupAbilities, { type: 'tagGroup', group }) } : {}),
  };
}

/** A group with the given tags (all of them, in display order, as the caller loaded them). */
export function presentTagGroup(group: TagGroupRow, tags: readonly TagRow[], policy?: Policy): z.infer<typeof TagGroup> {
  return { ...presentTagGroupHeader(group, policy), tags: tags.map(presentTag) };
}

/** Tags just created in an existing group. */
export function presentCreatedTags(tags: readonly TagRow[]): z.infer<typeof CreatedTags> {
  return { tags: tags.map(presentTag) };
}

/** A group listing, each group carrying the actor's abilities. */
export function presentTagGroupList(listing: GroupListing, policy: Policy): z.infer<typeof TagGroupList> {
  return { groups: listing.groups.map(({ group, tags }) => presentTagGroup(group, tags, policy)) };
}

/** What a deletion did. */
export function presentDeletion(result: DeleteTagsResult): z.infer<typeof DeletionResult> {
  return { deletionId: result.deletionId, deletedTagIds: result.deletedTagIds, deletedGroupIds: result.deletedGroupIds, marksRemoved: result.marksRemoved };
}

/** What a restore brought back. */
export function presentRestore(result: RestoreRows): z.infer<typeof RestoreResult> {
  return { group: presentTagGroupHeader(result.group), restoredTags: result.tags.map(presentTag), marksRestored: result.marksRestored };
}

/** One of the acting employee's personal tags (the owner is the reader, so it is not repeated). */
export function presentPersonalTag(tag: PersonalTagRow): z.infer<typeof PersonalTag> {
  return { tagId: tag.tagId, name: tag.name, groupName: tag.groupName, createdAt: tag.createdAt.toISOString() };
}

/** The acting employee's personal tags. */
export function presentPersonalTagList(tags: readonly PersonalTagRow[]): z.infer<typeof PersonalTagList> {
  return { tags: tags.map(presentPersonalTag) };
}

/** What deleting a personal tag did. */
export function presentPersonalTagDeletion(result: { marksRemoved: number }): z.infer<typeof PersonalTagDeleted> {
  return { marksRemoved: result.marksRemoved };
}
