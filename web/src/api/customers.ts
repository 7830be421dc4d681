import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CustomerDetail, MarkTagsResult } from '../../../contracts/customers.js';
import { api } from './client.js';

/** A customer with each follow relation and its tags. */
export type CustomerDetailDto = z.infer<typeof CustomerDetail>;

/** `GET /customers/:externalUserid` (404 when the customer is unknown or outside the caller's reach). */
export function useCustomer(externalUserid: string | null) {
  return useQuery({
    queryKey: ['customer', externalUserid],
    queryFn: () => api<CustomerDetailDto>('GET', `/customers/${encodeURIComponent(externalUserid!)}`),
    enabled: externalUserid !== null && externalUserid !== '',
  });
}

/** Puts tags on and takes tags off one follow relation (employee × customer). */
export function useMarkTags(externalUserid: string, userid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { add?: string[]; remove?: string[] }) => api<z.infer<typeof MarkTagsResult>>('POST', `/customers/${encodeURIComponent(externalUserid)}/follows/${encodeURIComponent(userid)}/tags`, body),
    onSettled: () => void client.invalidateQueries({ queryKey: ['customer', externalUserid] }),
  });
}
