import type { z } from 'zod';
import type { WebhookDelivery, WebhookSource, WebhookSourceWithSecret } from '../../../contracts/webhooks.js';
import type { WebhookDeliveryRow } from './webhooks.queries.js';
import type { WebhookSourceRow } from './webhooks.repo.js';

/** A source without its secret, with the URL the sender posts to. */
export function presentWebhookSource(row: WebhookSourceRow): z.infer<typeof WebhookSource> {
  return {
    sourceId: row.sourceId,
    name: row.name,
    url: `/hooks/${row.sourceId}`,
    mapping: row.mapping,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
  };
}

/** A source with its new secret, the one time the secret is shown. */
export function presentWebhookSourceWithSecret(result: { source: WebhookSourceRow; secret: string }): z.infer<typeof WebhookSourceWithSecret> {
  return { source: presentWebhookSource(result.source), secret: result.secret };
}

/** One logged delivery. */
export function presentWebhookDelivery(row: WebhookDeliveryRow): z.infer<typeof WebhookDelivery> {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    outcome: row.outcome,
    status: row.status,
    code: row.code,
    reason: row.reason,
    eventType: row.eventType,
    externalUserid: row.externalUserid,
    fields: (row.fields as z.infer<typeof WebhookDelivery>['fields']) ?? null,
    receivedAt: row.receivedAt.toISOString(),
  };
}
