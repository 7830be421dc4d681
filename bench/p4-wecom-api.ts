import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { withTx } from '../src/context.js';
import type { Db } from '../src/db/client.js';
import { addCustomers } from '../src/modules/customers/commands/add-customers.js';
import { addEmployees } from '../src/modules/org/commands/add-org.js';
import { createCorp } from '../src/modules/org/commands/create-corp.js';
import { addTags } from '../src/modules/tags/commands/add-tags.js';
import { appCtx } from '../src/test/factories.js';
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
    let n = 0;
    const markTag = await maybe('mark', {
      url: `${base}/cgi-bin/externalcontact/mark_tag?access_token=${token}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req) => {
            n += 1;
            const f = follows[(n * 7919) % follows.length]!;
            const tag = tagIds[(n * 104729) % tagIds.length]!;
            const body =
              n % 2 === 0
                ? { userid: f.userid, external_userid: f.externalUserid, add_tag: [tag] }
                : { userid: f.userid, external_userid: f.externalUserid, remove_tag: [tag] };
            return { ...req, body: JSON.stringify(body) };
          },
        },
      ],
    });
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
      markTag: { ...markTag, ratioToBaseline: +(markTag.requestsPerSecond / baseline.requestsPerSecond).toFixed(3) },
    };
  } finally {
    await stopProcess(server);
    if (trivial) await stopProcess(trivial);
  }
}
