import { bigint, customType, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * Persistent snapshots of the in-memory audience index (src/modules/audiences/snapshot), one per
 * corp, split into parts of a few MB (`part` 0 … `parts` − 1, each row repeating the header). On
 * PostgreSQL in the database rather than a file: several server processes share it and it moves with
 * a backup. A PGlite data folder keeps them as files instead (`tagloom-index-snapshots/`, see
 * snapshot/file-store.ts): bytea through PGlite runs at a few MB/s, and one process owns the folder;
 * in-memory PGlite (tests) uses this table for small ones. `cursor` is the events-tail cursor the
 * body is consistent with (also inside the body, under the checksum); `checksum` is the sha256 of
 * the whole body; `schema_mark` the newest migration when it was taken (a migration may rewrite
 * indexed rows without events, so a snapshot from before it is rebuilt).
 */
export const indexSnapshots = pgTable(
  'index_snapshots',
  {
    corpId: text('corp_id').notNull(),
    part: integer('part').notNull(),
    parts: integer('parts').notNull(),
    format: integer('format').notNull(),
    checksum: text('checksum').notNull(),
    cursor: jsonb('cursor').notNull(),
    schemaMark: bigint('schema_mark', { mode: 'number' }).notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull().defaultNow(),
    body: bytea('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.part] })],
);
