import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { type PgDatabase, PgDialect, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { DataDirLock } from './data-dir-lock.js';
import { DatabaseHealth } from './health.js';
import { keepRecoveryShort } from './pglite-checkpoints.js';
import { ReleasingPool } from './releasing-pool.js';
import * as schema from './schema/index.js';

/** The Drizzle schema object: every table, for typed queries. */
export type Schema = typeof schema;
/** A database handle that works the same on PGlite and on a PostgreSQL server. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** An open transaction on either driver. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** An open database with its driver kind and a way to close it. */
export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close: () => Promise<void>;
  /**
   * Calls `onNotify` with each NOTIFY payload on `channel` until the returned function is called.
   * On PostgreSQL a dedicated connection listens and reconnects after a drop (notifications sent
   * while it was down are lost, so listeners keep a slow timer as well).
   */
  listen: (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;
  /** Whether the database is reachable now (`/readyz`), and who to tell when that changes. */
  health: DatabaseHealth;
  /** On a PGlite folder, this process's exclusive lock on it (the server notes its address there). */
  lock: DataDirLock | null;
  /** On PostgreSQL, how many pooled connections exist, sit idle and are waited for (diagnostics). */
  poolStats?: () => { total: number; idle: number; waiting: number };
};

// LISTEN takes an identifier, not a parameter; channels are ours, but never interpolate others.
const channelName = /^[a-z_][a-z0-9_]*$/;

// A request that cannot get a connection fails after this long instead of hanging: the server is
// down or unreachable, or every pooled connection is busy.
const connectTimeoutMs = 5000;

/**
 * LISTEN on a connection of its own. When the server drops it (restart, failover, an administrator
 * terminating backends) it reconnects, retrying with a growing pause (up to 5 s) for as long as the
 * server stays unreachable.
 */
async function listenPg(url: string, channel: string, onNotify: (payload: string) => void, health: DatabaseHealth): Promise<() => Promise<void>> {
  if (!channelName.test(channel)) throw new Error(`bad channel name ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  let pause = 250;
  const connect = async (first: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: connectTimeoutMs });
    let gone = false;
    const lost = (error?: unknown) => {
      if (gone) return;
      gone = true;
      if (error) health.noteFailure(error);
      if (client === c) client = null;
      void c.end().catch(() => {});
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = null;
        void connect(false).catch(() => {}); // a failed try has scheduled the next one
      }, pause);
      retry.unref();
      pause = Math.min(pause * 2, 5000);
    };
    c.on('notification', (n) => onNotify(n.payload ?? ''));
    c.on('error', lost);
    c.on('end', () => lost());
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch (error) {
      if (!first) return lost(error);
      // The first connection: the caller learns at once that the database is unreachable.
      gone = true;
      await c.end().catch(() => {});
      throw error;
    }
    if (stopped) return void (await c.end().catch(() => {}));
    client = c;
    pause = 250;
    health.noteConnected();
  };
  await connect(true);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    retry = null;
    await client?.end().catch(() => {});
    client = null;
  };
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any fixed number: the session-level advisory lock every Tagloom process takes to migrate.
const migrationLockKey = 7_465_201_022;

/**
 * Applies pending migrations under a session-level advisory lock on a connection of its own.
 * Drizzle's migrator takes no lock, so processes starting together on one database (docs/deploy.md)
 * would all apply the same migration; with the lock the first applies it while the others wait,
 * then find nothing left to do. Ending the connection releases the lock, even after a failure.
 */
async function migrateLocked(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => {}); // a drop mid-migration fails the query below, which is reported
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Where and how to open the database; `command` names the opener to whoever finds a PGlite folder taken.
 * `loadDataDir` starts a new PGlite from a `dumpDataDir` tarball instead of an empty cluster (tests
 * clone one migrated template this way); pending migrations are applied after it as usual.
 */
export type OpenOptions = { url?: string; dataDir?: string; poolSize?: number; command?: string; loadDataDir?: Blob };

/** A pool whose connections may drop at any time without taking the process down. */
function openPool(opts: OpenOptions, health: DatabaseHealth): pg.Pool {
  const pool = new ReleasingPool({ connectionString: opts.url, max: opts.poolSize ?? 10, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true });
  // An idle pooled connection that the server drops is discarded by the pool; it still emits
  // 'error', and without a listener node-postgres would crash the process over it.
  pool.on('error', (error) => health.noteFailure(error));
  pool.on('connect', (client) => {
    health.noteConnected();
    // The pool listens only to idle connections; one checked out (a transaction between two
    // statements) that the server drops emits 'error' too. The statement in flight, or the next one,
    // fails with the error, and the pool discards the connection when it comes back.
    client.on('error', (error) => health.noteFailure(error));
  });
  return pool;
}

/**
 * Opens the database: a PostgreSQL server when `url` is given, otherwise embedded PGlite stored in
 * `dataDir` (or in memory when `dataDir` is `memory://`). A PGlite folder is locked for this
 * process first (`DataDirBusyError` when another process has it). Migrations are applied on open.
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const health = new DatabaseHealth(() => pool.query('select 1'));
    const pool = openPool(opts, health);
    const db = drizzlePg(pool, { schema });
    try {
      await migrateLocked(opts.url);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      close: () => pool.end(),
      listen: (channel, onNotify) => listenPg(opts.url!, channel, onNotify, health),
      health,
      lock: null,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    };
  }
  const dataDir = opts.dataDir ?? './data';
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const lock = inMemory ? null : DataDirLock.acquire(dataDir, opts.command ?? 'tagloom');
  let client: PGlite | null = null;
  try {
    client = await PGlite.create(dataDir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder });
    const open = client;
    const listen = async (channel: string, onNotify: (payload: string) => void) => {
      if (!channelName.test(channel)) throw new Error(`bad channel name ${channel}`);
      const unlisten = await open.listen(channel, onNotify);
      return async () => {
        if (!open.closed) await unlisten();
      };
    };
    const checkpoints = inMemory ? null : keepRecoveryShort(open);
    const close = async () => {
      try {
        await checkpoints?.stop();
        if (!open.closed) await open.close();
      } finally {
        lock?.release();
      }
    };
    return { db: db as unknown as Db, kind: 'pglite', close, listen, health: new DatabaseHealth(), lock };
  } catch (error) {
    await client?.close().catch(() => {});
    lock?.release();
    throw error;
  }
}

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{ rows }`; the shared Drizzle type
 * cannot say so, hence this one cast in one place.
 */
export async function queryRows<T = Record<string, unknown>>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const dialect = new PgDialect();

/**
 * Like `queryRows`, but as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call. For the hot paths whose SQL text never changes (only the
 * parameters do); PGlite ignores the name.
 */
export async function preparedRows<T = Record<string, unknown>>(db: Db | Tx, name: string, query: SQL): Promise<T[]> {
  const compiled = dialect.sqlToQuery(query);
  const prepared = db._.session.prepareQuery(compiled, undefined, name, false);
  const result = (await prepared.execute()) as unknown as { rows: T[] };
  return result.rows;
}
