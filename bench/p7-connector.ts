import { and, count, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { type TxCtx, withTx } from '../src/context.js';
import { type Db, queryRows } from '../src/db/client.js';
import { marks, wecomConnections, wecomPushQueue } from '../src/db/schema/index.js';
import { sealedPlace } from '../src/modules/connector/connection.js';
import { callbackRequest, FakeWecom, newEncodingAesKey } from '../src/modules/connector/fake-wecom.test-support.js';
import { remoteIdOf } from '../src/modules/connector/id-map.js';
import { queuePull } from '../src/modules/connector/pull/queue-pull.js';
import { WecomPusher } from '../src/modules/connector/push/pusher.js';
import { SecretBox } from '../src/modules/connector/secret-box.js';
import { WecomClient } from '../src/modules/connector/wecom-client.js';
import { markTags } from '../src/modules/customers/commands/mark-tags.js';
import { OperationWorker } from '../src/modules/operations/jobs/worker.js';
import { addTags } from '../src/modules/tags/commands/add-tags.js';
import { buildCorp } from '../src/test/factories.js';
import { summarize } from './p1-audience-count.js';

// The connector's throughput (issue 16): the push to WeCom (marks/s) with WeCom's limit of 1,000
// mark_tag calls a minute per corp honoured, and unthrottled against the fake's own ceiling; and
// callback ingestion (events/s) against the front door's ceiling (the same callbacks again, which
// are verified, decrypted and found to be duplicates, so nothing is read from WeCom or applied).
// The fake WeCom runs in this process: its work shares the event loop with the server's.

/** Sizes: customers seeded (and pulled), marks pushed under the limit, unthrottled, callbacks posted. */
export type P7Options = { customers?: number; limited?: number; unthrottled?: number; callbacks?: number; concurrency?: number };

const secret = 'bench-contact-secret';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pending(db: Db, corpId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(wecomPushQueue)
    .where(and(eq(wecomPushQueue.corpId, corpId), eq(wecomPushQueue.status, 'pending')));
  return Number(row?.n ?? 0);
}

/** Drains the corp's push queue, waiting out rate-limit pauses; ms taken. */
async function drainAll(db: Db, pusher: WecomPusher, corpId: string): Promise<number> {
  const started = performance.now();
  while ((await pending(db, corpId)) > 0) {
    await pusher.drain(corpId);
    await sleep(20);
  }
  return performance.now() - started;
}

/** The most calls in any 60-second window of the given call times (ms). */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= 60_000) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Runs `n` tasks with `concurrency` workers; the ms each took. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const took: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await task(i);
        took.push(performance.now() - t);
      }
    }),
  );
  return took;
}

/**
 * Seeds a fake WeCom corp, pulls it here through the real pull, then measures the push and the
 * callbacks. Every phase checks its outcome (WeCom's marks, or ours) and throws on a mismatch.
 */
