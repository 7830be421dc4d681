import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Settings } from '../../../contracts/settings.js';
import type { DeletionResult, PersonalTagList, RestoreResult, TagDependents, TagGroup, TagGroupList } from '../../../contracts/tags.js';
import { api } from './client.js';

/** A tag group with its tags, as listed. */
export type TagGroupDto = z.infer<typeof TagGroup>;
/** The corp's limits (name length and the like). */
export type SettingsDto = z.infer<typeof Settings>;
/** What a tag or group carries that its deletion would take away. */
export type TagDependentsDto = z.infer<typeof TagDependents>;

/** The corp's tag groups (live ones), each with the caller's abilities on it. */
export function useTagGroups() {
  return useQuery({ queryKey: ['tag-groups'], queryFn: async () => (await api<z.infer<typeof TagGroupList>>('GET', '/tag-groups')).groups });
}

/** The caller's own personal tags. */
export function usePersonalTags(enabled = true) {
  return useQuery({ queryKey: ['personal-tags'], queryFn: async () => (await api<z.infer<typeof PersonalTagList>>('GET', '/personal-tags')).tags, enabled });
}

/** The corp's limits; the name counter measures against `limits.nameMaxLength`. */
export function useSettings() {
  return useQuery({ queryKey: ['settings'], queryFn: () => api<SettingsDto>('GET', '/settings'), staleTime: 5 * 60_000 });
}

/** What deleting a tag or a group would take away from customers, rules and audiences. */
export function useDependents(target: { tagId?: string; groupId?: string } | null) {
  const path = target?.tagId ? `/tags/${target.tagId}/dependents` : `/tag-groups/${target?.groupId}/dependents`;
  return useQuery({ queryKey: ['dependents', path], queryFn: () => api<TagDependentsDto>('GET', path), enabled: target !== null });
}

/** Every change to the library refreshes the library (and whatever counted on it). */
function useLibraryMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['tag-groups'] });
      void client.invalidateQueries({ queryKey: ['personal-tags'] });
      void client.invalidateQueries({ queryKey: ['deleted-tags'] });
    },
  });
}

/** The library's writes: create a group with tags, add tags, rename, delete, restore; personal tags too. */
export function useTagLibraryActions() {
  return {
    createGroup: useLibraryMutation((body: { name: string; tags: { name: string }[] }) => api<TagGroupDto>('POST', '/tag-groups', body)),
    addTags: useLibraryMutation((input: { groupId: string; names: string[] }) =>
      api('POST', `/tag-groups/${input.groupId}/tags`, { tags: input.names.map((name) => ({ name })) }),
    ),
    renameGroup: useLibraryMutation((input: { groupId: string; name: string }) => api('PATCH', `/tag-groups/${input.groupId}`, { name: input.name })),
    renameTag: useLibraryMutation((input: { tagId: string; name: string }) => api('PATCH', `/tags/${input.tagId}`, { name: input.name })),
    reorderGroup: useLibraryMutation((input: { groupId: string; order: number }) => api('PATCH', `/tag-groups/${input.groupId}`, { order: input.order })),
    deleteGroup: useLibraryMutation((groupId: string) => api<z.infer<typeof DeletionResult>>('DELETE', `/tag-groups/${groupId}`)),
    deleteTag: useLibraryMutation((tagId: string) => api<z.infer<typeof DeletionResult>>('DELETE', `/tags/${tagId}`)),
    restoreTag: useLibraryMutation((tagId: string) => api<z.infer<typeof RestoreResult>>('POST', `/tags/${tagId}/restore`)),
    restoreGroup: useLibraryMutation((groupId: string) => api<z.infer<typeof RestoreResult>>('POST', `/tag-groups/${groupId}/restore`)),
    createPersonal: useLibraryMutation((name: string) => api('POST', '/personal-tags', { name })),
    deletePersonal: useLibraryMutation((tagId: string) => api('DELETE', `/personal-tags/${tagId}`)),
  };
}
