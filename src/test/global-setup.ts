import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/client.js';
import { dumpPglite } from './pglite-dump.js';
import './provided-context.js';

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
  const folder = mkdtempSync(join(tmpdir(), 'tagloom-template-'));
  const database = await openDatabase({ dataDir: 'memory://' });
  const path = join(folder, 'migrated.tar');
  await dumpPglite(database, path);
  await database.close();
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

type Templates = { pgliteTemplate: string; postgresTemplate: string };
type Shared = { templates?: Promise<Templates>; users: number };
// Each vitest project runs the global setup; the projects share one set of templates per run.
const shared: Shared = ((globalThis as { tagloomTestTemplates?: Shared }).tagloomTestTemplates ??= { users: 0 });

async function makeTemplates(): Promise<Templates> {
  const [pglite, postgres] = await Promise.all([pgliteTemplate(), process.env.TEST_DATABASE_URL ? postgresTemplateDatabase() : '']);
  return { pgliteTemplate: pglite, postgresTemplate: postgres };
}

/**
 * Vitest's global setup: builds the migrated templates once per run (the migrations themselves
 * are still tested from scratch by src/db/migrate-lock and the PGlite folder tests).
 */
export async function setup(project: TestProject): Promise<void> {
  shared.users += 1;
  shared.templates ??= makeTemplates();
  const templates = await shared.templates;
  project.provide('pgliteTemplate', templates.pgliteTemplate);
  project.provide('postgresTemplate', templates.postgresTemplate);
  project.provide('testRunDir', dirname(templates.pgliteTemplate));
}

/** Removes the templates again after the last project is done. */
export async function teardown(): Promise<void> {
  shared.users -= 1;
  if (shared.users > 0 || !shared.templates) return;
  const made = await shared.templates;
  shared.templates = undefined;
  if (made.postgresTemplate) await admin(`drop database if exists ${made.postgresTemplate} with (force)`);
  rmSync(dirname(made.pgliteTemplate), { recursive: true, force: true });
}
