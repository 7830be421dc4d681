import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ContactWay, ContactWayArrivals, ContactWayList, CreateContactWayBody, UpdateContactWayBody } from '../../../contracts/contact-ways.js';
import { api } from './client.js';

/** A contact way (活码) with how many customers within reach came in through it. */
export type ContactWayDto = z.infer<typeof ContactWay>;
/** A page of the customers who came in through a way. */
export type ContactWayArrivalsDto = z.infer<typeof ContactWayArrivals>;
/** A new way as the drawer sends it. */
export type NewContactWay = z.input<typeof CreateContactWayBody>;
/** The changes to a saved way (left out = unchanged, null clears). */
export type ContactWayChanges = z.input<typeof UpdateContactWayBody>;

/** `GET /contact-ways`: every live way, newest first. */
export function useContactWays(enabled = true) {
  return useQuery({
    queryKey: ['contact-ways'],
    queryFn: async () => (await api<z.infer<typeof ContactWayList>>('GET', '/contact-ways')).contactWays,
    enabled,
  });
}

/** `GET /contact-ways/:configId/arrivals`: one page (from `cursor`) of who came in through a way, newest first. */
export function useContactWayArrivals(configId: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['contact-ways', configId, 'arrivals', cursor ?? ''],
    queryFn: () => api<ContactWayArrivalsDto>('GET', `/contact-ways/${configId}/arrivals?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    enabled: configId !== undefined,
  });
}

/** Creating, changing and deleting ways, each refreshing the list after. */
export function useContactWayActions() {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['contact-ways'] });
  return {
    create: useMutation({ mutationFn: (body: NewContactWay) => api<ContactWayDto>('POST', '/contact-ways', body), onSettled: refresh }),
    update: useMutation({
      mutationFn: ({ configId, changes }: { configId: string; changes: ContactWayChanges }) =>
        api<ContactWayDto>('PATCH', `/contact-ways/${configId}`, changes),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (configId: string) => api<void>('DELETE', `/contact-ways/${configId}`), onSettled: refresh }),
  };
}
