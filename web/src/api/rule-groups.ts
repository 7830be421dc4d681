import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreateStrategyBody,
  Strategy,
  StrategyDeletion,
  StrategyList,
  StrategyPrivilege,
  StrategyTagGroup,
  StrategyTagGroupList,
  UpdateStrategyBody,
  UpdateStrategyTagBody,
  UpdateStrategyTagGroupBody,
} from '../../../contracts/strategies.js';
import { api } from './client.js';

/** A rule group (规则组) with its range, admins and the privilege in force. */
export type StrategyDto = z.infer<typeof Strategy>;
/** The privilege flags of a rule group. */
export type StrategyPrivilegeDto = z.infer<typeof StrategyPrivilege>;
/** A tag group of a rule group's own library. */
export type StrategyTagGroupDto = z.infer<typeof StrategyTagGroup>;

/** `GET /strategies`: every rule group, parents before children. */
export function useRuleGroups(enabled = true) {
  return useQuery({ queryKey: ['strategies'], queryFn: async () => (await api<z.infer<typeof StrategyList>>('GET', '/strategies')).strategies, enabled });
}

/** `GET /strategies/:id/tag-groups`: the rule group's own tag groups and tags. */
export function useRuleGroupTags(strategyId: number | undefined) {
  return useQuery({
    queryKey: ['strategies', strategyId, 'tag-groups'],
    queryFn: async () => (await api<z.infer<typeof StrategyTagGroupList>>('GET', `/strategies/${strategyId}/tag-groups`)).groups,
    enabled: strategyId !== undefined,
  });
}

function useRuleMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: run, onSettled: () => void client.invalidateQueries({ queryKey: ['strategies'] }) });
}

/** The rule groups' writes: create, edit, delete, their tag groups (adding to one by its name, renaming, reordering) and single tags; each refreshes the list. */
export function useRuleGroupActions() {
  return {
    create: useRuleMutation((body: z.input<typeof CreateStrategyBody>) => api<StrategyDto>('POST', '/strategies', body)),
    update: useRuleMutation((input: { strategyId: number; body: z.input<typeof UpdateStrategyBody> }) =>
      api<StrategyDto>('PATCH', `/strategies/${input.strategyId}`, input.body),
    ),
    remove: useRuleMutation((strategyId: number) => api<z.infer<typeof StrategyDeletion>>('DELETE', `/strategies/${strategyId}`)),
    addTagGroup: useRuleMutation((input: { strategyId: number; name: string; tags: string[] }) =>
      api<StrategyTagGroupDto>('POST', `/strategies/${input.strategyId}/tag-groups`, { name: input.name, tags: input.tags.map((name) => ({ name })) }),
    ),
    updateTagGroup: useRuleMutation(
      ({ strategyId, groupId, ...changes }: { strategyId: number; groupId: string } & z.input<typeof UpdateStrategyTagGroupBody>) =>
        api<StrategyTagGroupDto>('PATCH', `/strategies/${strategyId}/tag-groups/${groupId}`, changes),
    ),
    removeTagGroup: useRuleMutation((input: { strategyId: number; groupId: string }) =>
      api<void>('DELETE', `/strategies/${input.strategyId}/tag-groups/${input.groupId}`),
    ),
    updateTag: useRuleMutation(({ strategyId, tagId, ...changes }: { strategyId: number; tagId: string } & z.input<typeof UpdateStrategyTagBody>) =>
      api<StrategyTagGroupDto>('PATCH', `/strategies/${strategyId}/tags/${tagId}`, changes),
    ),
    removeTag: useRuleMutation((input: { strategyId: number; tagId: string }) => api<void>('DELETE', `/strategies/${input.strategyId}/tags/${input.tagId}`)),
  };
}
