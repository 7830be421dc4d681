import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A `dumpDataDir` tarball of a migrated PGlite, for in-memory test databases to start from. */
    pgliteTemplate: string;
    /** A migrated database on the TEST_DATABASE_URL server to clone per test database ('' without one). */
    postgresTemplate: string;
  }
}

let folder = '';
let postgresTemplate = '';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL! });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Migrates one PGlite and dumps its folder: each test database loads that instead of migrating again. */
async function pgliteTemplate(): Promise<string> {
  folder = mkdtempSync(join(tmpdir(), 'tagloom-template-'));
  const database = await openDatabase({ dataDir: 'memory://' });
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('none');
  await database.close();
  const path = join(folder, 'migrated.tar');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  return path;
}

/**
 * Migrates one database on the PostgreSQL server, closes every connection to it and forbids new
 * ones, so `create database … template` can copy it for each test database (the copy is refused
 * while anyone is connected to the template).
 */
async function postgresTemplateDatabase(): Promise<string> {
  const name = `tagloom_tpl_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 1 });
  await database.close();
  await admin(`alter database ${name} with allow_connections false`);
  return name;
}

/**
 * Vitest's global setup: builds the migrated templates once per run (the migrations themselves
 * are still tested from scratch by src/db/migrate-lock and the PGlite folder tests).
 */
export async function setup(project: TestProject): Promise<void> {
  project.provide('pgliteTemplate', await pgliteTemplate());
  if (process.env.TEST_DATABASE_URL) postgresTemplate = await postgresTemplateDatabase();
  project.provide('postgresTemplate', postgresTemplate);
}

/** Removes the templates again. */
export async function teardown(): Promise<void> {
  if (postgresTemplate) await admin(`drop database if exists ${postgresTemplate} with (force)`);
  if (folder) rmSync(folder, { recursive: true, force: true });
}
