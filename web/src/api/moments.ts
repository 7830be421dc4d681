import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreateMomentBody,
  DeliveryList,
  MomentAnalytics,
  MomentDelivery,
  MomentDto,
  MomentList,
  MomentPreview,
  MomentSettings,
  MomentStatus,
  MomentsSummary,
  PreviewMomentBody,
  Suppression,
  SuppressionList,
  UpdateMomentBody,
} from '../../../contracts/moments.js';
import { defaultMomentSettings } from '../../../contracts/moments.js';
import { api } from './client.js';
import type { SettingsDto } from './tags.js';

/** A post as the console shows it. */
export type { MomentDto };
/** One of a post's states: draft, scheduled, sending, sent, cancelled. */
export type MomentStatusName = z.infer<typeof MomentStatus>;
/** A new post as `POST /moments` takes it. */
export type NewMoment = z.input<typeof CreateMomentBody>;
/** A draft's changes as `PATCH /moments/:momentId` takes them. */
export type MomentChanges = z.input<typeof UpdateMomentBody>;
/** What `POST /moments/preview` takes: a post's fields, nothing saved. */
export type MomentPreviewBody = z.input<typeof PreviewMomentBody>;
/** The audience reduction by reduction, in total and per sender. */
export type MomentPreviewDto = MomentPreview;
/** One planned delivery. */
export type MomentDeliveryDto = z.infer<typeof MomentDelivery>;
/** A post's funnel, per tag and per variant. */
export type MomentAnalyticsDto = z.infer<typeof MomentAnalytics>;
/** The corp's posts in a period, targeted against broadcast. */
export type MomentsSummaryDto = z.infer<typeof MomentsSummary>;
/** A customer kept off a tag group's posts, and why. */
export type SuppressionDto = z.infer<typeof Suppression>;
/** The corp's Moments settings. */
export type MomentSettingsDto = MomentSettings;

/** The list's filters: by status, text containing `q`, from `cursor`. */
export type MomentFilters = { status?: MomentStatusName; q?: string; cursor?: string };

