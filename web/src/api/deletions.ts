import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { OperationPage } from '../../../contracts/operations.js';
import type { TagGroupList } from '../../../contracts/tags.js';
import { api } from './client.js';

/** A deletion still restorable: when, by whom, and the names of what went. */
export type RecentDeletion = { operationId: string; at: string; actor: string; groups: string[]; tags: string[] };

const restoreDays = 30;

/**
 * Deletions of the last 30 days not undone yet (the caller's own, or all for corp-wide readers),
 * with the names of their tags and groups read back by id (deleted ones are flagged, not gone).
 */
export function useRecentDeletions(enabled: boolean) {
  return useQuery({
    queryKey: ['deleted-tags'],
    enabled,
    queryFn: async (): Promise<RecentDeletion[]> => {
      const page = await api<z.infer<typeof OperationPage>>('GET', '/operations?kind=deletion&limit=100');
      const since = Date.now() - restoreDays * 86_400_000;
      const live = page.operations.filter((op) => op.status === 'succeeded' && op.undoneBy === null && Date.parse(op.createdAt) >= since);
      const tagIds = [...new Set(live.flatMap((op) => (op.params.deletedTagIds as string[] | undefined) ?? []))];
      const listing =
        tagIds.length === 0 ? { groups: [] } : await api<z.infer<typeof TagGroupList>>('GET', `/tag-groups?tagId=${tagIds.map(encodeURIComponent).join(',')}`);
      const tagName = new Map(listing.groups.flatMap((g) => g.tags.map((tag) => [tag.tagId, tag.name] as const)));
      const groupName = new Map(listing.groups.map((g) => [g.groupId, g.name] as const));
      return live.map((op) => ({
        operationId: op.operationId,
        at: op.createdAt,
        actor: op.actor,
        groups: ((op.params.deletedGroupIds as string[] | undefined) ?? []).map((id) => groupName.get(id) ?? id),
        tags: ((op.params.deletedTagIds as string[] | undefined) ?? []).map((id) => tagName.get(id) ?? id),
      }));
    },
  });
}

/** Restores a deletion exactly (its tags, groups and the marks they had) by undoing it. */
export function useRestoreDeletion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (operationId: string) => api('POST', `/operations/${operationId}/undo`),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['deleted-tags'] });
      void client.invalidateQueries({ queryKey: ['tag-groups'] });
    },
  });
}
