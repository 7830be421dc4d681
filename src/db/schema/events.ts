import { sql } from 'drizzle-orm';
import { bigserial, customType, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });

/**
 * The audit log and the outbox. Every command appends a row in its own transaction. `txid` lets a
 * consumer read only below the oldest in-flight transaction, so rows that commit out of `seq`
 * order are never skipped.
 */
export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    corpId: text('corp_id').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    source: text('source').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    payload: jsonb('payload'),
    reason: text('reason'),
    operationId: text('operation_id'),
    requestId: text('request_id'),
    txid: xid8('txid').notNull().default(sql`pg_current_xact_id()`),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Led by corp_id like every key (Citus shards by corp); seq alone stays unique through its sequence.
    primaryKey({ columns: [t.corpId, t.seq] }),
    index('events_subject_idx').on(t.corpId, t.subjectType, t.subjectId),
    // The audit log's filters (src/modules/audit): by actor, by type, by customer (a follow subject
    // is `userid|external_userid`), by operation, and by ids named in the payload (tag ids added or
    // removed, external_userids). jsonb_path_ops keeps the GIN index small; it serves only `@>`.
    index('events_actor_idx').on(t.corpId, t.actor, t.seq),
    index('events_type_idx').on(t.corpId, t.type, t.seq),
    index('events_follow_customer_idx').on(t.corpId, sql`split_part(${t.subjectId}, '|', 2)`, t.seq).where(sql`${t.subjectType} = 'follow'`),
    index('events_operation_idx').on(t.corpId, t.operationId).where(sql`${t.operationId} is not null`),
    index('events_payload_idx').using('gin', t.payload.op('jsonb_path_ops')),
  ],
);
