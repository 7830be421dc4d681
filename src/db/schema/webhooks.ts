import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/**
 * How a source's payload maps to a behaviour fact: JSON paths (`$.a.b[0].c`, see
 * src/modules/webhooks/mapping/json-path.ts) for the customer, the event type (or a fixed one),
 * an optional target and named fields.
 */
export type WebhookMapping = {
  externalUserid: string;
  eventType: { value: string } | { path: string };
  target?: string;
  fields: Record<string, string>;
};

/**
 * A system (a CRM, a shop) that posts signed webhooks to `POST /hooks/:sourceId`. `source_id` is
 * random and unique across corps: the URL names no corp, so the id alone finds the source.
 */
export const webhookSources = pgTable(
  'webhook_sources',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    sourceId: text('source_id').notNull(),
    name: text('name').notNull(),
    // Kept as is, unlike app secrets (hashed): HMAC verification needs the secret itself, and a hash
    // cannot sign. It is never logged, never in an event, and answered only at creation and rotation.
    secret: text('secret').notNull(),
    mapping: jsonb('mapping').$type<WebhookMapping>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.sourceId] }), uniqueIndex('webhook_sources_source_uq').on(t.sourceId)],
);

/** What became of a delivery: accepted (recorded), or refused with a reason. */
export type WebhookOutcome = 'accepted' | 'refused';

/**
 * Every delivery to a known source, accepted or refused, with the reason: what the console lists
 * when a CRM integration misbehaves. An accepted delivery id is unique per source, which is what
 * refuses a replay (also between two concurrent deliveries of the same id).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    sourceId: text('source_id').notNull(),
    deliveryId: text('delivery_id'),
    outcome: text('outcome', { enum: ['accepted', 'refused'] })
      .$type<WebhookOutcome>()
      .notNull(),
    status: integer('status').notNull(),
    code: text('code'),
    reason: text('reason'),
    eventType: text('event_type'),
    externalUserid: text('external_userid'),
    fields: jsonb('fields').$type<Record<string, unknown>>(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.id] }),
    index('webhook_deliveries_source_idx').on(t.corpId, t.sourceId, t.id),
    uniqueIndex('webhook_deliveries_accepted_uq').on(t.corpId, t.sourceId, t.deliveryId).where(sql`${t.outcome} = 'accepted'`),
  ],
);
