import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';

// Failed logins are recorded whoever sends them (that is the rate limiter working), so a refused
// login changes this table by design. Durable event consumers store their cursors on their own
// timer (src/events/consumer.ts), whatever requests do.
const writtenByDesign = new Set(['login_failures', 'event_consumers']);

/**
 * A fingerprint of the whole database: an md5 of every table's rows, read from the catalog so a
 * table added later is covered too. Equal fingerprints before and after a refused request prove
 * it wrote nothing anywhere (the audit log included).
 */
export async function databaseFingerprint(db: Db): Promise<Record<string, string>> {
  const tables = (await queryRows<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`))
    .map((t) => t.name)
    .filter((t) => !writtenByDesign.has(t));
  const columns = tables.map(
    (t) => sql`(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${sql.identifier(t)} x) as ${sql.identifier(t)}`,
  );
  const [row] = await queryRows<Record<string, string>>(db, sql`select ${sql.join(columns, sql`, `)}`);
  return row ?? {};
}
