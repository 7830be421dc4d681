import { writeFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '../db/client.js';

/**
 * Writes an open PGlite database's folder to `path` as a `dumpDataDir` tarball, for other
 * databases to start from (`loadDataDir`): the run's migrated template and the browser files' demo.
 */
export async function dumpPglite(database: Database, path: string): Promise<void> {
  const dump = await (database.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
}
