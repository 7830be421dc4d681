import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/**
 * One row per chat message received (`POST /messages`), keyed by the archive's idempotency key, so
 * a message sent again is matched once and answered with the first time's keywords. The message
 * text is deliberately not stored: only who, when, and the keywords it contained.
 */
export const messageReceipts = pgTable(
  'message_receipts',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key').notNull(),
    userid: text('userid').notNull(),
    externalUserid: text('external_userid').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    keywords: text('keywords').array().notNull().default([]),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.idempotencyKey] }),
    // Who last chatted with a customer: the sender a Moments post goes out through.
    index('message_receipts_pair_idx').on(t.corpId, t.externalUserid, t.userid, t.sentAt),
  ],
);
