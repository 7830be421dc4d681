import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';

/** `GET /connector`: the corp's WeCom connection, never with a secret. */
export type ConnectionDto =
  | { connected: false }
  | {
      connected: true;
      wecomCorpid: string;
      agentId: number | null;
      apiBase: string;
      pushEnabled: boolean;
      hasCallback: boolean;
      callbackUrl: string;
      lastFullPullAt: string | null;
      lastPullAt: string | null;
      updatedAt: string;
    };

/** `PUT /connector`: a secret left out keeps the saved one. */
export type SaveConnectionBody = {
  wecomCorpid: string;
  secret?: string;
  callbackToken?: string;
  encodingAesKey?: string;
  agentId?: number;
  apiBase?: string;
  pushEnabled?: boolean;
};

/** `POST /connector/test`: WeCom's own errcode and errmsg when it refused. */
export type ConnectionTestDto = { ok: true; tagGroups: number } | { ok: false; errcode: number; errmsg: string };

/** `GET /connector/push/summary`. */
export type PushSummaryDto = { pushEnabled: boolean; pending: number; dead: number; oldestPendingAt: string | null; lastDeliveredAt: string | null };

/** What a queued WeCom call does (`description` of `GET /connector/push`), in parts. */
export type PushDescription =
  | { action: 'mark'; customer: string; userid: string; add: string[]; remove: string[] }
  | { action: 'createTags'; tags: string[]; group: string }
  | { action: 'editTag' | 'editGroup'; target: string; rename: string | null; order: number | null }
  | { action: 'delete'; tags: string[]; groups: string[] }
  | { action: 'other'; op: string };

/** One row of the push queue (`GET /connector/push`). */
export type PushItemDto = {
  itemId: string;
  op: string;
  orderKey: string;
  eventType: string | null;
  summary: string;
  description: PushDescription;
  attempts: number;
  lastErrcode: number | null;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
  nextAttemptAt: string | null;
};

/** One received callback (`GET /connector/callbacks`). */
export type CallbackLogDto = {
  callbackId: string;
  outcome: string;
  event: string | null;
  changeType: string | null;
  reason: string | null;
  receivedAt: string;
};

// The list routes answer `{ items, … }`; an older or newer key name still shows its rows.
function rowsOf<T>(answer: Record<string, unknown>): T[] {
  const list = answer.items ?? Object.values(answer).find(Array.isArray);
  return (list ?? []) as T[];
}

/** `GET /connector`. */
export function useConnection(enabled = true) {
  return useQuery({ queryKey: ['connector'], queryFn: () => api<ConnectionDto>('GET', '/connector'), enabled });
}

/** Save, remove and test the connection; start a pull. Each refreshes what it changes. */
export function useConnectionActions() {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['connector'] });
  return {
    save: useMutation({ mutationFn: (body: SaveConnectionBody) => api<ConnectionDto>('PUT', '/connector', body), onSettled: refresh }),
    remove: useMutation({ mutationFn: () => api<void>('DELETE', '/connector'), onSettled: refresh }),
    test: useMutation({ mutationFn: () => api<ConnectionTestDto>('POST', '/connector/test') }),
    pull: useMutation({
      mutationFn: (mode: 'full' | 'incremental') => api<{ operationId: string }>('POST', '/connector/pulls', { mode }),
      onSettled: () => void client.invalidateQueries({ queryKey: ['operations'] }),
    }),
  };
}

/** `GET /connector/push/summary`, read again every 10 s while the page is open (the pusher works in the background). */
export function usePushSummary(enabled: boolean) {
  return useQuery({
    queryKey: ['connector', 'push', 'summary'],
    queryFn: () => api<PushSummaryDto>('GET', '/connector/push/summary'),
    enabled,
    refetchInterval: 10_000,
  });
}

/** `GET /connector/push?status=dead`: the newest 50 dead letters. */
export function useDeadLetters(enabled: boolean) {
  return useQuery({
    queryKey: ['connector', 'push', 'dead'],
    queryFn: async () => rowsOf<PushItemDto>(await api<Record<string, unknown>>('GET', '/connector/push?status=dead&limit=50')),
    enabled,
  });
}

/** Replays one dead letter or all of them; the queue's counts and list are read again after. */
export function usePushReplay() {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['connector', 'push'] });
  return {
    one: useMutation({ mutationFn: (itemId: string) => api<unknown>('POST', `/connector/push/${itemId}/replay`), onSettled: refresh }),
    all: useMutation({ mutationFn: () => api<unknown>('POST', '/connector/push/replay', { all: true }), onSettled: refresh }),
  };
}

/** `GET /connector/callbacks`: the newest 50 callbacks WeCom sent, applied or refused. */
export function useCallbackLog(enabled: boolean) {
  return useQuery({
    queryKey: ['connector', 'callbacks'],
    queryFn: async () => rowsOf<CallbackLogDto>(await api<Record<string, unknown>>('GET', '/connector/callbacks?limit=50')),
    enabled,
    refetchInterval: 15_000,
  });
}
