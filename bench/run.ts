// `npm run bench` runs every benchmark of DESIGN.md §5 that exists and writes
// bench/results/bench-<time>.json. Environment (see bench/README.md):
//   BENCH_ONLY=p1,p5        only these parts (p1, p2, p2e, p3, p4, p5, p5l, p6, p7, web, webui; default all). P1, P3, P5 and P6 share one seeded corp
//                           (P3 also seeds a 100k-customer corp of its own and runs on both).
//   BENCH_P1_10M=0          skip P1's in-memory 10M-customer index (about 40 s).
//   BENCH_P1_SHAPES=design,or3   only these P1 expression shapes (ids in bench/p1-expressions.ts; default all).
//   BENCH_CUSTOMERS / BENCH_MARKS   size of the seeded corp (default 1,000,000 / 5,000,000), to iterate faster.
//   BENCH_DATABASE_URL      server to create the throwaway database on (else TEST_DATABASE_URL, else local).
import { mkdirSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describeMachine } from './machine.js';
import { benchP1AudienceCount } from './p1-audience-count.js';
import { benchP2Keywords } from './p2-keywords.js';
import { benchP2Messages } from './p2-messages.js';
import { benchP3 } from './p3-batch-undo.js';
import { benchP4 } from './p4-wecom-api.js';
import { benchP5IndexBuild, benchP5Pglite, type SeededCorp, seedP5Corp } from './p5-index-build.js';
import { benchP6Moments } from './p6-moments.js';
import { benchP7Connector } from './p7-connector.js';
import { adminQuery, withScratchDatabase } from './scratch-database.js';
import { benchWebConsole } from './web-console.js';
import { benchWebInteraction } from './web-interaction.js';

// The memory figures need a settled heap, and `npm run bench` starts tsx without --expose-gc:
// V8 still accepts the flag at run time, and a fresh context then hands out gc().
if (typeof globalThis.gc !== 'function') {
  setFlagsFromString('--expose-gc');
  globalThis.gc = runInNewContext('gc') as NodeJS.GCFunction;
}

const parts = ['p1', 'p2', 'p2e', 'p3', 'p4', 'p5', 'p5l', 'p6', 'p7', 'web', 'webui'] as const;
const only = (process.env.BENCH_ONLY ?? parts.join(','))
  .split(',')
  .map((p) => p.trim().toLowerCase())
  .filter(Boolean);
const unknown = only.filter((p) => !(parts as readonly string[]).includes(p));
if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown parts ${unknown.join(', ')}; the parts are ${parts.join(', ')}`);
const runs = (part: (typeof parts)[number]) => only.includes(part);

// Benchmarks run on a PostgreSQL server (DESIGN.md §5): see bench/scratch-database.ts. Each run
// uses a fresh database and drops it afterwards.
await withScratchDatabase('tagloom_bench', async (database, url) => {
  const version = (await adminQuery('show server_version')).rows[0].server_version as string;
  const results: Record<string, unknown> = { at: new Date().toISOString(), parts: only, machine: describeMachine({ postgres: version }) };
  const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  if (runs('web')) {
    log("web: the console's first-load budget");
    results.web = await benchWebConsole();
  }
  if (runs('webui')) {
    log('webui: the console in Chromium (live count, 5,000-row list) on the demo corp');
    results.webui = await benchWebInteraction();
  }
  // P2 needs no database: in-memory matching, before the seeding fills the heap.
  if (runs('p2')) {
    log('P2: keyword matching, 5,000 keywords over 100,000 messages');
    results.p2 = benchP2Keywords();
  }
  if (runs('p2e')) {
    log('P2 end to end: 10,000 messages through POST /api/v1/messages with 200 keyword rules');
    results.p2EndToEnd = await benchP2Messages(database.db, url.toString());
  }
  // The connector (issue 16): push to a fake WeCom and callback ingestion, on its own small corp.
  if (runs('p7')) {
    log('P7: WeCom connector: push throughput (1,000 mark_tag a minute honoured, and unthrottled) and callback ingestion');
    results.p7 = await benchP7Connector(database.db, 'postgres');
  }
  // P4 first, on a database the large corp has not yet filled the caches of.
  if (runs('p4')) {
    log('P4: WeCom API throughput');
    const p4 = await benchP4(database.db, url.toString());
    results.p4 = p4;
    results.postgresWriteCeiling = p4.pgbench; // measured by P4 right after its writes
  }
  let corp: SeededCorp | undefined;
  if (runs('p1') || runs('p5') || runs('p6')) {
    const size = { customers: Number(process.env.BENCH_CUSTOMERS ?? 1_000_000), marks: Number(process.env.BENCH_MARKS ?? 5_000_000) };
    log(`seeding ${size.customers} customers / ${size.marks} marks`);
    corp = await seedP5Corp(database.db, size);
    results.seededCorp = corp;
  }
  if (runs('p5') && corp) {
    log('P5: index build, its snapshot (write, load + tail), and server start-up to /readyz cold and from the snapshot');
    results.p5 = await benchP5IndexBuild(database.db, corp, { serverEnv: { DATABASE_URL: url }, tenMillion: process.env.BENCH_P1_10M !== '0' }).catch(
      (error: Error) => {
        process.exitCode = 1;
        log(error.message);
        return { failed: error.message };
      },
    );
  }
  if (runs('p5l')) {
    const size = { customers: Number(process.env.BENCH_CUSTOMERS ?? 1_000_000), marks: Number(process.env.BENCH_MARKS ?? 5_000_000) };
    log('P5 on PGlite: the same corp in a PGlite folder, its snapshot as a file, and server start-up to /readyz cold and from it');
    // A failed part is recorded and the run goes on: the other parts' figures are kept.
    results.p5Pglite = await benchP5Pglite(size).catch((error: Error) => {
      process.exitCode = 1;
      log(error.message);
      return { failed: error.message };
    });
  }
  if (runs('p1') && corp) {
    log('P1: audience counts');
    const shapes = process.env.BENCH_P1_SHAPES?.split(',').map((s) => s.trim());
    // A failed check (the index and PostgreSQL disagree) reports no P1 figures but keeps the other parts'.
    results.p1 = await benchP1AudienceCount(database.db, { corp, shapes, tenMillion: process.env.BENCH_P1_10M !== '0' }).catch((error: Error) => {
      process.exitCode = 1;
      log(error.message);
      return { failed: error.message };
    });
  }
  // P6 after P1: it adds Moments state (suppressions, deliveries, chats) to the shared corp.
  if (runs('p6') && corp) {
    log('P6: Moments audience (include − exclude − suppressed − over cap − no sender)');
    results.p6 = await benchP6Moments(database.db, { corp }).catch((error: Error) => {
      process.exitCode = 1;
      log(error.message);
      return { failed: error.message };
    });
  }
  // P3 last: its batch and undo write marks to the shared corp (undo puts the count back).
  if (runs('p3')) {
    log('P3: batch tag 100,000 customers through the API, then undo');
    results.p3 = await benchP3(database.db, url.toString(), corp);
  }
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/bench-${(results.at as string).replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nWritten to ${file}\n`);
});