export async function benchP7Connector(db: Db, kind: 'pglite' | 'postgres', opts: P7Options = {}) {
  const size = { customers: 3000, limited: 1100, unthrottled: 3000, callbacks: 2000, concurrency: 8, ...opts };
  const box = SecretBox.random();
  const wecom = await FakeWecom.start({ markTagPerMinute: 1000 });
  let app: FastifyInstance | null = null;
  try {
    const corp = await buildCorp(db);
    const corpId = corp.ctx.corpId;
    const corpid = `wwBench${corpId}`;
    const users = ['sales1', 'sales2', 'sales3', 'sales4'];
    wecom.addCorp(corpid, secret);
    wecom.seed(corpid, {
      tagGroups: [{ group_name: '客户等级', tags: [{ name: 'A级' }, { name: 'B级' }] }],
      followUsers: users,
      customers: Array.from({ length: size.customers }, (_, i) => ({
        external_userid: `wmBench${i}`,
        name: `客户${i}`,
        follow: [{ userid: users[i % users.length]!, createtime: 1_700_000_000 + i, tags: [i % 2 ? 'A级' : 'B级'] }],
      })),
    });
    const callback = { token: 'benchToken123', aesKey: newEncodingAesKey() };
    await db.insert(wecomConnections).values({
      corpId,
      wecomCorpid: corpid,
      apiBase: wecom.url,
      secretSealed: box.seal(secret, sealedPlace.secret(corpId)),
      callbackTokenSealed: box.seal(callback.token, sealedPlace.callbackToken(corpId)),
      aesKeySealed: box.seal(callback.aesKey, sealedPlace.aesKey(corpId)),
      pushEnabled: true,
    });
    app = await buildApp({ db, dbKind: kind, secretBox: box, runJobs: false, push: { run: false }, webhooks: { run: false }, moments: { run: false } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    await app.consumers.settle(corpId); // the push consumer's cursor starts here

    // The pull, for the scene (and a figure of its own).
    const worker = new OperationWorker(db, { kind, secretBox: box });
    let t = performance.now();
    await withTx(corp.ctx, (tx: TxCtx) => queuePull(tx, 'full'));
    await worker.drain();
    const pullMs = performance.now() - t;
    const [pulled] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from follows where corp_id = ${corpId}`);
    if (pulled?.n !== size.customers) throw new Error(`P7: the pull brought ${pulled?.n} relations, not ${size.customers}`);
    await app.consumers.settle(corpId);
    if ((await pending(db, corpId)) !== 0) throw new Error('P7: changes pulled from WeCom were queued to be pushed back');

    // A tag created here goes to WeCom first (one add_corp_tag), then marks of it.
    const added = await withTx(corp.ctx, (tx) => addTags(tx, { groupName: '推送压测', tags: [{ name: '已推送' }] }));
    const tagId = added.tags[0]!.tagId;
    await app.consumers.settle(corpId);
    const limitedPusher = new WecomPusher(db, box, { run: false, markCallsPerMinute: 1000 });
    await drainAll(db, limitedPusher, corpId);
    const remoteTag = await remoteIdOf(db as never, corpId, 'tag', tagId);
    if (!remoteTag) throw new Error('P7: the new tag did not reach WeCom');
    const relation = (i: number) => ({ userid: users[i % users.length]!, externalUserid: `wmBench${i}` });
    const markRange = async (from: number, to: number, change: 'add' | 'remove') => {
      for (let i = from; i < to; i += 1) await markTags(corp.ctx, { ...relation(i), [change]: [tagId] });
      await app!.consumers.settle(corpId);
    };

    // 1. Under WeCom's limit (the fake answers 45009 beyond 1,000 a minute).
    await markRange(0, size.limited, 'add');
    const queuedLimited = await pending(db, corpId);
    const callsBefore = wecom.calls.length;
    const limitedMs = await drainAll(db, limitedPusher, corpId);
    const limitedCalls = wecom.calls.slice(callsBefore).filter((c) => c.path === 'externalcontact/mark_tag');
    for (let i = 0; i < size.limited; i += 1)
      if (!wecom.marks(corpid, relation(i).userid, relation(i).externalUserid).includes(remoteTag)) throw new Error(`P7: mark ${i} did not reach WeCom`);

    // 2. Unthrottled: the fake's limit lifted, the pusher's too; its defaults otherwise.
    wecom.setMarkTagPerMinute(1e9);
    const n2 = Math.min(size.unthrottled, size.customers);
    await markRange(0, Math.min(n2, size.limited), 'remove');
    if (n2 > size.limited) await markRange(size.limited, n2, 'add');
    const queuedFast = await pending(db, corpId);
    const fastPusher = new WecomPusher(db, box, { run: false, markCallsPerMinute: 1e9 });
    const fastMs = await drainAll(db, fastPusher, corpId);
    for (let i = 0; i < n2; i += 1) {
      const has = wecom.marks(corpid, relation(i).userid, relation(i).externalUserid).includes(remoteTag);
      if (has !== i >= size.limited) throw new Error(`P7: WeCom's mark ${i} disagrees with ours after the unthrottled push`);
    }
    // Its ceiling: the same mark_tag calls straight at the fake, 4 at a time (the pusher's concurrency).
    const client = new WecomClient({ apiBase: wecom.url, corpid, secret });
    t = performance.now();
    await pool(queuedFast, 4, async (i) => {
      const r = relation(i);
      const change = i < size.limited ? { remove_tag: [remoteTag] } : { add_tag: [remoteTag] };
      await client.call('externalcontact/mark_tag', { userid: r.userid, external_userid: r.externalUserid, ...change });
    });
    const ceilingMs = performance.now() - t;

    // 3. Callbacks: staff mark in the WeCom app; each change's callback is posted here.
    const library = wecom.staffAddTag(corpid, '企微标签', '来自企微');
    const post = (request: ReturnType<typeof callbackRequest>) =>
      fetch(`${url}/hooks/wecom/${corpId}?${new URLSearchParams(request.query)}`, {
        method: 'POST',
        body: request.body,
        headers: { 'content-type': 'text/xml' },
      });
    const cfg = { corpid, token: callback.token, encodingAesKey: callback.aesKey };
    for (const fields of [library.groupCallback, library.callback]) if (fields) await post(callbackRequest(fields, cfg));
    const n3 = Math.min(size.callbacks, size.customers);
    const requests = Array.from({ length: n3 }, (_, i) =>
      callbackRequest(wecom.staffMark(corpid, relation(i).userid, relation(i).externalUserid, [library.tagId], []), cfg),
    );
    const statuses = new Map<number, number>();
    t = performance.now();
    const latencies = await pool(n3, size.concurrency, async (i) => {
      const res = await post(requests[i]!);
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    });
    const callbackMs = performance.now() - t;
    const [mapped] = await queryRows<{ local_id: string }>(
      db,
      sql`select local_id from wecom_id_map where corp_id = ${corpId} and kind = 'tag' and remote_id = ${library.tagId}`,
    );
    const localTag = mapped?.local_id;
    const [applied] = await db
      .select({ n: count() })
      .from(marks)
      .where(and(eq(marks.corpId, corpId), eq(marks.tagId, localTag ?? '-')));
    if (Number(applied?.n) !== n3) throw new Error(`P7: ${applied?.n} of ${n3} callback marks arrived (statuses ${JSON.stringify([...statuses])})`);
    // The front door's ceiling: the same callbacks again (verified, decrypted, found applied already).
    t = performance.now();
    await pool(n3, size.concurrency, async (i) => {
      await (await post(requests[i]!)).arrayBuffer();
    });
    const duplicateMs = performance.now() - t;

    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000 * 10) / 10;
    return {
      customers: size.customers,
      pull: { relations: size.customers, seconds: Math.round(pullMs) / 1000, relationsPerSecond: rate(size.customers, pullMs) },
      pushUnderLimit: {
        marks: queuedLimited,
        seconds: Math.round(limitedMs) / 1000,
        marksPerSecond: rate(queuedLimited, limitedMs),
        limitPerSecond: Math.round((1000 / 60) * 10) / 10,
        ratioToLimit: Math.round((queuedLimited / limitedMs / (1000 / 60_000)) * 100) / 100,
        busiestMinuteCalls: busiestMinute(limitedCalls.map((c) => c.at.getTime())),
        refused45009: limitedCalls.filter((c) => c.errcode === 45009).length,
      },
      pushUnthrottled: {
        marks: queuedFast,
        marksPerSecond: rate(queuedFast, fastMs),
        ceilingMarksPerSecond: rate(queuedFast, ceilingMs),
        ratioToCeiling: Math.round((ceilingMs / fastMs) * 100) / 100,
        ceiling: 'the same mark_tag calls straight at the fake WeCom, 4 at a time, no database',
      },
      callbacks: {
        events: n3,
        concurrency: size.concurrency,
        eventsPerSecond: rate(n3, callbackMs),
        latency: summarize(latencies),
        statuses: Object.fromEntries(statuses),
        ceilingEventsPerSecond: rate(n3, duplicateMs),
        ratioToCeiling: Math.round((duplicateMs / callbackMs) * 100) / 100,
        ceiling: 'the same callbacks posted again: verified, decrypted and answered as duplicates (no WeCom read, nothing applied)',
      },
    };
  } finally {
    await app?.close();
    await wecom.close();
  }
}
