import { sql } from 'drizzle-orm';
import { withTx } from '../src/context.js';
import { type Db, queryRows } from '../src/db/client.js';
import { addCustomers } from '../src/modules/customers/commands/add-customers.js';
import { KeywordRuleMatcher } from '../src/modules/keywords/rule-matcher.js';
import { addEmployees } from '../src/modules/org/commands/add-org.js';
import { createCorp } from '../src/modules/org/commands/create-corp.js';
import { createRule } from '../src/modules/rules/commands/create-rule.js';
import { addTags } from '../src/modules/tags/commands/add-tags.js';
import { appCtx } from '../src/test/factories.js';
import { p2Workload } from './p2-keywords.js';
import { startProcess, stopProcess } from './server-process.js';

const secret = 'bench-p2e-secret-0123456789abcdefghijklmnop';
const corpId = 'ww-bench-p2e';

type Seeded = { users: string[]; customers: string[]; messages: string[]; rules: { id: string; keywords: string[] }[] };

/** A corp with 20 employees, 2,000 customers and 200 keyword rules of 5 keywords each, each adding its own tag. */
async function seed(db: Db, messageCount: number): Promise<Seeded> {
  await createCorp(db, { corpId, name: '压测企业P2', secret });
  const ctx = appCtx(db, corpId);
  const users = Array.from({ length: 20 }, (_, i) => `sales${i}`);
  await withTx(ctx, (tx) =>
    addEmployees(
      tx,
      users.map((userid) => ({ userid, name: userid, departmentIds: [1] })),
    ),
  );
  const customers = await withTx(ctx, (tx) =>
    addCustomers(
      tx,
      Array.from({ length: 2000 }, (_, i) => ({ name: `客户${i}`, follows: [{ userid: users[i % users.length]! }] })),
    ),
  );
  const tagIds: string[] = [];
  for (let g = 0; g < 10; g += 1) {
    const made = await withTx(ctx, (tx) => addTags(tx, { groupName: `关键词组${g}`, tags: Array.from({ length: 20 }, (_, t) => ({ name: `意向${g}-${t}` })) }));
    tagIds.push(...made.tags.map((t) => t.tagId));
  }
  const { keywords, messages } = p2Workload({ keywords: 1000, messages: messageCount, passes: 1, sample: 0, slowMessages: 0, seed: 7 });
  const rules: Seeded['rules'] = [];
  for (let i = 0; i < 200; i += 1) {
    const words = keywords.slice(i * 5, i * 5 + 5);
    const rule = await withTx(ctx, (tx) =>
      createRule(tx, {
        name: `关键词规则${i}`,
        enabled: true,
        definition: {
          trigger: { kind: 'message.keyword', keywords: words, match: 'any', mode: 'contains' },
          conditions: {},
          actions: [{ kind: 'add', tagIds: [tagIds[i]!] }],
        },
      }),
    );
    rules.push({ id: rule.ruleId, keywords: words });
  }
  return { users, customers, messages, rules };
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

/** Sends `count` requests from `concurrency` loops; answers when each request was sent. */
async function send(count: number, concurrency: number, request: (i: number) => Promise<Response>): Promise<{ sentAt: number[]; failed: number; ms: number }> {
  const sentAt = new Array<number>(count).fill(0);
  let next = 0;
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        sentAt[i] = Date.now();
        const res = await request(i);
        if (!res.ok) failed += 1;
        await res.arrayBuffer();
      }
    }),
  );
  return { sentAt, failed, ms: Date.now() - started };
}

/**
 * P2 end to end (DESIGN.md §5): 10,000 chat messages through `POST /api/v1/messages`, one per
 * request from 16 clients, against a real server on PostgreSQL with 200 keyword rules; the rule
 * engine tags the customers. Reports messages/s until the last mark committed and the latency from
 * each request to the commit of the run that marked it (p50, p99), beside the same number of plain
 * behaviour-fact writes (`POST /customer-events`) as the comparison.
 */
