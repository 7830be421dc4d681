import { count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openDatabase } from './db/client.js';
import { corps, customers } from './db/schema/index.js';
import { readEnv } from './env.js';
import { ensureDemoCorp } from './server.js';
import { scratchPostgres } from './test/db.js';

// Several processes started together on one empty PostgreSQL database (docs/deploy.md) must all
// come up, and the demo corp must be seeded once. PGlite is one process per folder, so this is a
// PostgreSQL-only case.
it.runIf(Boolean(process.env.TEST_DATABASE_URL))('two processes starting on one empty database seed the demo corp once and both start', async () => {
  const scratch = await scratchPostgres();
  const first = await openDatabase({ url: scratch.url, poolSize: 3 });
  const second = await openDatabase({ url: scratch.url, poolSize: 3 });
  try {
    const env = readEnv({ TAGLOOM_DEMO_SECRET: 'demo-secret-for-tests' });
    const lines: string[] = [];
    await Promise.all([ensureDemoCorp(first, env, (l) => lines.push(l)), ensureDemoCorp(second, env, (l) => lines.push(l))]);
    expect(await first.db.select().from(corps)).toHaveLength(1);
    const [{ n }] = (await first.db.select({ n: count() }).from(customers).where(eq(customers.corpId, 'ww-demo'))) as [{ n: number }];
    expect(n).toBe(5000);
    expect(lines.filter((l) => l.startsWith('Demo corp ready'))).toHaveLength(1);
  } finally {
    await first.close();
    await second.close();
    await scratch.drop();
  }
});
