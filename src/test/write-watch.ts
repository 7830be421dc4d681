import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.js';

// Failed logins are recorded whoever sends them (that is the rate limiter working), so a refused
// login changes this table by design. Durable event consumers store their cursors on their own
// timer (src/events/consumer.ts), whatever requests do.
const writtenByDesign = new Set(['login_failures', 'event_consumers']);

/** Tables as one statement saw them: an md5 of each one's rows, and the snapshot it read them under. */
export type Reading = { snapshot: string; tables: Record<string, string> };

/** An md5 of `table`'s rows (those matching `where`), as a column named after the table. */
function md5Column(table: string, where?: SQL): SQL {
  const filter = where ? sql` where ${where}` : sql``;
  return sql`(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${sql.identifier(table)} x${filter}) as ${sql.identifier(table)}`;
}

/** Reads the md5 of each table (rows matching `where`, in which `x` names the row) with the snapshot of that one statement. */
export async function readTables(db: Db, tables: string[], where?: SQL): Promise<Reading> {
  const columns = tables.map((t) => md5Column(t, where));
  const [row] = await queryRows<Record<string, string>>(db, sql`select pg_current_snapshot()::text as "$snapshot", ${sql.join(columns, sql`, `)}`);
  const { $snapshot, ...md5s } = row!;
  return { snapshot: $snapshot!, tables: md5s };
}

/** Every table of the database, from the catalog so a table added later is covered too (bar those written by design). */
export async function readDatabase(db: Db): Promise<Reading> {
  const tables = await queryRows<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
  return readTables(
    db,
    tables.map((t) => t.name).filter((t) => !writtenByDesign.has(t)),
  );
}

async function currentSnapshot(db: Db): Promise<string> {
  const [row] = await queryRows<{ snapshot: string }>(db, sql`select pg_current_snapshot()::text as snapshot`);
  return row!.snapshot;
}

/** What `writeWatch` answers. */
export type WriteWatch = {
  /** A reading of the tables as they are now (the last one again while the snapshot has not moved). */
  before: () => Promise<Reading>;
  /** The tables whose rows differ from `before` (none, without reading a row, when no transaction ended since). */
  changedSince: (before: Reading) => Promise<string[]>;
};

/**
 * Proves cheaply that a request wrote nothing. A row only changes by a transaction that holds a
 * transaction id, and any such transaction that ends between two readings changes the snapshot
 * (`xmax` moves past a newer id; one in progress at the first reading leaves the in-progress list).
 * So an unchanged snapshot proves the tables unchanged; only a moved one (a write anywhere on the
 * server, even in another database) has `read` compare them table by table.
 */
export function writeWatch(db: Db, read: () => Promise<Reading> = () => readDatabase(db)): WriteWatch {
  let last: Reading | undefined;
  return {
    async before() {
      if (!last || last.snapshot !== (await currentSnapshot(db))) last = await read();
      return last;
    },
    async changedSince(before) {
      if ((await currentSnapshot(db)) === before.snapshot) return [];
      const after = await read();
      last = after;
      const tables = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
      return [...tables].filter((t) => after.tables[t] !== before.tables[t]);
    },
  };
}
