import { bigint, customType, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });
const xid8Array = customType<{ data: string }>({ dataType: () => 'xid8[]' });

/**
 * The durable cursor of each event consumer (src/events/consumer.ts), one row per consumer and corp:
 * per corp because the events table is read per corp (its seq floor and index are per corp) and so
 * that processes can share the corps of one consumer. `settled_below` (the cursor's xmax; `xmax`
 * is a system column name), `pending` and `floor` are a `TailCursor`; `snapshot` with
 * `after_txid`/`after_seq` is set while a snapshot is read over several transactions (a page at a
 * time), so a crash resumes inside it.
 */
export const eventConsumers = pgTable(
  'event_consumers',
  {
    name: text('name').notNull(),
    corpId: text('corp_id').notNull(),
    settledBelow: xid8('settled_below').notNull(),
    pending: xid8Array('pending').notNull(),
    floor: bigint('floor', { mode: 'number' }).notNull().default(0),
    snapshot: text('snapshot'),
    afterTxid: xid8('after_txid'),
    afterSeq: bigint('after_seq', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.name] })],
);
