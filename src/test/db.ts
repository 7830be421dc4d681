import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Database } from '../db/client.js';

/** The databases every DB test runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const dbKinds: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

if (!process.env.TEST_DATABASE_URL && !process.env.TAGLOOM_QUIET_SKIP) {
  process.env.TAGLOOM_QUIET_SKIP = '1';
  console.warn('TEST_DATABASE_URL is not set: database tests run on PGlite only.');
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Opens a fresh, migrated database of the given kind: in-memory PGlite, or a new database on the
 * PostgreSQL server that is dropped again on close, so test files never see each other's rows.
 */
export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<Database> {
  if (kind === 'pglite') return openDatabase({ dataDir: 'memory://' });
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `tagloom_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const database = await openDatabase({ url: withDatabase(adminUrl, name), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/**
 * Declares a suite once per database kind. The callback gets a getter for the open database
 * (opened before the suite's tests, closed after).
 * @example describeDb('tags', (db) => { it('adds', async () => { await addTags(ctxOf(db()), …) }) })
 */
export function describeDb(name: string, fn: (db: () => Database) => void): void {
  for (const kind of dbKinds) {
    describe(`${name} [${kind}]`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(kind);
      }, 60_000);
      afterAll(async () => {
        await database?.close();
      });
      fn(() => {
        if (!database) throw new Error('The test database is not open yet: use it inside a test or hook.');
        return database;
      });
    });
  }
}
