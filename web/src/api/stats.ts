import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CustomerGrowth, TagStats } from '../../../contracts/stats.js';
import { api } from './client.js';

/** Customers per tag of one group, within the caller's data scope. */
export type TagStatsDto = z.infer<typeof TagStats>;
/** New customers per day, within the caller's data scope. */
export type CustomerGrowthDto = z.infer<typeof CustomerGrowth>;

/** How many customers carry each tag of the picked group (nothing is asked before a group is picked). */
export function useTagStats(groupId: string | undefined) {
  return useQuery({
    queryKey: ['stats', 'tags', groupId],
    queryFn: () => api<TagStatsDto>('GET', `/stats/tags?groupId=${encodeURIComponent(groupId!)}`),
    enabled: groupId !== undefined,
  });
}

/** New customers per day over the last `days` days; the previous chart stays while another span loads. */
export function useCustomerGrowth(days: number) {
  return useQuery({
    queryKey: ['stats', 'customers', days],
    queryFn: () => api<CustomerGrowthDto>('GET', `/stats/customers?days=${days}`),
    placeholderData: keepPreviousData,
  });
}
