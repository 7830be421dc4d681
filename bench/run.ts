import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { describeMachine } from './machine.js';
import { benchP4 } from './p4-wecom-api.js';
import { pgbenchCeiling } from './pgbench.js';

// Benchmarks run on a PostgreSQL server (DESIGN.md §5): BENCH_DATABASE_URL, else TEST_DATABASE_URL,
// else the local server. Each run uses a fresh database and drops it afterwards.
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const name = `tagloom_bench_${Date.now()}`;
await admin(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ url: url.toString() });
try {
  const version = (await admin('show server_version')).rows[0].server_version as string;
  const results = { at: new Date().toISOString(), machine: describeMachine({ postgres: version }), p4: await benchP4(database.db, url.toString()), postgresWriteCeiling: pgbenchCeiling(url.toString()) };
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/bench-${results.at.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nWritten to ${file}\n`);
} finally {
  await database.close();
  await admin(`drop database if exists ${name} with (force)`);
}
