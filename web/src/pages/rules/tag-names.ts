import { useMemo } from 'react';
import type { TagGroupDto } from '../../api/tags.js';

/** A lookup from tag id to its name, the id itself for a tag the library no longer lists. */
export function tagNameLookup(groups: readonly TagGroupDto[] | undefined): (tagId: string) => string {
  const names = new Map<string, string>();
  for (const group of groups ?? []) for (const tag of group.tags) names.set(tag.tagId, tag.name);
  return (tagId) => names.get(tagId) ?? tagId;
}

/** `tagNameLookup` kept while the library does not change. */
export function useTagNames(groups: readonly TagGroupDto[] | undefined): (tagId: string) => string {
  return useMemo(() => tagNameLookup(groups), [groups]);
}
