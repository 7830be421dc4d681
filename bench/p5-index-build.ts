import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import roaring from 'roaring';
import { systemContext } from '../src/context.js';
import { type Db, openDatabase, queryRows } from '../src/db/client.js';
import type { Bitmap } from '../src/modules/audiences/index/bitmaps.js';
import { buildCorpIndex, type CorpIndex, facetNames } from '../src/modules/audiences/index/corp-index.js';
import { EventTail } from '../src/modules/audiences/index/tail.js';
import { captureIndex, decodeIndex, snapshotFormat } from '../src/modules/audiences/snapshot/codec.js';
import { snapshotFile, snapshotFolderOf, snapshotStoreFor } from '../src/modules/audiences/snapshot/file-store.js';
import { restoreCorpIndex } from '../src/modules/audiences/snapshot/restore.js';
import { sha256 } from '../src/modules/audiences/snapshot/store.js';
import { markTags } from '../src/modules/customers/commands/mark-tags.js';
import { createCorp } from '../src/modules/org/commands/create-corp.js';
import { buildSyntheticIndex } from './p1-synthetic-index.js';
import { type ServerStart, timeBareServerStart, timeServerStart } from './restart-server.js';
import { withScratchDatabase } from './scratch-database.js';

/** The size of the synthetic corp: customers, marks, tags (Zipf-sized) and employees. */
export type P5Options = { customers: number; marks: number; tags?: number; employees?: number; corpId?: string };

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * The benchmark fixture. It writes rows with bulk SQL (generate_series) and deliberately bypasses
 * the commands (no events, no checks): going through them would take far longer than the thing
 * measured, and no product code may write this way. Tag sizes follow a Zipf-like curve (tag k
 * gets about 1/(k+1) of the marks); every customer has one follower, a fifth have two.
 */
