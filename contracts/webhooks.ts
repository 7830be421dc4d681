import { z } from 'zod';
import { chars, Timestamp } from './common.js';

// ---- input ----

const JsonPath = z
  .string()
  .min(1)
  .max(256)
  .meta({
    description: "A JSON path into the payload: `$` then `.name`, `['name']` or `[index]` steps.",
    examples: ['$.customer.external_userid', '$.order.items[0].name'],
  });

/** How a payload maps to a behaviour fact; paths are checked at save time. */
export const WebhookMappingInput = z.strictObject({
  externalUserid: JsonPath.meta({ description: "Where the customer's external_userid is." }),
  eventType: z.union([z.strictObject({ value: z.string().max(64) }), z.strictObject({ path: JsonPath })]).meta({
    description:
      'A fixed event type (`{ "value": "order.paid" }`) or where to read it (`{ "path": "$.type" }`): lowercase words joined by dots, ≤ 64 characters. The fact is recorded as `webhook.<type>`.',
  }),
  target: JsonPath.optional().meta({ description: "Where the fact's target is (a product id…), matched by `event:webhook.order.paid(target=…)`." }),
  fields: z
    .record(z.string().max(32), JsonPath)
    .default({})
    .meta({ description: 'Named values for rules and templates (`product`, `amount`, `order_id`); up to 20.' }),
});

/** `:sourceId` in a path. */
export const WebhookSourceIdParams = z.strictObject({ sourceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a source id: 1–64 letters, digits, _ or -') });

/** `POST /webhook-sources`. */
export const CreateWebhookSourceBody = z.strictObject({
  name: chars(64).pipe(z.string().trim().min(1)),
  mapping: WebhookMappingInput,
  enabled: z.boolean().default(true),
});

/** `PATCH /webhook-sources/:sourceId`. */
export const UpdateWebhookSourceBody = z
  .strictObject({ name: chars(64).pipe(z.string().trim().min(1)).optional(), mapping: WebhookMappingInput.optional(), enabled: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, mapping, enabled');

/** `POST /webhook-sources/:sourceId/test`: a sample payload, and optionally a draft mapping to try instead of the saved one. */
export const TestWebhookDeliveryBody = z.strictObject({ payload: z.unknown(), mapping: WebhookMappingInput.optional() });

/** `GET /webhook-sources/:sourceId/deliveries`: newest first, optionally only one outcome, paged by `before`. */
export const ListWebhookDeliveriesQuery = z.strictObject({
  outcome: z.enum(['accepted', 'refused']).optional(),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().meta({ description: 'The `id` of the last delivery of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---- output ----

const MappingOutput = z.object({
  externalUserid: z.string(),
  eventType: z.union([z.object({ value: z.string() }), z.object({ path: z.string() })]),
  target: z.string().optional(),
  fields: z.record(z.string(), z.string()),
});

/** A webhook source, never with its secret. */
export const WebhookSource = z.object({
  sourceId: z.string(),
  name: z.string(),
  url: z.string().meta({ description: 'Where the sender posts: `/hooks/<sourceId>` on this server.' }),
  mapping: MappingOutput,
  enabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  rotatedAt: Timestamp.nullable(),
});

/** `GET /webhook-sources`. */
export const WebhookSourceList = z.object({ sources: z.array(WebhookSource) });

/** `POST /webhook-sources` and `POST /webhook-sources/:sourceId/rotate`: the secret, shown this once. */
export const WebhookSourceWithSecret = z.object({
  source: WebhookSource,
  secret: z.string().meta({ description: 'Shown only in this response; give it to the sender now.' }),
});

/** A mapped value: text, a number, a boolean, or null when the payload lacks it. */
const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One delivery as logged: accepted, or refused with its code and reason. */
export const WebhookDelivery = z.object({
  id: z.int(),
  deliveryId: z.string().nullable(),
  outcome: z.enum(['accepted', 'refused']),
  status: z.int(),
  code: z.string().nullable(),
  reason: z.string().nullable(),
  eventType: z.string().nullable(),
  externalUserid: z.string().nullable(),
  fields: z.record(z.string(), FieldValue).nullable(),
  receivedAt: Timestamp,
});

/** `GET /webhook-sources/:sourceId/deliveries`. */
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery), nextBefore: z.int().nullable() });

/** What a sample payload would produce, recorded nowhere. */
export const WebhookTestResult = z.object({
  ok: z.boolean(),
  problems: z.array(z.looseObject({ path: z.string().optional(), code: z.string().optional(), message: z.string() })),
  wouldRecord: z
    .object({
      externalUserid: z.string(),
      customerExists: z.boolean(),
      factType: z.string(),
      eventType: z.string(),
      target: z.string(),
      fields: z.record(z.string(), FieldValue),
    })
    .nullable(),
});

/** The body of `POST /hooks/:sourceId`, as documented: any JSON the mapping can read (verified as raw bytes, then parsed). */
export const WebhookPayload = z.unknown().meta({ description: "The sender's JSON, signed as raw bytes; at most 256 KiB." });

/** What `POST /hooks/:sourceId` answers when it accepts a delivery. */
export const WebhookAccepted = z.object({ accepted: z.literal(true), deliveryId: z.string(), factType: z.string() });
