// A child process for bench/restart.ts: starts the server the way `tagloom serve` does, on the
// PGlite folder TAGLOOM_DATA_DIR, and prints one JSON line saying when (ms since the process
// started) each phase of the start-up ended, then stops gracefully.

import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { buildApp } from '../src/app.js';
import type { Database, Db } from '../src/db/client.js';
import { DataDirLock } from '../src/db/data-dir-lock.js';
import { DatabaseHealth } from '../src/db/health.js';
import * as schema from '../src/db/schema/index.js';
import { readEnv } from '../src/env.js';
import { buildCorpIndex } from '../src/modules/audiences/index/corp-index.js';
import { snapshotFolderOf } from '../src/modules/audiences/snapshot/file-store.js';
import { restoreCorpIndex } from '../src/modules/audiences/snapshot/restore.js';
import { maintainSmartGroups } from '../src/modules/smart-groups/maintain.js';
import { ensureDemoCorp } from '../src/server.js';

const at: Record<string, number> = { modulesLoaded: performance.now() };
const mark = (phase: string) => void (at[phase] = Math.round(performance.now()));
const env = readEnv();
const lock = DataDirLock.acquire(env.TAGLOOM_DATA_DIR, 'bench restart');
mark('lock');
const client = await PGlite.create(env.TAGLOOM_DATA_DIR);
mark('pgliteOpen');
const db = drizzle(client, { schema }) as unknown as Db;
await migrate(db as never, { migrationsFolder: fileURLToPath(new URL('../src/db/migrations', import.meta.url)) });
mark('migrations');
const listen: Database['listen'] = async (channel, onNotify) => {
  const unlisten = await client.listen(channel, onNotify);
  return async () => unlisten();
};
await ensureDemoCorp({ db, kind: 'pglite', close: async () => {}, listen, health: new DatabaseHealth(), lock }, env, () => {});
mark('demoCheck');
// As `tagloom serve` does: the snapshots are files in the data folder.
const snapshotDir = snapshotFolderOf(lock.dir) ?? undefined;
const app = await buildApp({ db, listen, warmAudiences: true, dbKind: 'pglite', snapshotDir });
mark('appBuilt');
await app.listen({ port: 0, host: '127.0.0.1' });
mark('listening');
while (app.audiences.warming > 0) await new Promise((r) => setTimeout(r, 5));
mark('ready');
// The warm-up's two parts, timed again one after the other on the warm process.
let t = performance.now();
const index = await buildCorpIndex(db, 'ww-demo');
const indexBuildMs = Math.round(performance.now() - t);
t = performance.now();
const restored = await restoreCorpIndex(db, 'ww-demo', { dir: snapshotDir });
const snapshotLoadMs = Math.round(performance.now() - t);
if (restored.path !== 'snapshot') throw new Error(`the demo corp's index started from the ${restored.path} path, not its snapshot`);
t = performance.now();
await maintainSmartGroups(db, 'ww-demo', index);
const smartGroupsMs = Math.round(performance.now() - t);
t = performance.now();
await app.close();
await client.close();
lock.release();
const stopMs = Math.round(performance.now() - t);
process.stdout.write(`${JSON.stringify({ at, indexBuildMs, snapshotLoadMs, smartGroupsMs, stopMs })}\n`);
