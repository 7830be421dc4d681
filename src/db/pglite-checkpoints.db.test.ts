import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepRecoveryShort } from './pglite-checkpoints.js';

// PGlite only: a PostgreSQL server has its own checkpointer process.
describe('checkpoints of an open PGlite database', () => {
  let client: PGlite;
  const pending = async () =>
    Number((await client.query<{ n: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::bigint as n from pg_control_checkpoint()')).rows[0]!.n);
  beforeAll(async () => {
    client = await PGlite.create('memory://');
    await client.exec('create table filler (i int, t text)');
  });
  afterAll(() => client.close());

  it('checkpoints once enough WAL has built up that a killed process’s successor would replay it, and not before', async () => {
    const checkpoints = keepRecoveryShort(client, { everyMs: 3_600_000, walBytes: 4 * 2 ** 20 });
    try {
      await client.exec(`insert into filler select g, 'x' from generate_series(1, 10) g`);
      expect(await checkpoints.runOnce()).toBe(false);
      await client.exec(`insert into filler select g, repeat('x', 200) from generate_series(1, 50000) g`);
      // Without a checkpoint the WAL only grows: single-user PostgreSQL has no checkpointer.
      expect(await pending()).toBeGreaterThan(4 * 2 ** 20);
      expect(await checkpoints.runOnce()).toBe(true);
      expect(await pending()).toBeLessThan(2 ** 20);
    } finally {
      await checkpoints.stop();
    }
  });
});