async function seed(db: Db, o: Required<P5Options>): Promise<{ marks: number }> {
  const c = o.corpId;
  await createCorp(db, { corpId: c, name: '索引压测企业' });
  await db.execute(sql`insert into departments (corp_id, dept_id, name, parent_id, region)
    select ${c}, d, '部门' || d, case when d = 1 then 0 else 1 + (d % 4) end, (array['华东', '华北', '华南', null])[1 + d % 4]
    from generate_series(1, 40) d`);
  await db.execute(sql`insert into employees (corp_id, userid, name, department_ids)
    select ${c}, 'e' || i, '员工' || i, array[1 + i % 40] from generate_series(0, ${o.employees - 1}) i`);
  await db.execute(
    sql`insert into tag_groups (corp_id, group_id, name, name_key) select ${c}, 'g' || g, '组' || g, '组' || g from generate_series(0, ${Math.ceil(o.tags / 20) - 1}) g`,
  );
  await db.execute(
    sql`insert into tags (corp_id, tag_id, group_id, name, name_key) select ${c}, 't' || t, 'g' || (t / 20), '标签' || t, '标签' || t from generate_series(0, ${o.tags - 1}) t`,
  );
  await db.execute(sql`insert into customers (corp_id, external_userid, seq, name, gender, province, city, attributes, created_at)
    select ${c}, 'wm' || i, i, '客户' || i, i % 3, (array['上海', '北京', '广东', '浙江', ''])[1 + i % 5], (array['上海', '北京', '广州', '杭州', '深圳', ''])[1 + i % 6],
      case when i % 10 = 0 then '{"region": "华中"}'::jsonb else '{}'::jsonb end, timestamptz '2025-01-01' + i * interval '17 seconds'
    from generate_series(1, ${o.customers}) i`);
  await db.execute(sql`insert into follows (corp_id, userid, external_userid, add_time, add_way, state)
    select ${c}, 'e' || (i % ${o.employees}), 'wm' || i, timestamptz '2025-01-01' + i * interval '19 seconds', i % 10, case when i % 7 = 0 then 'qr-' || (i % 50) else '' end
    from generate_series(1, ${o.customers}) i
    union all
    select ${c}, 'e' || ((i * 7 + 1) % ${o.employees}), 'wm' || i, timestamptz '2025-02-01' + i * interval '13 seconds', 1, ''
    from generate_series(1, ${o.customers}) i where i % 5 = 0 and (i * 7 + 1) % ${o.employees} <> i % ${o.employees}`);
  // Random (customer, tag) pairs collide on the popular tags; top up until the target is reached.
  let marks = 0;
  for (let round = 0; round < 10 && marks < o.marks; round += 1) {
    await db.execute(sql`insert into marks (corp_id, external_userid, userid, tag_id, source, created_by)
      select ${c}, 'wm' || cu, 'e' || (cu % ${o.employees}), 't' || least(${o.tags - 1}, floor(exp(random() * ln(${o.tags + 1}))) - 1), 'import', 'bench'
      from (select 1 + floor(random() * ${o.customers})::int as cu from generate_series(1, ${o.marks - marks})) r
      on conflict do nothing`);
    const [row] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from marks where corp_id = ${c}`);
    marks = Number(row!.n);
  }
  // As autovacuum would leave a settled table: statistics, and the visibility map that lets the
  // build read marks from the primary key alone.
  for (const table of ['customers', 'follows', 'marks']) await db.execute(sql.raw(`vacuum analyze ${table}`));
  return { marks };
}

/** A corp the fixture has written: its size as asked, the marks actually stored, and how long seeding took. */
export type SeededCorp = Required<P5Options> & { seededMarks: number; seedMs: number };

/**
 * Writes the synthetic corp once, so that P5 (build) and P1 (audience counts) of one run measure
 * the same data without paying for the seed twice.
 */
export async function seedP5Corp(db: Db, opts: P5Options): Promise<SeededCorp> {
  const o = { tags: 2000, employees: 200, corpId: 'ww-bench-p5', ...opts };
  const started = performance.now();
  const { marks } = await seed(db, o);
  return { ...o, seededMarks: marks, seedMs: Math.round(performance.now() - started) };
}

/**
 * P5 (DESIGN.md §5): time and memory to build one corp's audience index from the database.
 * Seeds a synthetic corp of the given size (unless given one `seedP5Corp` already wrote), builds
 * the index and reports the build time, the process's RSS and heap before and after, and the
 * bitmaps' own size. Run node with `--expose-gc` for the settled figures to mean what they say.
 */
export async function benchP5IndexBuild(db: Db, corp: P5Options | SeededCorp, opts: P5SnapshotOptions = {}) {
  const o = 'seedMs' in corp ? corp : await seedP5Corp(db, corp);
  const { seededMarks: marks, seedMs } = o;
  globalThis.gc?.();
  const before = process.memoryUsage();
  const index = await buildCorpIndex(db, o.corpId);
  const afterBuild = process.memoryUsage();
  globalThis.gc?.();
  const settled = process.memoryUsage();
  return {
    customers: index.stats.customers,
    marks,
    tags: index.stats.tags,
    seedMs,
    buildMs: Math.round(index.stats.ms),
    pages: index.stats.pages,
    bitmapMB: mb(index.stats.bitmapBytes),
    roaringMB: mb(roaring.RoaringBitmap32.getRoaringUsedMemory()),
    rssMB: { before: mb(before.rss), afterBuild: mb(afterBuild.rss), settled: mb(settled.rss) },
    heapUsedMB: { before: mb(before.heapUsed), afterBuild: mb(afterBuild.heapUsed), settled: mb(settled.heapUsed) },
    // Typed arrays (the time columns) live outside the JS heap.
    arrayBuffersMB: { before: mb(before.arrayBuffers), settled: mb(settled.arrayBuffers) },
    gcExposed: typeof globalThis.gc === 'function',
    // Keeps the index reachable until the memory has been read.
    holds: index.universe.size > 0,
    snapshot: await benchSnapshot(db, o.corpId, index),
    ...(opts.serverEnv ? { serverStart: await benchServerStart(db, o.corpId, opts.serverEnv) } : {}),
    ...(opts.tenMillion ? { snapshotInMemory10M: benchSnapshotInMemory(o) } : {}),
  };
}

/** What else P5 measures: server start-up to /readyz (env naming the database for `tagloom serve`) and the 10M in-memory snapshot. */
export type P5SnapshotOptions = { serverEnv?: Record<string, string>; tenMillion?: boolean };

// Single mark_tag commands after the snapshot: the events a restart tails.
const changesAfterSnapshot = 300;

const ms = (since: number) => Math.round(performance.now() - since);

/** Every bitmap's size by name: two indexes that agree on all of them agree for P1's purposes. */
function counts(index: CorpIndex): Map<string, number> {
  const out = new Map<string, number>([['universe', index.universe.size]]);
  const add = (prefix: string, map: Map<string, Bitmap>) => {
    for (const [k, b] of map) if (b.size > 0) out.set(`${prefix}:${k}`, b.size);
  };
  add('tag', index.tags);
  add('personal', index.personalTags);
  for (const f of facetNames) add(f, index.facets[f]);
  for (const [name, values] of index.attributes) add(`attr:${name}`, values);
  out.set('createdAt', index.createdAt.range().size);
  out.set('addTime', index.addTime.range().size);
  return out;
}

function assertSame(got: CorpIndex, want: CorpIndex, what: string): void {
  const a = counts(got);
  const b = counts(want);
  const differ = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
  if (differ.length > 0) throw new Error(`P5 ${what}: the index disagrees with a fresh build on ${differ.slice(0, 5).join(', ')}`);
}

/**
 * The snapshot of the built index: capture (synchronous, the only part on the event loop's
 * critical path), write, then a start from it: load (read + checksum + decode) and tail the
 * events of `changesAfterSnapshot` mark_tag commands, checked against a fresh build. The floor is
 * reading the snapshot's bytes alone (one query, no checksum, no decode).
 */
async function benchSnapshot(db: Db, corpId: string, built: CorpIndex, dir?: string) {
  const store = snapshotStoreFor(db, dir);
  await store.remove(corpId);
  let t = performance.now();
  const captured = captureIndex(built);
  const captureMs = ms(t);
  t = performance.now();
  const written = await store.write(captured, snapshotFormat);
  const writeMs = ms(t);
  t = performance.now();
  // The floor: the bytes alone, as one query of the table or one read of the file (its body is the tail).
  const rows = dir
    ? [{ body: readFileSync(snapshotFile(dir, corpId)).subarray(-written.bytes) }]
    : await queryRows<{ body: Uint8Array }>(db, sql`select body from index_snapshots where corp_id = ${corpId} order by part`);
  const readBytesMs = ms(t);
  const readBytes = rows.reduce((n, r) => n + r.body.byteLength, 0);
  if (readBytes !== written.bytes) throw new Error(`P5 snapshot: wrote ${written.bytes} bytes, read back ${readBytes}`);
  t = performance.now();
  const body = Buffer.concat(rows.map((r) => r.body));
  if ((await sha256(body)) !== written.checksum) throw new Error('P5 snapshot: checksum differs');
  const hashMs = ms(t);
  t = performance.now();
  decodeIndex(body, corpId);
  const decodeMs = ms(t);

  const lastSeq = async () =>
    Number((await queryRows<{ seq: number | string | null }>(db, sql`select max(seq) as seq from events where corp_id = ${corpId}`))[0]?.seq ?? 0);
  const before = await lastSeq();
  const ctx = systemContext(db, corpId, 'bench');
  const [customers] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from customers where corp_id = ${corpId}`);
  const n = Number(customers!.n);
  for (let i = 0; i < changesAfterSnapshot; i += 1) {
    const c = 1 + Math.floor((i * 7919) % n);
    const [follow] = await queryRows<{ userid: string }>(
      db,
      sql`select userid from follows where corp_id = ${corpId} and external_userid = ${`wm${c}`} limit 1`,
    );
    await markTags(ctx, { userid: follow!.userid, externalUserid: `wm${c}`, add: [`t${i % 50}`] });
  }
  const [recorded] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from events where corp_id = ${corpId} and seq > ${before}`);
  const expected = Number(recorded!.n);
  t = performance.now();
  const restored = await restoreCorpIndex(db, corpId, { dir });
  const loadMs = ms(t);
  if (restored.path !== 'snapshot') throw new Error(`P5 snapshot: the start took the ${restored.path} path, not the snapshot`);
  t = performance.now();
  const tailed = await new EventTail(db, restored.index).poll();
  const tailMs = ms(t);
  if (tailed !== expected || expected === 0) throw new Error(`P5 snapshot: tailed ${tailed} events, ${expected} were recorded after the snapshot`);
  t = performance.now();
  const fresh = await buildCorpIndex(db, corpId);
  const freshBuildMs = ms(t);
  assertSame(restored.index, fresh, 'snapshot + tail');
  return {
    store: dir ? 'file' : 'table',
    bytesMB: mb(written.bytes),
    parts: written.parts,
    captureMs,
    writeMs,
    floorReadBytesMs: readBytesMs,
    hashMs,
    decodeMs,
    loadMs,
    tailEvents: tailed,
    tailMs,
    loadPlusTailMs: loadMs + tailMs,
    fullBuildMs: freshBuildMs,
    fullBuildOverSnapshot: Math.round((freshBuildMs / Math.max(1, loadMs + tailMs)) * 10) / 10,
    loadOverFloor: Math.round((loadMs / Math.max(1, readBytesMs)) * 10) / 10,
  };
}

/**
 * `tagloom serve` to /readyz with the corp in the database: cold (its snapshot deleted: a full
 * build) and then from the snapshot the cold start saved, each after a graceful stop, with the
 * floor of a bare Fastify process measured in the same run.
 */
async function benchServerStart(db: Db, corpId: string, env: Record<string, string>) {
  const floorBareServerMs = await timeBareServerStart();
  await db.execute(sql`delete from index_snapshots`);
  const cold: ServerStart = await timeServerStart(env);
  const [saved] = await queryRows<{ n: number | string }>(db, sql`select count(*) as n from index_snapshots where corp_id = ${corpId}`);
  if (Number(saved!.n) === 0) throw new Error('P5 server start: the server saved no snapshot');
  const fromSnapshot: ServerStart = await timeServerStart(env);
  return { floorBareServerMs, cold, fromSnapshot };
}

/**
 * The 10M-customer index built in memory (bench/p1-synthetic-index.ts, no PostgreSQL): capture,
 * concatenate + hash, and decode, i.e. a start from a snapshot minus reading the bytes, whose
 * PostgreSQL cost the 1M figures give per MB.
 */
export function benchSnapshotInMemory(corp: SeededCorp, customers = 10_000_000) {
  const scale = customers / corp.customers;
  const built = buildSyntheticIndex({
    customers,
    marks: Math.round(corp.marks * scale),
    tags: corp.tags,
    employees: corp.employees,
    seed: 5,
    timeScaleOf: corp.customers,
  });
  let t = performance.now();
  const captured = captureIndex(built.index);
  const captureMs = ms(t);
  t = performance.now();
  const body = Buffer.concat(captured.parts);
  const concatMs = ms(t);
  t = performance.now();
  const decoded = decodeIndex(body, built.index.corpId);
  const decodeMs = ms(t);
  assertSame(decoded, built.index, '10M in memory');
  return {
    customers: built.index.stats.customers,
    marks: built.marks,
    buildMs: Math.round(built.ms),
    bytesMB: mb(body.byteLength),
    captureMs,
    concatMs,
    decodeMs,
  };
}

/**
 * P5 on embedded PGlite with a data folder, as `tagloom serve` runs without DATABASE_URL: the same
 * synthetic corp seeded into a fresh temporary folder, its index built, its snapshot written as a
 * file (snapshot/file-store.ts) and loaded + tailed (checked against a fresh build), then
 * `tagloom serve` on the folder to /readyz cold (no snapshot: a full build) and from the file the
 * cold start saved, with the bare-server floor. The folder is deleted afterwards.
 */
export async function benchP5Pglite(size: P5Options) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tagloom-p5-pglite-'));
  try {
    const database = await openDatabase({ dataDir, command: 'bench p5 pglite' });
    let corp: SeededCorp;
    let build: { buildMs: number; snapshot: Awaited<ReturnType<typeof benchSnapshot>> };
    const dir = snapshotFolderOf(dataDir)!;
    try {
      corp = await seedP5Corp(database.db, size);
      const index = await buildCorpIndex(database.db, corp.corpId);
      build = { buildMs: Math.round(index.stats.ms), snapshot: await benchSnapshot(database.db, corp.corpId, index, dir) };
      await database.db.execute(sql`delete from index_snapshots`);
    } finally {
      // PGlite is single-process: the servers below open the folder only once this process let go.
      await database.close();
    }
    const floorBareServerMs = await timeBareServerStart();
    rmSync(dir, { recursive: true, force: true });
    const env = { DATABASE_URL: '', TAGLOOM_DATA_DIR: dataDir };
    const cold: ServerStart = await timeServerStart(env);
    const file = snapshotFile(dir, corp.corpId);
    let savedBytes = 0;
    try {
      savedBytes = readFileSync(file).byteLength;
    } catch {
      throw new Error('P5 PGlite server start: the server saved no snapshot file');
    }
    const fromSnapshot: ServerStart = await timeServerStart(env);
    return {
      customers: corp.customers,
      marks: corp.seededMarks,
      seedMs: corp.seedMs,
      ...build,
      serverStart: { floorBareServerMs, snapshotFileMB: mb(savedBytes), cold, fromSnapshot },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Standalone: `npx tsx bench/p5-index-build.ts [customers] [marks]` on a fresh database that is
// dropped afterwards (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server), or with a
// third argument `pglite`, on a fresh PGlite folder (benchP5Pglite).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[4] === 'pglite') {
  const result = await benchP5Pglite({ customers: Number(process.argv[2] ?? 100_000), marks: Number(process.argv[3] ?? 500_000) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await withScratchDatabase('tagloom_p5', async (database, url) => {
    const result = await benchP5IndexBuild(
      database.db,
      { customers: Number(process.argv[2] ?? 100_000), marks: Number(process.argv[3] ?? 500_000) },
      { serverEnv: { DATABASE_URL: url }, tenMillion: process.env.BENCH_P1_10M !== '0' },
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });
}
