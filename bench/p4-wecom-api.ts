import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { withTx } from '../src/context.js';
import { type Db, queryRows } from '../src/db/client.js';
import { addCustomers } from '../src/modules/customers/commands/add-customers.js';
import { addEmployees } from '../src/modules/org/commands/add-org.js';
import { createCorp } from '../src/modules/org/commands/create-corp.js';
import { addTags } from '../src/modules/tags/commands/add-tags.js';
import { appCtx } from '../src/test/factories.js';
import { pgbenchCeiling } from './pgbench.js';
import { startProcess, stopProcess } from './server-process.js';

const secret = 'bench-secret-0123456789abcdefghijklmnopqrstu';

async function seed(db: Db) {
  const corp = await createCorp(db, { corpId: 'ww-bench', name: '压测企业', secret });
  const ctx = appCtx(db, corp.corpId);
  const users = Array.from({ length: 50 }, (_, i) => `sales${i}`);
  await withTx(ctx, (tx) =>
    addEmployees(
      tx,
      users.map((userid) => ({ userid, name: userid, departmentIds: [1] })),
    ),
  );
  const follows: { userid: string; externalUserid: string }[] = [];
  const customers = await withTx(ctx, (tx) =>
    addCustomers(
      tx,
      Array.from({ length: 2000 }, (_, i) => ({ name: `客户${i}`, follows: [{ userid: users[i % 50]! }] })),
    ),
  );
  customers.forEach((externalUserid, i) => follows.push({ userid: users[i % 50]!, externalUserid }));
  const tagIds: string[] = [];
  for (let g = 0; g < 100; g += 1) {
    const added = await withTx(ctx, (tx) =>
      addTags(tx, { groupName: `标签组${g}`, order: g, tags: Array.from({ length: 20 }, (_, t) => ({ name: `标签${g}-${t}`, order: t })) }),
    );
    tagIds.push(...added.tags.map((t) => t.tagId));
  }
  return { follows, tagIds };
}

// The writes run under 50 connections (issue 17 §2); the reads as before.
const writeConnections = 50;

async function load(opts: autocannon.Options) {
  const result = await autocannon({ connections: 32, duration: 10, ...opts });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50ms: result.latency.p50,
    latencyP99ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bytesPerSecond: Math.round(result.throughput.average),
  };
}

/**
 * The check on the writes: the bench corp's marks are exactly what its follow.tags_changed events
 * add and remove, replayed in seq order (each request evented once, no write without its event).
 * A disagreement is reported with the first keys that differ and fails the run (exit code 1)
 * while the figures are still recorded.
 */