export async function benchP2Messages(db: Db, databaseUrl: string, messageCount = 10_000) {
  const seeded = await seed(db, messageCount);
  const matcher = KeywordRuleMatcher.build(seeded.rules.map((r) => ({ id: r.id, keywords: r.keywords, mode: 'any', match: 'contains' })));
  const expectedMatched = seeded.messages.filter((m) => matcher.match(m).length > 0).length;
  const port = 3903;
  const server = await startProcess(
    ['bin/tagloom.js', 'serve'],
    { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    /Tagloom serves/,
  );
  try {
    const base = `http://127.0.0.1:${port}/api/v1`;
    const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
    const relation = (i: number) => ({
      externalUserid: seeded.customers[i % seeded.customers.length]!,
      userid: seeded.users[(i % seeded.customers.length) % seeded.users.length]!,
    });
    const baseline = await send(messageCount, 16, (i) =>
      fetch(`${base}/customer-events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          events: [{ externalUserid: relation(i).externalUserid, type: 'bench.baseline', target: 't', occurredAt: new Date().toISOString() }],
        }),
      }),
    );
    const run = await send(messageCount, 16, (i) =>
      fetch(`${base}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          messages: [{ ...relation(i), direction: 'in', text: seeded.messages[i]!, sentAt: new Date().toISOString(), idempotencyKey: `bench-${i}` }],
        }),
      }),
    );
    // Wait until the engine is done: no new rule run for 5 seconds (it works through its backlog
    // without pausing, so a quiet stretch means the last page is in).
    const deadline = Date.now() + 600_000;
    let seen = -1;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from rule_runs where corp_id = ${corpId}`);
      const n = Number(row?.n ?? 0);
      if (n !== seen) (seen = n), (quietSince = Date.now());
      else if (Date.now() - quietSince >= 5_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const samples = await queryRows<{ key: string; finished: Date | string }>(
      db,
      sql`select distinct on (e.seq) e.payload->>'idempotencyKey' as key, r.finished_at as finished
        from marks m join events e on e.corp_id = m.corp_id and e.seq = m.evidence_seq
        join rule_runs r on r.corp_id = m.corp_id and r.operation_id = m.operation_id
        where m.corp_id = ${corpId} and e.type = 'message.matched'`,
    );
    const latencies = samples.map((s) => new Date(s.finished).getTime() - run.sentAt[Number(s.key.slice('bench-'.length))]!).sort((a, b) => a - b);
    const [counts] = await queryRows<{ matched: number; marks: number; runs: number; last_commit: Date | string }>(
      db,
      sql`select (select count(*)::int from events where corp_id = ${corpId} and type = 'message.matched') as matched,
        (select count(*)::int from marks where corp_id = ${corpId} and source = 'rule') as marks,
        (select count(*)::int from rule_runs where corp_id = ${corpId}) as runs,
        (select max(finished_at) from rule_runs where corp_id = ${corpId}) as last_commit`,
    );
    const firstSent = Math.min(...run.sentAt);
    const endToEndMs = new Date(counts!.last_commit).getTime() - firstSent;
    return {
      target: 'P2 end to end: 10,000 messages through POST /api/v1/messages with 200 keyword rules → marks committed',
      dataset: { messages: messageCount, rules: 200, keywordsPerRule: 5, customers: seeded.customers.length, clients: 16, messagesPerRequest: 1 },
      messages: {
        requestsPerSecond: Math.round((messageCount / run.ms) * 1000),
        failedRequests: run.failed,
        matched: counts!.matched,
        matchedExpected: expectedMatched,
        marksCommitted: counts!.marks,
        ruleRuns: counts!.runs,
        endToEndMessagesPerSecond: Math.round((messageCount / endToEndMs) * 1000),
        latencyToMarkMs: { samples: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0 },
      },
      baselineCustomerEvents: { requestsPerSecond: Math.round((messageCount / baseline.ms) * 1000), failedRequests: baseline.failed },
    };
  } finally {
    await stopProcess(server);
  }
}
