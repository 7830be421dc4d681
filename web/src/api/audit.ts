import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import type { AuditPageDto } from '../../../contracts/audit.js';
import { api } from './client.js';
import { downloadFile } from './transfer.js';

/** The audit log's filters as the console holds them (all optional; types as a list). */
export type AuditFilters = { actor?: string; type?: string[]; customer?: string; tag?: string; operationId?: string; from?: string; to?: string };

/**
 * The query string of `GET /audit` and `GET /audit/export` for the same filters, so the export is
 * exactly what the table shows: empty values left out, types comma-separated.
 * @example auditSearch({ type: ['tag.created', 'tag.deleted'] }) // → 'type=tag.created%2Ctag.deleted'
 */
export function auditSearch(filters: AuditFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters) as [keyof AuditFilters, string | string[] | undefined][]) {
    const text = Array.isArray(value) ? value.filter(Boolean).join(',') : value?.trim();
    if (text) query.set(key, text);
  }
  return query;
}

/** `GET /audit`: newest first, 100 at a time. */
export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const query = auditSearch(filters);
      query.set('limit', '100');
      if (pageParam) query.set('cursor', pageParam);
      return api<AuditPageDto>('GET', `/audit?${query.toString()}`);
    },
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Downloads `GET /audit/export` with the same filters, under the server's file name. */
export function useExportAudit() {
  return useMutation({ mutationFn: (filters: AuditFilters) => downloadFile('GET', `/audit/export?${auditSearch(filters).toString()}`) });
}