async function marksMatchEvents(db: Db): Promise<{ marks: number; events: number; differ: number; firstDiffering: string[] }> {
  // One snapshot for both reads: requests still in flight when the load stops commit their marks
  // and their event together, so they are in both reads or in neither.
  const { events, marks } = await db.transaction(
    async (tx) => ({
      events: await queryRows<{ payload: { userid: string; externalUserid: string; added: string[]; removed: string[] } }>(
        tx,
        sql`select payload from events where corp_id = 'ww-bench' and type = 'follow.tags_changed' order by seq`,
      ),
      marks: await queryRows<{ key: string }>(tx, sql`select userid || '|' || external_userid || '|' || tag_id as key from marks where corp_id = 'ww-bench'`),
    }),
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const replayed = new Set<string>();
  for (const { payload } of events) {
    for (const tag of payload.added) replayed.add(`${payload.userid}|${payload.externalUserid}|${tag}`);
    for (const tag of payload.removed) replayed.delete(`${payload.userid}|${payload.externalUserid}|${tag}`);
  }
  const stored = new Set(marks.map((row) => row.key));
  const differ = [
    ...[...stored].filter((k) => !replayed.has(k)).map((k) => `stored only: ${k}`),
    ...[...replayed].filter((k) => !stored.has(k)).map((k) => `replayed only: ${k}`),
  ];
  if (differ.length > 0) {
    process.exitCode = 1;
    process.stderr.write(`P4: ${differ.length} marks differ from the replay of ${events.length} follow.tags_changed events\n`);
  }
  return { marks: stored.size, events: events.length, differ: differ.length, firstDiffering: differ.slice(0, 5) };
}

/**
 * P4 (DESIGN.md §5): `get_corp_tag_list` over 100 groups / 2,000 tags and `mark_tag`, in req/s
 * under autocannon against the real server on PostgreSQL, next to a trivial Fastify route.
 */
export async function benchP4(db: Db, databaseUrl: string) {
  const { follows, tagIds } = await seed(db);
  const port = 3902;
  const server = await startProcess(
    [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=.tmp/prof'] : []), 'bin/tagloom.js', 'serve'],
    { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    /Tagloom serves/,
  );
  let trivial: ChildProcess | undefined;
  try {
    const base = `http://127.0.0.1:${port}`;
    const token = ((await (await fetch(`${base}/cgi-bin/gettoken?corpid=ww-bench&corpsecret=${secret}`)).json()) as { access_token: string }).access_token;
    const listUrl = `${base}/cgi-bin/externalcontact/get_corp_tag_list?access_token=${token}`;
    const listBody = await (await fetch(listUrl, { method: 'POST', body: '{}' })).text();
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/bench-tag-list.json', listBody);
    trivial = await startProcess(['--import', 'tsx', 'bench/trivial-server.ts'], { PORT: '3901', BIG_BODY_FILE: '.tmp/bench-tag-list.json' }, /ready/);
    const check = JSON.parse(listBody) as { errcode: number; tag_group: { tag: unknown[] }[] };
    if (check.errcode !== 0 || check.tag_group.length !== 100 || check.tag_group.reduce((n, g) => n + g.tag.length, 0) !== 2000)
      throw new Error('get_corp_tag_list did not return 100 groups / 2,000 tags');

    // One load of P4 alone (baseline, list, group or mark) while tuning; BENCH_ONLY picks parts, not loads.
    const only = process.env.BENCH_P4_ONLY;
    const skip = { requestsPerSecond: 0, latencyP50ms: 0, latencyP99ms: 0, non2xx: 0, errors: 0, bytesPerSecond: 0 };
    const maybe = (name: string, opts: autocannon.Options) => (only && only !== name ? Promise.resolve(skip) : load(opts));
    const baseline = await maybe('baseline', {
      url: 'http://127.0.0.1:3901/hello',
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    const json = { 'content-type': 'application/json' };
    const gzip = { ...json, 'accept-encoding': 'gzip' };
    const sameBytes = await maybe('list', { url: 'http://127.0.0.1:3901/big', method: 'POST', body: '{}', headers: json });
    const tagList = await maybe('list', { url: listUrl, method: 'POST', body: '{}', headers: json });
    const sameBytesGzip = await maybe('list', { url: 'http://127.0.0.1:3901/big', method: 'POST', body: '{}', headers: gzip });
    const tagListGzip = await maybe('list', { url: listUrl, method: 'POST', body: '{}', headers: gzip });
    const oneGroup = await maybe('group', {
      url: listUrl,
      method: 'POST',
      body: JSON.stringify({ group_id: [check.tag_group.length ? (check.tag_group[0] as unknown as { group_id: string }).group_id : ''] }),
      headers: { 'content-type': 'application/json' },
    });
    // Request 2k adds a tag to a relation and request 2k+1 takes it off again (a no-op, without an
    // event, when it overtakes the add), so the writes keep changing marks.
    const markBody = (n: number) => {
      const k = Math.floor(n / 2);
      const f = follows[(k * 7919) % follows.length]!;
      const tag = tagIds[(k * 104729 + Math.floor(k / follows.length)) % tagIds.length]!;
      return { f, tag, add: n % 2 === 0 };
    };
    let n = 0;
    const markTag = await maybe('mark', {
      url: `${base}/cgi-bin/externalcontact/mark_tag?access_token=${token}`,
      method: 'POST',
      connections: writeConnections,
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req) => {
            n += 1;
            const { f, tag, add } = markBody(n);
            const body = add
              ? { userid: f.userid, external_userid: f.externalUserid, add_tag: [tag] }
              : { userid: f.userid, external_userid: f.externalUserid, remove_tag: [tag] };
            return { ...req, body: JSON.stringify(body) };
          },
        },
      ],
    });
    let m = 0;
    const markNative = await maybe('mark', {
      url: `${base}/api/v1/customers/__c__/follows/__u__/tags`,
      method: 'POST',
      connections: writeConnections,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      requests: [
        {
          setupRequest: (req) => {
            m += 1;
            const { f, tag, add } = markBody(m + 1_000_001);
            const path = `/api/v1/customers/${encodeURIComponent(f.externalUserid)}/follows/${encodeURIComponent(f.userid)}/tags`;
            return { ...req, path, body: JSON.stringify(add ? { add: [tag] } : { remove: [tag] }) };
          },
        },
      ],
    });
    for (const [name, figures] of [
      ['mark_tag', markTag],
      ['native mark', markNative],
    ] as const) {
      if (figures.non2xx > 0 || figures.errors > 0) throw new Error(`P4: ${name} answered ${figures.non2xx} non-2xx and ${figures.errors} errors`);
    }
    const eventsAgree = await marksMatchEvents(db);
    // PostgreSQL's own write ceiling, measured right after the writes on the same server, as the
    // issue's figure was (10 clients: on pgbench's scale-1 tables more clients only queue on one row).
    const pgbench = only && only !== 'mark' ? { skipped: 'BENCH_P4_ONLY' } : pgbenchCeiling(databaseUrl);
    const ceiling = 'tps' in pgbench ? pgbench.tps : null;
    const ratio = (rps: number) => (ceiling ? +(rps / ceiling).toFixed(3) : null);
    return {
      target: { getCorpTagList: '≥ 10,000 req/s', markTag: '≥ 3,000 req/s' },
      dataset: { groups: 100, tags: 2000, follows: follows.length },
      baselineTrivialFastify: baseline,
      responseBytes: {
        plain: Buffer.byteLength(listBody),
        note: 'the whole library is one response; the same-size baselines send a prebuilt body of these bytes',
      },
      baselineSameBytes: sameBytes,
      getCorpTagListAll: {
        ...tagList,
        ratioToBaseline: +(tagList.requestsPerSecond / baseline.requestsPerSecond).toFixed(3),
        ratioToSameBytes: +(tagList.requestsPerSecond / sameBytes.requestsPerSecond).toFixed(3),
      },
      baselineSameBytesGzip: sameBytesGzip,
      getCorpTagListAllGzip: { ...tagListGzip, ratioToSameBytesGzip: +(tagListGzip.requestsPerSecond / sameBytesGzip.requestsPerSecond).toFixed(3) },
      getCorpTagListOneGroup: { ...oneGroup, ratioToBaseline: +(oneGroup.requestsPerSecond / baseline.requestsPerSecond).toFixed(3) },
      markTag: {
        ...markTag,
        connections: writeConnections,
        ratioToPgbench: ratio(markTag.requestsPerSecond),
        ratioToBaseline: +(markTag.requestsPerSecond / baseline.requestsPerSecond).toFixed(3),
      },
      markNative: { ...markNative, connections: writeConnections, ratioToPgbench: ratio(markNative.requestsPerSecond) },
      pgbench,
      marksMatchEvents: eventsAgree,
    };
  } finally {
    await stopProcess(server);
    if (trivial) await stopProcess(trivial);
  }
}
