import type { z } from 'zod';
import type {
  WebhookOutDelivery,
  WebhookOutDeliveryDetail,
  WebhookSubscription,
  WebhookSubscriptionWithSecret,
} from '../../../contracts/webhook-subscriptions.js';
import type { OutboxRow } from './commands/replay-delivery.js';
import type { AttemptRow } from './subscriptions.queries.js';
import type { WebhookSubscriptionRow } from './subscriptions.repo.js';

/** A subscription without its secret. */
export function presentSubscription(row: WebhookSubscriptionRow): z.infer<typeof WebhookSubscription> {
  return {
    subscriptionId: row.subscriptionId,
    name: row.name,
    url: row.url,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A subscription with its new secret, the one time the secret is shown. */
export function presentSubscriptionWithSecret(result: { subscription: WebhookSubscriptionRow; secret: string }): z.infer<typeof WebhookSubscriptionWithSecret> {
  return { subscription: presentSubscription(result.subscription), secret: result.secret };
}

/** One delivery with where it stands. */
export function presentDelivery(row: OutboxRow): z.infer<typeof WebhookOutDelivery> {
  return {
    deliveryId: row.deliveryId,
    subscriptionId: row.subscriptionId,
    eventSeq: row.eventSeq,
    eventType: row.eventType,
    idempotencyKey: row.idempotencyKey,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    lastLatencyMs: row.lastLatencyMs,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

/** A delivery with its payload and every attempt. */
export function presentDeliveryDetail(row: OutboxRow, attempts: AttemptRow[]): z.infer<typeof WebhookOutDeliveryDetail> {
  return {
    ...presentDelivery(row),
    payload: row.payload,
    attemptLog: attempts.map((a) => ({ attempt: a.attempt, status: a.status, error: a.error, latencyMs: a.latencyMs, at: a.at.toISOString() })),
  };
}
