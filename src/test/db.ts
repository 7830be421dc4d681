import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { type Database, openDatabase } from '../db/client.js';
import './provided-context.js';

/** The databases every DB test runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const dbKinds: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

if (!process.env.TEST_DATABASE_URL && !process.env.TAGLOOM_QUIET_SKIP) {
  process.env.TAGLOOM_QUIET_SKIP = '1';
  console.warn('TEST_DATABASE_URL is not set: database tests run on PGlite only.');
}

async function adminQuery(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL! });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A new empty database on the test PostgreSQL server (`TEST_DATABASE_URL`), named `label_…`, with
 * its URL and a `drop` that removes it even while connections are open. With `template` it starts
 * as a copy of that database instead of empty.
 */
export async function scratchPostgres(label = 'tagloom_t', template = ''): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${label}_${randomBytes(6).toString('hex')}`;
  await adminQuery(template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

let pgliteTemplate: Blob | undefined;

/**
 * The migrated PGlite that src/test/global-setup.ts dumped for this run, read once per worker
 * (undefined when the run has no global setup: such a database migrates from scratch).
 */
export function migratedPgliteTemplate(): Blob | undefined {
  const path = inject('pgliteTemplate');
  if (!pgliteTemplate && path) pgliteTemplate = new Blob([readFileSync(path)]);
  return pgliteTemplate;
}

/** A new PostgreSQL database for one test: a copy of the run's migrated template when there is one. */
function clonePostgres(label?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  return scratchPostgres(label, inject('postgresTemplate') ?? '');
}

/**
 * Opens a fresh, migrated database of the given kind: in-memory PGlite, or a new database on the
 * PostgreSQL server that is dropped again on close, so test files never see each other's rows.
 * Both start as copies of the run's migrated template (global setup), so no test pays for the
 * migrations; the migrator still runs and finds nothing to do.
 */
export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<Database> {
  if (kind === 'pglite') return openDatabase({ dataDir: 'memory://', loadDataDir: migratedPgliteTemplate() });
  const scratch = await clonePostgres();
  const database = await openDatabase({ url: scratch.url, poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * A database that a child process can open as well: an on-disk PGlite folder (one process at a
 * time: close it before the child starts) or a fresh PostgreSQL database. Tests of crashes, stops
 * and the CLI hand `dataDir` or `url` to the child.
 */
export async function processDatabase(
  kind: 'pglite' | 'postgres',
  label: string,
): Promise<{ dataDir?: string; url?: string; open: () => Promise<Database>; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), `${label}-`));
    return { dataDir, open: () => openDatabase({ dataDir }), drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const scratch = await clonePostgres(label.replace(/\W/g, '_'));
  return { url: scratch.url, open: () => openDatabase({ url: scratch.url, poolSize: 3 }), drop: scratch.drop };
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
