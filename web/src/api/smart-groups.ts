import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AudienceCount } from '../../../contracts/audiences.js';
import type { EmployeePage } from '../../../contracts/org.js';
import type { NewSmartTag, PreviewResult, SmartGroup, SmartGroupList, UpdateSmartGroupBody, UpdateSmartTagBody } from '../../../contracts/smart-groups.js';
import type { Audience, TagGroupScope } from '../../../contracts/tags.js';
import { api } from './client.js';

/** A smart group with its tags, each with its rule and member count. */
export type SmartGroupDto = z.infer<typeof SmartGroup>;
/** Who sees / applies a group: departments (with subtrees), regions, members; empty = everyone. */
export type AudienceDto = z.infer<typeof Audience>;
/** A tag group's scope: who sees it (`view`) and who may apply it (`apply`). */
export type TagGroupScopeDto = z.infer<typeof TagGroupScope>;
/** The gain / lose preview of rules before they are saved. */
export type PreviewDto = z.infer<typeof PreviewResult>;
/** The live count answer. */
export type AudienceCountDto = z.infer<typeof AudienceCount>;

/** `GET /smart-groups`: every smart group with its tags' rules and member counts. */
export function useSmartGroups() {
  return useQuery({ queryKey: ['smart-groups'], queryFn: async () => (await api<z.infer<typeof SmartGroupList>>('GET', '/smart-groups')).groups });
}

function useSmartMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: run, onSettled: () => void client.invalidateQueries({ queryKey: ['smart-groups'] }) });
}

/** A new smart tag as the editor saves it: name, optional colour, description and order, and its rule as a JSON expression. */
export type SmartTagInput = z.input<typeof NewSmartTag>;
/** The fields of a saved smart tag that may change (left out = unchanged). */
export type SmartTagChanges = z.input<typeof UpdateSmartTagBody>;
/** A smart group's name, order or scope to change (left out = unchanged). */
export type SmartGroupChanges = z.input<typeof UpdateSmartGroupBody>;

/** The smart groups' writes, each refreshing the list after. */
export function useSmartGroupActions() {
  return {
    create: useSmartMutation((body: { name: string; scope?: AudienceDto; tags: SmartTagInput[] }) => api<SmartGroupDto>('POST', '/smart-groups', body)),
    addTag: useSmartMutation((input: { groupId: string; tag: SmartTagInput }) =>
      api<SmartGroupDto>('POST', `/smart-groups/${input.groupId}/tags`, { tags: [input.tag] }),
    ),
    updateGroup: useSmartMutation(({ groupId, ...changes }: { groupId: string } & SmartGroupChanges) =>
      api<SmartGroupDto>('PATCH', `/smart-groups/${groupId}`, changes),
    ),
    updateTag: useSmartMutation(({ groupId, tagId, ...changes }: { groupId: string; tagId: string } & SmartTagChanges) =>
      api<SmartGroupDto>('PATCH', `/smart-groups/${groupId}/tags/${tagId}`, changes),
    ),
    deleteGroup: useSmartMutation((groupId: string) => api<void>('DELETE', `/smart-groups/${groupId}`)),
    deleteTag: useSmartMutation((input: { groupId: string; tagId: string }) => api<void>('DELETE', `/smart-groups/${input.groupId}/tags/${input.tagId}`)),
  };
}

/** `POST /smart-groups/preview` for one rule: members, and — for a saved tag — who would gain and lose it. */
export function usePreview() {
  return useMutation({ mutationFn: (input: { tagId?: string; expression: unknown }) => api<PreviewDto>('POST', '/smart-groups/preview', { tags: [input] }) });
}

/**
 * The live matched count of an expression (`POST /audiences/count`), asked at once on every
 * change: a debounce timer would add its delay to every answer, and a person types slower than
 * the server answers. The request for an expression edited away is aborted. Each expression is
 * its own query key, so a late answer for an older one never replaces the newest; the previous
 * number stays, marked not current, meanwhile.
 */
export function useLiveCount(key: string | undefined, expression: unknown) {
  const query = useQuery({
    queryKey: ['audience-count', key],
    queryFn: ({ signal }) => api<AudienceCountDto>('POST', '/audiences/count', { expression, sampleSize: 0 }, signal),
    enabled: key !== undefined,
    staleTime: 15_000,
    placeholderData: keepPreviousData,
  });
  return { ...query, current: !query.isPlaceholderData };
}

/** The first 1000 active employees the caller may see, for member pickers. */
export function useEmployees() {
  return useQuery({
    queryKey: ['employees', 'picker'],
    queryFn: async () => (await api<z.infer<typeof EmployeePage>>('GET', '/employees?status=active&limit=1000')).employees,
    staleTime: 60_000,
  });
}

/** `PATCH /tag-groups/:groupId` with a new scope; the tag library refreshes after. */
export function useSaveTagGroupScope() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { groupId: string; scope: TagGroupScopeDto }) => api('PATCH', `/tag-groups/${input.groupId}`, { scope: input.scope }),
    onSettled: () => void client.invalidateQueries({ queryKey: ['tag-groups'] }),
  });
}
