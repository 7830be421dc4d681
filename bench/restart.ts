// Restart times on embedded PGlite with the demo corp (5,000 customers), issue 12 §7:
//   npx tsx bench/restart.ts [runs]
// Seeds a fresh data folder with a first `tagloom serve`, then measures `tagloom serve` from spawn
// to "serves" and to /readyz 200 after a clean stop (SIGTERM) and after a kill -9, how long the
// stop takes, and where a start-up spends its time (bench/restart-phases.ts, after each kind of
// stop). Since issue 17 a start loads each corp's audience index snapshot (saved at the clean stop;
// on a PGlite data folder a file in tagloom-index-snapshots/) and tails the events after it; `coldRestart` deletes the snapshots first (a full build), and
// `floorBareServerMs` is a bare Fastify process from spawn to listening, measured in the same run.
// Writes bench/results/restart-<time>.json with the machine's description and load.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { snapshotFolderName } from '../src/modules/audiences/snapshot/file-store.js';
import { describeMachine } from './machine.js';
import { startTimedServer, timeBareServerStart } from './restart-server.js';

const runs = Number(process.argv[2] ?? 5);
const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-restart-'));
const env = {
  ...process.env,
  TAGLOOM_DATA_DIR: dataDir,
  DATABASE_URL: '',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  TAGLOOM_DEMO_SECRET: 'bench-restart-secret',
};
const log = (line: string) => process.stderr.write(`[restart ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** Spawns `tagloom serve` on the data folder and times it to its "serves" line and to the first /readyz 200. */
const serve = () => startTimedServer(env, 20);

/** Deletes the saved index snapshots while no server holds the folder: the next start builds in full. */
async function dropSnapshots(): Promise<void> {
  const client = await PGlite.create(dataDir);
  await client.exec('delete from index_snapshots');
  await client.close();
  // A server on a data folder keeps them as files there (snapshot/file-store.ts).
  rmSync(join(dataDir, snapshotFolderName), { recursive: true, force: true });
}

/** Runs bench/restart-phases.ts on the folder and returns its figures. */
function phases(): Promise<{ at: Record<string, number>; indexBuildMs: number; snapshotLoadMs: number; smartGroupsMs: number; stopMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/restart-phases.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`phases exited ${code}: ${out}`))));
  });
}

try {
  log(`seeding the demo corp in ${dataDir}`);
  const first = await serve();
  const firstStopMs = await first.stop('SIGTERM');
  const clean: { servesMs: number; readyMs: number; stopMs: number }[] = [];
  const afterKill: { servesMs: number; readyMs: number }[] = [];
  const cold: { servesMs: number; readyMs: number }[] = [];
  const floorBareServerMs: number[] = [];
  const phasesClean = [];
  const phasesAfterKill = [];
  for (let i = 0; i < runs; i++) {
    log(`run ${i + 1}/${runs}`);
    const s = await serve();
    clean.push({ servesMs: s.servesMs, readyMs: s.readyMs, stopMs: await s.stop('SIGTERM') });
    phasesClean.push(await phases());
    await (await serve()).stop('SIGKILL');
    const k = await serve();
    afterKill.push({ servesMs: k.servesMs, readyMs: k.readyMs });
    await k.stop('SIGKILL');
    phasesAfterKill.push(await phases());
    await dropSnapshots();
    const c = await serve();
    cold.push({ servesMs: c.servesMs, readyMs: c.readyMs });
    await c.stop('SIGTERM');
    floorBareServerMs.push(await timeBareServerStart());
  }
  const summary = (rows: Record<string, number>[]) => Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, Math.round(median(rows.map((r) => r[k]!)))]));
  const phaseSummary = (rows: Awaited<ReturnType<typeof phases>>[]) => ({
    endsAtMs: summary(rows.map((r) => r.at)),
    indexBuildMs: median(rows.map((r) => r.indexBuildMs)),
    snapshotLoadMs: median(rows.map((r) => r.snapshotLoadMs)),
    smartGroupsMs: median(rows.map((r) => r.smartGroupsMs)),
    stopMs: median(rows.map((r) => r.stopMs)),
  });
  const results = {
    at: new Date().toISOString(),
    machine: describeMachine({ loadAverage: loadavg().map((l) => Math.round(l * 10) / 10) }),
    runs,
    firstStart: { servesMs: Math.round(first.servesMs), readyMs: Math.round(first.readyMs), stopMs: Math.round(firstStopMs) },
    cleanRestart: summary(clean),
    afterKill9: summary(afterKill),
    coldRestart: summary(cold),
    floorBareServerMs: median(floorBareServerMs),
    phasesAfterCleanStop: phaseSummary(phasesClean),
    phasesAfterKill9: phaseSummary(phasesAfterKill),
    raw: { clean, afterKill, cold, floorBareServerMs, phasesClean, phasesAfterKill },
  };
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/restart-${results.at.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ ...results, raw: undefined }, null, 2)}\nWritten to ${file}\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
