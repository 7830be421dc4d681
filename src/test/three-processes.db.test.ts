import { fileURLToPath } from 'node:url';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, withTx } from '../context.js';
import { type Database, openDatabase, queryRows } from '../db/client.js';
import { events, marks, operationJournal, operations } from '../db/schema/index.js';
import { addCustomers } from '../modules/customers/commands/add-customers.js';
import { scratchPostgres } from './db.js';
import { buildCorp, buildEmployees, buildTagGroup } from './factories.js';
import { type Spawned, startTagloomServer } from './processes.js';

// Issue 16, "More than one process": three real `tagloom serve` processes on ONE PostgreSQL database,
// driven only through their HTTP APIs. Their audience indexes converge after a write on any of them,
// each batch job and each scheduled run happens exactly once, and a job whose process is SIGKILLed
// mid-run is finished by another. PGlite is one process per data folder (it refuses a second one,
// see cli-beside-server.test.ts), so this runs on PostgreSQL only: in `.ci/run`, TEST_DATABASE_URL is set.

const child = fileURLToPath(new URL('./scale-server-child.ts', import.meta.url));
const customerCount = 3000;
// Convergence waits, not timings: generous, because seven test runs may share two cores.
const convergeMs = 60_000;

type Server = Spawned & { url: string; name: string };

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = convergeMs): Promise<T> {
  const started = Date.now();
  let value = await read();
  while (!done(value)) {
    if (Date.now() - started > deadlineMs) throw new Error(`${what}: still ${JSON.stringify(value)} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('three server processes on one PostgreSQL [postgres]', () => {
  let scratch: Awaited<ReturnType<typeof scratchPostgres>>;
  let database: Database;
  let servers: Server[] = [];
  let corpId = '';
  let secret = '';
  let admin = '';
  let seller = '';
  const customers: string[] = [];
  let tagIds: Record<string, string> = {};

  // As the admin employee, or (actingAs null) as the corp's own app, which holds corp.settings.
  const call = async (server: Server, method: string, path: string, body?: unknown, actingAs: string | null = admin) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(actingAs ? { 'tagloom-acting-user': actingAs } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const countOn = async (server: Server, text: string) => {
    const res = await call(server, 'POST', '/audiences/count', { text });
    if (res.status !== 200) throw new Error(`count on ${server.name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.count as number;
  };
  const countsEverywhere = (text: string) => Promise.all(servers.map((s) => countOn(s, text)));
  const queueBatch = async (server: Server, body: unknown) => {
    const res = await call(server, 'POST', '/operations/batch', body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.operation.operationId as string;
  };
  const operationRow = async (operationId: string) =>
    (
      await database.db
        .select()
        .from(operations)
        .where(and(eq(operations.corpId, corpId), eq(operations.operationId, operationId)))
    )[0]!;
  const marksOf = async (operationId: string) =>
    (
      await database.db
        .select({ n: count() })
        .from(marks)
        .where(and(eq(marks.corpId, corpId), eq(marks.operationId, operationId)))
    )[0]!.n;
  const journalOf = async (operationId: string) =>
    (
      await database.db
        .select({ n: count() })
        .from(operationJournal)
        .where(and(eq(operationJournal.corpId, corpId), eq(operationJournal.operationId, operationId)))
    )[0]!.n;
  const appliedEventsOf = async (operationId: string) =>
    (
      await database.db
        .select({ n: count() })
        .from(events)
        .where(and(eq(events.corpId, corpId), eq(events.operationId, operationId), eq(events.type, 'operation.applied')))
    )[0]!.n;

  beforeAll(async () => {
    scratch = await scratchPostgres('tagloom_scale');
    database = await openDatabase({ url: scratch.url, poolSize: 3 });
    // A corp of its own (so no process seeds the 5,000-customer demo), small enough for a shared machine.
    const corp = await buildCorp(database.db);
    ({ corpId, secret } = corp);
    [admin] = (await buildEmployees(corp.ctx, 1, 'admin')) as [string];
    [seller] = (await buildEmployees(corp.ctx, 1, 'staff')) as [string];
    for (let i = 0; i < customerCount; i += 1000) {
      customers.push(
        ...(await withTx(systemContext(database.db, corpId), (tx) =>
          addCustomers(
            tx,
            Array.from({ length: 1000 }, (_, j) => ({ name: `客户${i + j}`, follows: [{ userid: seller }] })),
          ),
        )),
      );
    }
    const names = ['点标', '批标', '定时标', '杀标', '批次1', '批次2', '批次3', '批次4', '批次5', '批次6'];
    const group = await buildTagGroup(corp.ctx, names, '多进程');
    tagIds = Object.fromEntries(group.tags.map((t) => [t.name, t.tagId]));
    // Three processes started together: they migrate under one lock and warm their indexes side by side.
    servers = (await Promise.all(['A', 'B', 'C'].map((name) => startTagloomServer({ DATABASE_URL: scratch.url }, [child]).then((s) => ({ ...s, name }))))).sort(
      (a, b) => a.name.localeCompare(b.name),
    );
    // Generous: on a fresh checkout each process first builds the web console (see ensureConsoleBuilt).
  }, 420_000);

  afterAll(async () => {
    for (const server of servers) if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    await database?.close();
    await scratch?.drop();
  }, 60_000);

  it('converges every process’s audience counts after a write on any one of them', async () => {
    const [a, b, c] = servers as [Server, Server, Server];
    expect(await countsEverywhere('tag:点标')).toEqual([0, 0, 0]);
    // A mark through process A…
    const marked = await call(a, 'POST', `/customers/${customers[0]}/follows/${seller}/tags`, { add: [tagIds.点标] });
    expect(marked.status, JSON.stringify(marked.body)).toBeLessThan(300);
    // …is counted by B and C too, once their indexes have taken the event in.
    await until(
      'one mark made on A, counted on A, B, C',
      () => countsEverywhere('tag:点标'),
      (n) => n.every((x) => x === 1),
    );
    // A batch queued on B (run by whichever worker claims it) reaches A and C.
    const op = await queueBatch(b, { action: 'tag', tagIds: [tagIds.批标], selection: { externalUserids: customers.slice(0, 150) } });
    await until(
      'the batch queued on B',
      () => operationRow(op).then((r) => r.status),
      (s) => s === 'succeeded',
    );
    expect(
      await until(
        '150 marks of a batch, counted on A, B, C',
        () => countsEverywhere('tag:批标'),
        (n) => n.every((x) => x === 150),
      ),
    ).toEqual([150, 150, 150]);
    // And an untag on C.
    const untag = await call(c, 'POST', `/customers/${customers[0]}/follows/${seller}/tags`, { remove: [tagIds.批标] });
    expect(untag.status, JSON.stringify(untag.body)).toBeLessThan(300);
    await until(
      'an untag on C, counted on A, B, C',
      () => countsEverywhere('tag:批标'),
      (n) => n.every((x) => x === 149),
    );
    expect(await countOn(a, 'tag:批标 and tag:点标')).toBe(0);
  }, 180_000);

  it('runs each batch job exactly once, whichever process queued it and however many workers poll', async () => {
    const queued = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) =>
        queueBatch(servers[i % 3]!, { action: 'tag', tagIds: [tagIds[`批次${i}`]], selection: { externalUserids: customers.slice(200 * i, 200 * i + 300) } }),
      ),
    );
    for (const op of queued)
      await until(
        `batch ${op}`,
        () => operationRow(op).then((r) => r.status),
        (s) => s === 'succeeded',
      );
    for (const op of queued) {
      expect(await operationRow(op)).toMatchObject({ status: 'succeeded', attempts: 1, done: 300, result: { added: 300, removed: 0 } });
      expect(await marksOf(op)).toBe(300);
      expect(await journalOf(op)).toBe(300);
      expect(await appliedEventsOf(op)).toBe(1);
    }
    for (let i = 1; i <= 6; i += 1)
      await until(
        `批次${i} on A, B, C`,
        () => countsEverywhere(`tag:批次${i}`),
        (n) => n.every((x) => x === 300),
      );
  }, 180_000);

  it('runs each due time of a scheduled rule exactly once although three rule engines look every 500 ms', async () => {
    const [a] = servers as [Server];
    // Every 2 seconds, tag the customers carrying 点标 (one) with 定时标.
    const created = await call(a, 'POST', '/rules', {
      name: '每两秒',
      definition: {
        trigger: { kind: 'schedule', cron: '*/2 * * * * *' },
        conditions: { audience: { expression: { tag: tagIds.点标 } } },
        actions: [{ kind: 'add', tagIds: [tagIds.定时标] }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ruleId = created.body.ruleId as string;
    const runsOf = () =>
      queryRows<{ due_at: string; n: number; applied: number }>(
        database.db,
        sql`select due_at::text, count(*)::int as n, count(*) filter (where status = 'applied')::int as applied
            from rule_runs where corp_id = ${corpId} and rule_id = ${ruleId} group by due_at order by due_at`,
      );
    // Several due times go by, each looked at by all three processes.
    await until('three scheduled runs', runsOf, (rows) => rows.length >= 3);
    const removed = await call(a, 'DELETE', `/rules/${ruleId}`);
    expect(removed.status, JSON.stringify(removed.body)).toBeLessThan(300);
    const rows = await runsOf();
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    // The first run tagged the one customer; the later ones found nothing to do.
    expect(rows.reduce((sum, r) => sum + r.applied, 0)).toBe(1);
    const ruleMarks = await database.db
      .select({ n: count() })
      .from(marks)
      .where(and(eq(marks.corpId, corpId), eq(marks.tagId, tagIds.定时标!)));
    expect(ruleMarks[0]!.n).toBe(1);
    await until(
      'the rule’s mark on A, B, C',
      () => countsEverywhere('tag:定时标'),
      (n) => n.every((x) => x === 1),
    );
  }, 180_000);

  it('sends each delivery of a due Moments post exactly once although three dispatchers poll every 500 ms', async () => {
    const [a, b] = servers as [Server, Server];
    // Quiet hours far from now (Asia/Shanghai), so that the post goes out at once whenever the test runs.
    const hour = (new Date().getUTCHours() + 8 + 6) % 24;
    const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const settings = await call(a, 'PATCH', '/settings', { moments: { quietHours: { start: hh(hour), end: hh(hour + 1) } } }, null);
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const created = await call(b, 'POST', '/moments', { text: '多进程新品', audience: { include: { text: 'tag:批次2' } }, schedule: { mode: 'now' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const momentId = created.body.momentId as string;
    const deliveries = () =>
      queryRows<{ status: string; n: number }>(
        database.db,
        sql`select status, count(*)::int as n from moment_deliveries where corp_id = ${corpId} and moment_id = ${momentId} group by status order by status`,
      );
    expect(await until('the post’s deliveries sent', deliveries, (rows) => rows.length === 1 && rows[0]!.status === 'sent')).toEqual([
      { status: 'sent', n: 300 },
    ]);
    // Each delivery was sent by one dispatcher: the dispatch records add up to the audience, not more.
    const dispatched = await database.db
      .select({ payload: events.payload })
      .from(events)
      .where(and(eq(events.corpId, corpId), eq(events.subjectId, momentId), eq(events.type, 'moment.dispatched')));
    expect(dispatched.reduce((n, e) => n + (e.payload as { sent: number }).sent, 0)).toBe(300);
    const shown = await until(
      'the post as sent, on every process',
      () => Promise.all(servers.map((s) => call(s, 'GET', `/moments/${momentId}`))),
      (r) => r.every((x) => x.body?.status === 'sent'),
    );
    expect(shown.map((r) => r.body.deliveries.sent)).toEqual([300, 300, 300]);
  }, 180_000);

  it('hands a batch whose process was SIGKILLed mid-run to another, which applies it exactly once', async () => {
    const op = await queueBatch(servers[0]!, { action: 'tag', tagIds: [tagIds.杀标], selection: { text: 'not tag:杀标' } });
    // Whichever process claimed it prints its progress: kill that one mid-run (the batch is one transaction).
    const progress = new RegExp(`progress ${op} ([1-9]\\d{2,})`);
    const victim = await Promise.any(servers.map((s) => s.waitFor(progress).then(() => s)));
    victim.proc.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const survivors = servers.filter((s) => s !== victim);
    // Nothing of the killed run committed.
    expect(await marksOf(op)).toBe(0);
    // Once its heartbeat is stale, a survivor requeues it and one of them runs it to the end.
    const done = await until(
      'the killed batch',
      () => operationRow(op),
      (r) => r.status === 'succeeded' || r.status === 'failed',
      120_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, done: customerCount, result: { added: customerCount, removed: 0 } });
    expect(await marksOf(op)).toBe(customerCount);
    expect(await journalOf(op)).toBe(customerCount);
    expect(await appliedEventsOf(op)).toBe(1);
    expect(survivors.some((s) => progress.test(s.stdout()))).toBe(true);
    await until(
      'the batch on the survivors',
      () => Promise.all(survivors.map((s) => countOn(s, 'tag:杀标'))),
      (n) => n.every((x) => x === customerCount),
    );
    // The survivors still agree on what came before.
    expect(await Promise.all(survivors.map((s) => countOn(s, 'tag:批次3')))).toEqual([300, 300]);
  }, 240_000);
});
