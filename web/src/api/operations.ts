import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ListOperationsQuery, Operation, OperationEnvelope, OperationPage, OperationProgress } from '../../../contracts/operations.js';
import type { UndoResponse } from '../../../contracts/undo.js';
import { api } from './client.js';

/** One operation with the caller's abilities on it. */
export type OperationDto = z.infer<typeof Operation>;
/** Where an operation stands (the SSE frames). */
export type ProgressDto = z.infer<typeof OperationProgress>;
/** An undo or redo's answer: the new operation and its conflicts. */
export type UndoResponseDto = z.infer<typeof UndoResponse>;
/** The listing's filters, as the query string takes them. */
export type OperationFilters = Partial<Pick<z.input<typeof ListOperationsQuery>, 'kind' | 'status' | 'from' | 'to'>>;

/**
 * `GET /operations`: newest first, a page at a time ("load more" follows `nextCursor`). While any
 * listed operation is queued or running, the list is read again every 5 s (rows not streamed live).
 */
export function useOperations(filters: OperationFilters) {
  return useInfiniteQuery({
    queryKey: ['operations', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: '50' });
      for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
      if (pageParam) query.set('cursor', pageParam);
      return api<z.infer<typeof OperationPage>>('GET', `/operations?${query.toString()}`);
    },
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.operations.some((op) => op.status === 'queued' || op.status === 'running')) ? 5000 : false,
  });
}

/** `GET /operations/:id`: one operation with its full params and result. */
export function useOperation(operationId: string | null) {
  return useQuery({
    queryKey: ['operation', operationId],
    queryFn: async () => (await api<z.infer<typeof OperationEnvelope>>('GET', `/operations/${operationId}`)).operation,
    enabled: operationId !== null,
  });
}

const terminal = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Follows `GET /operations/:id/progress` (Server-Sent Events) while `enabled`: the latest frame, and
 * once the operation ends the stream is closed (EventSource would otherwise reconnect) and the
 * operation's queries are refreshed.
 */
export function useOperationProgress(operationId: string | null, enabled = true): ProgressDto | null {
  const client = useQueryClient();
  const [progress, setProgress] = useState<ProgressDto | null>(null);
  useEffect(() => {
    setProgress(null);
    if (!operationId || !enabled) return;
    const source = new EventSource(`/api/v1/operations/${operationId}/progress`);
    source.addEventListener('progress', (event) => {
      const frame = JSON.parse((event as MessageEvent<string>).data) as ProgressDto;
      setProgress(frame);
      if (terminal.has(frame.status)) {
        source.close();
        void client.invalidateQueries({ queryKey: ['operations'] });
        void client.invalidateQueries({ queryKey: ['operation', operationId] });
      }
    });
    source.onerror = () => source.close();
    return () => source.close();
  }, [operationId, enabled, client]);
  return progress;
}

/** Undo, redo and cancel; each refreshes the listing and the operation. */
export function useOperationActions() {
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['operations'] });
    void client.invalidateQueries({ queryKey: ['operation'] });
  };
  return {
    undo: useMutation({ mutationFn: (id: string) => api<UndoResponseDto>('POST', `/operations/${id}/undo`), onSettled: refresh }),
    redo: useMutation({ mutationFn: (id: string) => api<UndoResponseDto>('POST', `/operations/${id}/redo`), onSettled: refresh }),
    cancel: useMutation({ mutationFn: (id: string) => api<z.infer<typeof OperationEnvelope>>('POST', `/operations/${id}/cancel`), onSettled: refresh }),
  };
}
