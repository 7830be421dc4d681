import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { AudienceCustomerPage, ListedCustomer } from '../../../contracts/audiences.js';
import type { BatchBody, OperationEnvelope, OperationProgress } from '../../../contracts/operations.js';
import type { UndoResponse } from '../../../contracts/undo.js';
import { api } from './client.js';

/** A customer row of the list, with its followers and visible tags. */
export type ListedCustomerDto = z.infer<typeof ListedCustomer>;
/** One page of the list with the matching count. */
export type CustomerListPageDto = z.infer<typeof AudienceCustomerPage>;
/** A batch request (tag / untag / move on ids or an audience). */
export type BatchRequest = z.input<typeof BatchBody>;
/** A live progress state of an operation, as its SSE stream sends it. */
export type ProgressDto = z.infer<typeof OperationProgress>;
/** What an undo answers: the undo operation and the changes it left alone. */
export type UndoDto = z.infer<typeof UndoResponse>;

const pageSize = 1000;

/**
 * `POST /audiences/customers`, page after page as the user scrolls: the customers matching the
 * audience text (everyone in reach without one) and the name search. The previous result stays on
 * screen while a new filter loads, so the table does not flash empty on each keystroke.
 */
export function useCustomerList(text: string | undefined, q: string) {
  return useInfiniteQuery({
    queryKey: ['customer-list', text ?? '', q],
    queryFn: ({ pageParam }) =>
      api<CustomerListPageDto>('POST', '/audiences/customers', {
        ...(text ? { text } : {}),
        ...(q ? { q } : {}),
        ...(pageParam ? { cursor: pageParam } : {}),
        limit: pageSize,
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Customers whose name contains `q`, for the quick jump (a few, only once something is typed). */
export function useCustomerSearch(q: string) {
  return useQuery({
    queryKey: ['customer-search', q],
    queryFn: async () => (await api<CustomerListPageDto>('POST', '/audiences/customers', { q, limit: 5 })).customers,
    enabled: q.trim() !== '',
    staleTime: 30_000,
  });
}

/** `POST /operations/batch`: queues the job (202) and answers the queued operation. */
export function useBatch() {
  return useMutation({ mutationFn: async (body: BatchRequest) => (await api<z.infer<typeof OperationEnvelope>>('POST', '/operations/batch', body)).operation });
}

/** `POST /operations/:id/undo`: reverses a finished batch; the list is fetched again after. */
export function useUndo() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (operationId: string) => api<UndoDto>('POST', `/operations/${encodeURIComponent(operationId)}/undo`),
    onSettled: () => void client.invalidateQueries({ queryKey: ['customer-list'] }),
  });
}

const terminal = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Follows an operation's SSE progress stream (`GET /operations/:id/progress`) until a final status,
 * then closes it. A dropped connection is retried by EventSource itself; a stream that cannot be
 * opened at all is reported as `lost`.
 */
export function useOperationProgress(operationId: string | null): { progress: ProgressDto | null; lost: boolean } {
  const [state, setState] = useState<{ id: string | null; progress: ProgressDto | null; lost: boolean }>({ id: null, progress: null, lost: false });
  useEffect(() => {
    if (!operationId) return;
    setState({ id: operationId, progress: null, lost: false });
    const source = new EventSource(`/api/v1/operations/${encodeURIComponent(operationId)}/progress`);
    source.addEventListener('progress', (event) => {
      const progress = JSON.parse((event as MessageEvent<string>).data) as ProgressDto;
      setState({ id: operationId, progress, lost: false });
      if (terminal.has(progress.status)) source.close();
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setState((s) => ({ ...s, lost: true }));
    };
    return () => source.close();
  }, [operationId]);
  return state.id === operationId ? { progress: state.progress, lost: state.lost } : { progress: null, lost: false };
}

/** `GET /operations/:id`: the finished operation with its result counts. */
export function fetchOperation(operationId: string) {
  return api<z.infer<typeof OperationEnvelope>>('GET', `/operations/${encodeURIComponent(operationId)}`).then((r) => r.operation);
}