/** A query string of only the values given. */
export function searchOf(values: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** `GET /moments` with the filters, newest first; the previous page stays while the next is asked. */
export function useMoments(filters: MomentFilters) {
  return useQuery({
    queryKey: ['moments', filters],
    queryFn: ({ signal }) => api<z.infer<typeof MomentList>>('GET', `/moments${searchOf({ ...filters, limit: 20 })}`, undefined, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * The number of posts in each status, one small `GET /moments?status=…` per status (the list has
 * no count of its own): enough to say "3 scheduled, 12 sent" on the filter, capped at 100.
 */
export function useMomentCounts(statuses: readonly MomentStatusName[]) {
  return useQuery({
    queryKey: ['moments', 'counts'],
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(
        statuses.map((status) => api<z.infer<typeof MomentList>>('GET', `/moments?status=${status}&limit=100`, undefined, signal)),
      );
      return Object.fromEntries(statuses.map((status, i) => [status, { count: pages[i]!.moments.length, more: pages[i]!.nextCursor !== null }])) as Record<
        MomentStatusName,
        { count: number; more: boolean }
      >;
    },
    staleTime: 10_000,
  });
}

/** `GET /moments/:momentId`. */
export function useMoment(momentId: string | null) {
  return useQuery({ queryKey: ['moment', momentId], queryFn: () => api<MomentDto>('GET', `/moments/${momentId}`), enabled: momentId !== null });
}

/**
 * `POST /moments/preview` for the composer's current fields, keyed by their JSON so the answer
 * for the newest fields wins; `body` null (nothing to count yet) asks nothing.
 */
export function useMomentPreview(body: MomentPreviewBody | null) {
  const key = body === null ? null : JSON.stringify(body);
  return useQuery({
    queryKey: ['moment-preview', key],
    queryFn: ({ signal }) => api<MomentPreviewDto>('POST', '/moments/preview', body, signal),
    enabled: body !== null,
    retry: false,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}

function useMomentsMutation<I, O>(run: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['moments'] });
      void client.invalidateQueries({ queryKey: ['moment'] });
      void client.invalidateQueries({ queryKey: ['moment-deliveries'] });
    },
  });
}

/** The posts' writes (create, change or delete a draft, schedule, cancel), each refreshing the list and the open post. */
export function useMomentActions() {
  return {
    create: useMomentsMutation((body: NewMoment) => api<MomentDto>('POST', '/moments', body)),
    update: useMomentsMutation(({ momentId, ...changes }: { momentId: string } & MomentChanges) => api<MomentDto>('PATCH', `/moments/${momentId}`, changes)),
    schedule: useMomentsMutation((momentId: string) => api<MomentDto>('POST', `/moments/${momentId}/schedule`, {})),
    cancel: useMomentsMutation((momentId: string) => api<MomentDto>('POST', `/moments/${momentId}/cancel`, {})),
    remove: useMomentsMutation((momentId: string) => api<void>('DELETE', `/moments/${momentId}`)),
  };
}

/** `GET /moments/:momentId/deliveries`, one page, optionally of one sender. */
export function useDeliveries(momentId: string | null, filters: { sender?: string; cursor?: string }) {
  return useQuery({
    queryKey: ['moment-deliveries', momentId, filters],
    queryFn: ({ signal }) =>
      api<z.infer<typeof DeliveryList>>('GET', `/moments/${momentId}/deliveries${searchOf({ ...filters, limit: 50 })}`, undefined, signal),
    enabled: momentId !== null,
    placeholderData: keepPreviousData,
  });
}

/** `GET /moments/:momentId/analytics`: the funnel, by tag and by variant. */
export function useMomentAnalytics(momentId: string | null) {
  return useQuery({
    queryKey: ['moment-analytics', momentId],
    queryFn: () => api<MomentAnalyticsDto>('GET', `/moments/${momentId}/analytics`),
    enabled: momentId !== null,
  });
}

/** `GET /moments/analytics?from&to`: targeted against broadcast over the period. */
export function useMomentsSummary(period: { from?: string; to?: string }) {
  return useQuery({
    queryKey: ['moments-summary', period],
    queryFn: ({ signal }) => api<MomentsSummaryDto>('GET', `/moments/analytics${searchOf(period)}`, undefined, signal),
    placeholderData: keepPreviousData,
  });
}

/** `GET /moments/suppressions`, one page, optionally of one tag group. */
export function useSuppressions(filters: { groupId?: string; cursor?: string }) {
  return useQuery({
    queryKey: ['moment-suppressions', filters],
    queryFn: ({ signal }) => api<z.infer<typeof SuppressionList>>('GET', `/moments/suppressions${searchOf({ ...filters, limit: 50 })}`, undefined, signal),
    placeholderData: keepPreviousData,
  });
}

/** `DELETE /moments/suppressions/:groupId/:externalUserid`: the customer gets that group's posts again. */
export function useLiftSuppression() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: { groupId: string; externalUserid: string }) =>
      api<void>('DELETE', `/moments/suppressions/${encodeURIComponent(s.groupId)}/${encodeURIComponent(s.externalUserid)}`),
    onSettled: () => void client.invalidateQueries({ queryKey: ['moment-suppressions'] }),
  });
}

/**
 * The corp's Moments settings from `GET /settings` (its `moments` part), with the defaults while
 * the server answers none; shares the `['settings']` cache with the rest of the settings page.
 */
export function useMomentSettings() {
  const query = useQuery({ queryKey: ['settings'], queryFn: () => api<SettingsDto & { moments?: MomentSettings }>('GET', '/settings'), staleTime: 5 * 60_000 });
  return { ...query, settings: query.data?.moments ?? defaultMomentSettings, fromServer: query.data?.moments !== undefined };
}

/** `PATCH /settings` with only the changed Moments settings; the settings cache is read again after. */
export function useUpdateMomentSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (moments: Partial<MomentSettings>) => api<SettingsDto>('PATCH', '/settings', { moments }),
    onSettled: () => void client.invalidateQueries({ queryKey: ['settings'] }),
  });
}
