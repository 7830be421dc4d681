import type { TagGroupDto } from '../../api/tags.js';
import type { PickedTag } from './filter-text.js';

/** A tag the user can pick in the filter or a batch, told apart as enterprise or personal. */
export type TagChoice = PickedTag & { tagId: string };

/** The personal tags as the API lists them. */
type PersonalTagLike = { tagId: string; name: string; groupName: string };

/**
 * The tags a picker offers, grouped as antd Select options: each enterprise group (only those whose
 * abilities allow `need`, when given) and then "个人标签". Also returns a lookup by id.
 */
export function tagChoices(groups: readonly TagGroupDto[], personal: readonly PersonalTagLike[], labels: { personal: string }, need?: string) {
  const byId = new Map<string, TagChoice>();
  const options: { label: string; title: string; options: { label: string; value: string }[] }[] = [];
  for (const group of groups) {
    if (need && group.abilities?.[need] !== true) continue;
    const tags = group.tags.filter((t) => !t.deleted);
    if (tags.length === 0) continue;
    for (const tag of tags) byId.set(tag.tagId, { tagId: tag.tagId, name: tag.name, groupName: group.name, personal: false });
    options.push({ label: group.name, title: group.name, options: tags.map((t) => ({ label: t.name, value: t.tagId })) });
  }
  if (personal.length > 0) {
    for (const tag of personal) byId.set(tag.tagId, { tagId: tag.tagId, name: tag.name, groupName: tag.groupName, personal: true });
    options.push({ label: labels.personal, title: labels.personal, options: personal.map((t) => ({ label: t.name, value: t.tagId })) });
  }
  return { options, byId };
}
