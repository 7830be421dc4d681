import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { DataDirLock } from './data-dir-lock.js';
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
  /** On a PGlite folder, this process's exclusive lock on it (the server notes its address there). */
  lock: DataDirLock | null;
};

// LISTEN takes an identifier, not a parameter; channels are ours, but never interpolate others.
const channelName = /^[a-z_][a-z0-9_]*$/;

/** LISTEN on a connection of its own, reconnecting with a short pause when the server drops it. */
async function listenPg(url: string, channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
  if (!channelName.test(channel)) throw new Error(`bad channel name ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => onNotify(n.payload ?? ''));
    c.on('error', () => {
      if (client === c) client = null;
      void c.end().catch(() => {});
      if (!stopped) setTimeout(() => void connect().catch(() => {}), 1000).unref();
    });
    await c.connect();
    await c.query(`listen ${channel}`);
    if (stopped) await c.end();
    else client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => {});
    client = null;
  };
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Where and how to open the database; `command` names the opener to whoever finds a PGlite folder taken. */
export type OpenOptions = { url?: string; dataDir?: string; poolSize?: number; command?: string };

/**
 * Opens the database: a PostgreSQL server when `url` is given, otherwise embedded PGlite stored in
 * `dataDir` (or in memory when `dataDir` is `memory://`). A PGlite folder is locked for this
 * process first (`DataDirBusyError` when another process has it). Migrations are applied on open.
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // An idle connection the server drops (restart, failover, admin kill) is discarded by the pool;
    // without a listener node-postgres would crash the process over it.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder });
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end(), listen: (channel, onNotify) => listenPg(opts.url!, channel, onNotify), lock: null };
  }
  const dataDir = opts.dataDir ?? './data';
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const lock = inMemory ? null : DataDirLock.acquire(dataDir, opts.command ?? 'tagloom');
  let client: PGlite | null = null;
  try {
    client = await PGlite.create(dataDir);
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
    const close = async () => {
      try {
        if (!open.closed) await open.close();
      } finally {
        lock?.release();
      }
    };
    return { db: db as unknown as Db, kind: 'pglite', close, listen, lock };
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
