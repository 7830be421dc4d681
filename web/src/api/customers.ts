import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CustomerDetail, Follow, MarkTagsResult, RemarkFollowBody } from '../../../contracts/customers.js';
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
    mutationFn: (body: { add?: string[]; remove?: string[] }) =>
      api<z.infer<typeof MarkTagsResult>>('POST', `/customers/${encodeURIComponent(externalUserid)}/follows/${encodeURIComponent(userid)}/tags`, body),
    onSettled: () => void client.invalidateQueries({ queryKey: ['customer', externalUserid] }),
  });
}

/** The notes one employee keeps on a customer (remark, description, company, mobiles), as the edit form sends them. */
export type RemarkFollowInput = z.input<typeof RemarkFollowBody>;

/**
 * `PATCH /customers/:externalUserid/follows/:userid`: saves an employee's notes on the customer;
 * the customer and the list are fetched again after, so every view shows what the server kept.
 */
export function useRemarkFollow(externalUserid: string, userid: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RemarkFollowInput) =>
      api<z.infer<typeof Follow>>('PATCH', `/customers/${encodeURIComponent(externalUserid)}/follows/${encodeURIComponent(userid)}`, body),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['customer', externalUserid] });
      void client.invalidateQueries({ queryKey: ['customer-list'] });
    },
  });
}
