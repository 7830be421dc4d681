import { z } from 'zod';
import { chars, Timestamp } from './common.js';

// ---- input ----

const EventFilter = z
  .array(z.string().min(1).max(80))
  .min(1)
  .max(100)
  .meta({
    description:
      'Which events to deliver: exact event types (`follow.tags_changed`), `prefix.*` patterns (`tag.*`) or `*` for all. Unknown types and patterns matching nothing are refused.',
    examples: [['tag.*', 'follow.tags_changed']],
  });

const Url = z
  .string()
  .min(1)
  .max(2048)
  .meta({ description: 'Where to POST: http(s), no user:password, not a private or loopback address (unless the server allows it).' });

/** `:subscriptionId` in a path. */
export const WebhookSubscriptionIdParams = z.strictObject({
  subscriptionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a subscription id: 1–64 letters, digits, _ or -'),
});

/** `:deliveryId` in a path. */
export const WebhookOutDeliveryIdParams = z.strictObject({
  deliveryId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a delivery id: 1–64 letters, digits, _ or -'),
});

/** `POST /webhook-subscriptions`. */
export const CreateWebhookSubscriptionBody = z.strictObject({
  name: chars(64).pipe(z.string().trim().min(1)),
  url: Url,
  eventTypes: EventFilter,
  enabled: z.boolean().default(true),
});

/** `PATCH /webhook-subscriptions/:subscriptionId`. */
export const UpdateWebhookSubscriptionBody = z
  .strictObject({
    name: chars(64).pipe(z.string().trim().min(1)).optional(),
    url: Url.optional(),
    eventTypes: EventFilter.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, url, eventTypes, enabled');

/** `GET /webhook-subscriptions/:subscriptionId/deliveries`: newest first, optionally one status, paged by `before`. */
export const ListWebhookOutDeliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .meta({ description: 'The `eventSeq` of the last delivery of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---- output ----

/** A subscription, never with its secret. */
export const WebhookSubscription = z.object({
  subscriptionId: z.string(),
  name: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** `GET /webhook-subscriptions`. */
export const WebhookSubscriptionList = z.object({ subscriptions: z.array(WebhookSubscription) });

/** `POST /webhook-subscriptions` and `POST …/:subscriptionId/rotate`: the secret, shown this once. */
export const WebhookSubscriptionWithSecret = z.object({
  subscription: WebhookSubscription,
  secret: z.string().meta({ description: 'Shown only in this response: the receiver verifies `X-Tagloom-Signature` with it.' }),
});

/** One outbound delivery (an event × a subscription) with where it stands. */
export const WebhookOutDelivery = z.object({
  deliveryId: z.string(),
  subscriptionId: z.string(),
  eventSeq: z.int(),
  eventType: z.string(),
  idempotencyKey: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.int(),
  nextAttemptAt: Timestamp.nullable().meta({ description: 'When the next attempt is due (pending only).' }),
  lastStatus: z.int().nullable().meta({ description: "The receiver's HTTP status at the last attempt, or null (network error, not tried yet)." }),
  lastError: z.string().nullable(),
  lastLatencyMs: z.int().nullable(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
});

/** `GET /webhook-subscriptions/:subscriptionId/deliveries`. */
export const WebhookOutDeliveryList = z.object({ deliveries: z.array(WebhookOutDelivery), nextBefore: z.int().nullable() });

/** One attempt at a delivery. */
export const WebhookOutAttempt = z.object({
  attempt: z.int(),
  status: z.int().nullable(),
  error: z.string().nullable(),
  latencyMs: z.int(),
  at: Timestamp,
});

/** `GET /webhook-deliveries/:deliveryId`: the delivery, its payload and every attempt. */
export const WebhookOutDeliveryDetail = WebhookOutDelivery.extend({
  payload: z.record(z.string(), z.unknown()),
  attemptLog: z.array(WebhookOutAttempt),
});

/** `POST …/replay-dead`: how many dead deliveries went back to pending. */
export const ReplayDeadResult = z.object({ replayed: z.int() });
