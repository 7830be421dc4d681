import pg from 'pg';
import { type Database, openDatabase } from '../src/db/client.js';

/** The PostgreSQL server benchmarks run on: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server. */
export const benchServerUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the server's admin database (create / drop database, `show …`). */
export async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: benchServerUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` on a fresh, migrated database named `<prefix>_<time>` on the bench server, dropped
 * afterwards whatever happens, so runs never see each other's rows.
 */
export async function withScratchDatabase<T>(prefix: string, fn: (database: Database, url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${Date.now()}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(benchServerUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  try {
    return await fn(database, url.toString());
  } finally {
    await database.close();
    await adminQuery(`drop database if exists ${name} with (force)`);
  }
}
