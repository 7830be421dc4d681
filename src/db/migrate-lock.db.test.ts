import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { scratchPostgres } from '../test/db.js';
import { openDatabase, queryRows } from './client.js';

// Several server processes started at once on one new (or just upgraded) PostgreSQL database all
// migrate it at start. PGlite is one process per data folder (its own lock), so this is PostgreSQL only.
describe.skipIf(!process.env.TEST_DATABASE_URL)('migrations, three processes starting at once on one PostgreSQL [postgres]', () => {
  it('are applied once: every opener succeeds and the journal lists each migration once', async () => {
    const scratch = await scratchPostgres('tagloom_migrate');
    try {
      const opened = await Promise.all([0, 1, 2].map(() => openDatabase({ url: scratch.url, poolSize: 2 })));
      try {
        const rows = await queryRows<{ hash: string; n: number }>(
          opened[0]!.db,
          sql`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`,
        );
        expect(rows.length).toBeGreaterThanOrEqual(23);
        expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      } finally {
        await Promise.all(opened.map((d) => d.close()));
      }
    } finally {
      await scratch.drop();
    }
  }, 120_000);
});
