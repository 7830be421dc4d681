import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';

/** An outbound webhook subscription, never with its secret. */
export type SubscriptionDto = {
  subscriptionId: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt?: string;
};

/** A subscription with its signing secret: answered once, at creation and rotation. */
export type SubscriptionWithSecretDto = { subscription: SubscriptionDto; secret: string };

/** What the drawer edits (the filter as `events`; sent as the API's `eventTypes`). */
export type SubscriptionInput = { name: string; url: string; events: string[]; enabled: boolean };

/** The body of `POST` and `PATCH /webhook-subscriptions`. */
function bodyOf(input: Partial<SubscriptionInput>): Record<string, unknown> {
  const { events, ...rest } = input;
  return events === undefined ? rest : { ...rest, eventTypes: events };
}

/** One delivery of one event to one subscription. */
export type DeliveryDto = {
  deliveryId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastStatus: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  idempotencyKey?: string;
  createdAt: string;
  deliveredAt?: string | null;
  nextAttemptAt?: string | null;
};

/** One try of a delivery: the HTTP status or the error, and how long it took. */
export type AttemptDto = { attempt?: number; attemptedAt: string; status: number | null; latencyMs: number | null; error: string | null };

/** A delivery with every attempt (`GET /webhook-deliveries/:id`). */
export type DeliveryDetailDto = DeliveryDto & { attemptLog: AttemptDto[]; payload?: unknown };

// The list and detail routes wrap their rows in an object; these read whichever key holds them.
function arrayIn<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const record = (answer ?? {}) as Record<string, unknown>;
  return (record[key] ?? record.items ?? Object.values(record).find(Array.isArray) ?? []) as T[];
}

/** The subscription with its secret from a create or rotate answer, whatever its nesting. */
function withSecret(answer: Record<string, unknown>): SubscriptionWithSecretDto {
  const subscription = normalised((answer.subscription ?? answer) as SubscriptionDto);
  return { subscription, secret: String(answer.secret ?? (subscription as unknown as { secret?: string }).secret ?? '') };
}

/** A subscription as the server answers it, its filter under `events` (older shapes: `eventTypes`). */
function normalised(raw: SubscriptionDto & { eventTypes?: string[] }): SubscriptionDto {
  return { ...raw, events: raw.events ?? raw.eventTypes ?? [] };
}

/** An attempt as the server answers it, its time under `attemptedAt` (or `at`). */
function attemptOf(raw: AttemptDto & { at?: string }): AttemptDto {
  return { ...raw, attemptedAt: raw.attemptedAt ?? raw.at ?? '' };
}

/** `GET /webhook-subscriptions`. */
export function useSubscriptions(enabled = true) {
  return useQuery({
    queryKey: ['webhook-subscriptions'],
    queryFn: async () => arrayIn<SubscriptionDto>(await api<unknown>('GET', '/webhook-subscriptions'), 'subscriptions').map(normalised),
    enabled,
  });
}

/** `GET /webhook-subscriptions/:id/deliveries`: the newest 50, optionally one status only; read again every 10 s. */
export function useSubscriptionDeliveries(subscriptionId: string | undefined, status: DeliveryDto['status'] | undefined) {
  return useQuery({
    queryKey: ['webhook-subscriptions', subscriptionId, 'deliveries', status ?? 'all'],
    queryFn: async () =>
      arrayIn<DeliveryDto>(
        await api<unknown>('GET', `/webhook-subscriptions/${subscriptionId}/deliveries?limit=50${status ? `&status=${status}` : ''}`),
        'deliveries',
      ),
    enabled: subscriptionId !== undefined,
    refetchInterval: 10_000,
  });
}

/** `GET /webhook-deliveries/:id`: the delivery and every attempt. */
export function useDelivery(deliveryId: string | null) {
  return useQuery({
    queryKey: ['webhook-deliveries', deliveryId],
    queryFn: async () => {
      const answer = await api<DeliveryDto & { attemptLog?: AttemptDto[] }>('GET', `/webhook-deliveries/${deliveryId}`);
      return { ...answer, attemptLog: (answer.attemptLog ?? []).map(attemptOf) } as DeliveryDetailDto;
    },
    enabled: deliveryId !== null,
  });
}

/** Every write on subscriptions and deliveries; each refreshes the lists after. */
export function useSubscriptionActions() {
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['webhook-subscriptions'] });
    void client.invalidateQueries({ queryKey: ['webhook-deliveries'] });
  };
  return {
    create: useMutation({
      mutationFn: async (body: SubscriptionInput) => withSecret(await api<Record<string, unknown>>('POST', '/webhook-subscriptions', bodyOf(body))),
      onSettled: refresh,
    }),
    update: useMutation({
      mutationFn: ({ subscriptionId, changes }: { subscriptionId: string; changes: Partial<SubscriptionInput> }) =>
        api<unknown>('PATCH', `/webhook-subscriptions/${subscriptionId}`, bodyOf(changes)),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (subscriptionId: string) => api<void>('DELETE', `/webhook-subscriptions/${subscriptionId}`), onSettled: refresh }),
    rotate: useMutation({
      mutationFn: async (subscriptionId: string) => withSecret(await api<Record<string, unknown>>('POST', `/webhook-subscriptions/${subscriptionId}/rotate`)),
      onSettled: refresh,
    }),
    ping: useMutation({ mutationFn: (subscriptionId: string) => api<unknown>('POST', `/webhook-subscriptions/${subscriptionId}/ping`), onSettled: refresh }),
    replayDead: useMutation({
      mutationFn: (subscriptionId: string) => api<unknown>('POST', `/webhook-subscriptions/${subscriptionId}/replay-dead`),
      onSettled: refresh,
    }),
    replay: useMutation({ mutationFn: (deliveryId: string) => api<unknown>('POST', `/webhook-deliveries/${deliveryId}/replay`), onSettled: refresh }),
  };
}
