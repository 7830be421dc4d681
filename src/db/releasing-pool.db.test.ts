import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scratchPostgres } from '../test/db.js';
import { ReleasingPool } from './releasing-pool.js';

// A pooled connection whose backend is terminated just as a transaction starts: Drizzle's BEGIN
// fails outside its try/finally. Before the guard, the client stayed checked out for good (the
// pool one connection smaller, `pool.end()` never resolving: a CI run's teardown hung on it).

const url = process.env.TEST_DATABASE_URL;

describe.runIf(url)('a transaction whose BEGIN fails [postgres]', () => {
  let scratch: Awaited<ReturnType<typeof scratchPostgres>>;
  beforeAll(async () => {
    scratch = await scratchPostgres('tagloom_begin');
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  /** A checked-out client of `pool` whose backend has been terminated (and which has noticed). */
  async function deadClient(pool: pg.Pool): Promise<pg.PoolClient> {
    const client = await pool.connect();
    const errored = new Promise<void>((resolve) => client.on('error', () => resolve()));
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    await errored;
    return client;
  }

  it('gives the connection back: the pool is whole again, the later release is harmless, and the pool closes', async () => {
    const pool = new ReleasingPool({ connectionString: scratch.url, max: 2 });
    pool.on('error', () => {});
    const dead = await deadClient(pool);
    // The pool hands Drizzle the dead connection, as it would in the race.
    const connect = vi.spyOn(pg.Pool.prototype, 'connect').mockImplementationOnce(async () => dead);
    const db = drizzle(pool);
    await expect(db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    connect.mockRestore();
    expect(pool.totalCount).toBe(0);
    expect(() => dead.release()).not.toThrow();
    // The pool still serves, and closes.
    expect((await db.transaction(async (tx) => tx.execute(sql`select 1 as one`))).rows).toEqual([{ one: 1 }]);
    await expect(Promise.race([pool.end().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 5000))])).resolves.toBe('closed');
  });

  it('(node-postgres plain pool, for comparison: the same failure keeps the connection checked out)', async () => {
    const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    pool.on('error', () => {});
    const dead = await deadClient(pool);
    const connect = vi.spyOn(pg.Pool.prototype, 'connect').mockImplementationOnce(async () => dead);
    await expect(drizzle(pool).transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    connect.mockRestore();
    expect(pool.totalCount).toBe(1);
    dead.release(); // what the guard does, so this pool can close
    await pool.end();
  });
});
