import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/**
 * A contact way (「联系我」/ 活码), as WeCom's add_contact_way shapes it (wecom-api.md §6.1), plus
 * Tagloom's own campaign window and default tags. A customer whose follow carries the way's `state`
 * came in through it. Deleted ways are kept (`deleted_at`) so the customers they brought in still
 * name them; a live way's non-empty `state` is unique in its corp, so a state names one way.
 */
export const contactWays = pgTable(
  'contact_ways',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    configId: text('config_id').notNull(),
    type: integer('type').notNull(),
    scene: integer('scene').notNull(),
    style: integer('style'),
    remark: text('remark').notNull().default(''),
    skipVerify: boolean('skip_verify').notNull().default(true),
    state: text('state').notNull().default(''),
    userids: text('userids').array().notNull().default([]),
    party: integer('party').array().notNull().default([]),
    isTemp: boolean('is_temp').notNull().default(false),
    expiresIn: integer('expires_in'),
    chatExpiresIn: integer('chat_expires_in'),
    unionid: text('unionid').notNull().default(''),
    conclusions: jsonb('conclusions').$type<Record<string, unknown>>(),
    // What a scanner's phone opens: a Tagloom link until the connector stores WeCom's own URL.
    qrCode: text('qr_code').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    defaultTagIds: text('default_tag_ids').array().notNull().default([]),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.configId] }),
    uniqueIndex('contact_ways_live_state_uq').on(t.corpId, t.state).where(sql`${t.deletedAt} is null and ${t.state} <> ''`),
    // list_contact_way pages live ways by creation time.
    index('contact_ways_created_idx').on(t.corpId, t.createdAt, t.configId).where(sql`${t.deletedAt} is null`),
  ],
);

/** A contact way row as stored. */
export type ContactWayRow = typeof contactWays.$inferSelect;
