import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import { corps } from './org.js';

/**
 * Behaviour facts: what a customer did (`link.clicked` a product link, `live.attended` a stream,
 * `moment.liked` a post, `message.keyword`…), with the thing it was done to as `target`. Appended
 * by the native API and, later, by webhooks and interactions; `dedup_key` makes retried deliveries
 * harmless. Audience expressions count them in time windows.
 */
export const customerEvents = pgTable(
  'customer_events',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    externalUserid: text('external_userid').notNull(),
    type: text('type').notNull(),
    target: text('target').notNull().default(''),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    dedupKey: text('dedup_key'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.id] }),
    index('customer_events_customer_idx').on(t.corpId, t.externalUserid, t.occurredAt),
    index('customer_events_type_idx').on(t.corpId, t.type, t.target, t.occurredAt),
    uniqueIndex('customer_events_dedup_uq').on(t.corpId, t.dedupKey).where(sql`${t.dedupKey} is not null`),
  ],
);

/**
 * Saved audiences: a named expression (by ids, so renaming a tag keeps it working). One that uses
 * personal tags is private to its owner, since nobody else may filter by them.
 */
export const audiences = pgTable(
  'audiences',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    audienceId: text('audience_id').notNull(),
    name: text('name').notNull(),
    // `nameKey(name)` (src/names): saved audiences are unique by what a person sees.
    nameKey: text('name_key').notNull(),
    description: text('description').notNull().default(''),
    expression: jsonb('expression').$type<Expr>().notNull(),
    ownerUserid: text('owner_userid').notNull(),
    isPrivate: boolean('is_private').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.audienceId] }), uniqueIndex('audiences_name_uq').on(t.corpId, t.nameKey)],
);
