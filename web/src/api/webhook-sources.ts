import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreateWebhookSourceBody,
  UpdateWebhookSourceBody,
  WebhookDeliveryList,
  WebhookMappingInput,
  WebhookSource,
  WebhookSourceList,
  WebhookSourceWithSecret,
  WebhookTestResult,
} from '../../../contracts/webhooks.js';
import { api } from './client.js';

/** A webhook source (数据接入), never with its secret. */
export type WebhookSourceDto = z.infer<typeof WebhookSource>;
/** A source with its secret, answered once at creation and rotation. */
export type SourceWithSecretDto = z.infer<typeof WebhookSourceWithSecret>;
/** What a sample payload would record, or its problems. */
export type WebhookTestResultDto = z.infer<typeof WebhookTestResult>;
/** A page of the delivery log. */
export type DeliveryListDto = z.infer<typeof WebhookDeliveryList>;
/** A mapping as the form sends it. */
export type MappingInput = z.input<typeof WebhookMappingInput>;

/** `GET /webhook-sources`. */
export function useWebhookSources(enabled = true) {
  return useQuery({
    queryKey: ['webhook-sources'],
    queryFn: async () => (await api<z.infer<typeof WebhookSourceList>>('GET', '/webhook-sources')).sources,
    enabled,
  });
}

/** `GET /webhook-sources/:sourceId/deliveries`: the newest 50, optionally only refusals. */
export function useDeliveries(sourceId: string | undefined, outcome: 'accepted' | 'refused' | undefined) {
  return useQuery({
    queryKey: ['webhook-sources', sourceId, 'deliveries', outcome ?? 'all'],
    queryFn: () => api<DeliveryListDto>('GET', `/webhook-sources/${sourceId}/deliveries?limit=50${outcome ? `&outcome=${outcome}` : ''}`),
    enabled: sourceId !== undefined,
  });
}

/** The sources' writes, each refreshing the list after; `test` records nothing. */
export function useWebhookSourceActions() {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: ['webhook-sources'] });
  return {
    create: useMutation({
      mutationFn: (body: z.input<typeof CreateWebhookSourceBody>) => api<SourceWithSecretDto>('POST', '/webhook-sources', body),
      onSettled: refresh,
    }),
    update: useMutation({
      mutationFn: ({ sourceId, changes }: { sourceId: string; changes: z.input<typeof UpdateWebhookSourceBody> }) =>
        api<WebhookSourceDto>('PATCH', `/webhook-sources/${sourceId}`, changes),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (sourceId: string) => api<void>('DELETE', `/webhook-sources/${sourceId}`), onSettled: refresh }),
    rotate: useMutation({ mutationFn: (sourceId: string) => api<SourceWithSecretDto>('POST', `/webhook-sources/${sourceId}/rotate`), onSettled: refresh }),
    test: useMutation({
      mutationFn: ({ sourceId, payload, mapping }: { sourceId: string; payload: unknown; mapping?: MappingInput }) =>
        api<WebhookTestResultDto>('POST', `/webhook-sources/${sourceId}/test`, { payload, mapping }),
    }),
  };
}

/** What the sender's endpoint answered to a signed sample delivery. */
export type SampleOutcome = { status: number; code: string; message: string };

/**
 * Posts `payload` to the source's URL signed as a sender would (HMAC-SHA256 of `<ts>.<body>` under
 * the secret, README of the webhooks module), so it goes through the real checks and lands in the
 * delivery log. Only possible while the secret is on screen (right after creation or rotation).
 */
export async function sendSignedSample(url: string, secret: string, payload: unknown): Promise<SampleOutcome> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${timestamp}.${body}`)));
  const hex = [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tagloom-timestamp': timestamp,
      'x-tagloom-delivery': `console-sample-${crypto.randomUUID()}`,
      'x-tagloom-signature': `sha256=${hex}`,
    },
    body,
  });
  const json = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string }; factType?: string };
  return { status: response.status, code: json.error?.code ?? 'accepted', message: json.error?.message ?? json.factType ?? '' };
}
