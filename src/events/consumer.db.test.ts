import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { systemContext, withTx } from '../context.js';
import { type Db, queryRows } from '../db/client.js';
import { describeDb } from '../test/db.js';
import { buildCorp } from '../test/factories.js';
import { type ConsumerDefinition, DurableConsumer } from './consumer.js';
import { EventConsumers } from './consumers.js';
import { recordEvent } from './record.js';

/** Appends `n` events to the corp, each in its own transaction; returns their seqs. */
async function append(db: Db, corpId: string, n: number): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < n; i += 1) {
    seqs.push(
      await withTx(systemContext(db, corpId), (tx) =>
        recordEvent(tx, { type: 'corp.settings_changed', subjectType: 'corp', subjectId: corpId, payload: { i } }),
      ),
    );
  }
  return seqs;
}

/** Every seq the named consumer's handler committed, in the order committed (duplicates kept). */
async function tally(db: Db, name: string): Promise<number[]> {
  const rows = await queryRows<{ seq: number | string }>(db, sql`select seq from consumer_tally where consumer = ${name} order by n`);
  return rows.map((r) => Number(r.seq));
}

/** A consumer that writes one tally row per event in its own transaction (a db-writing consumer). */
function tallying(name: string, extra: Partial<ConsumerDefinition> = {}): ConsumerDefinition {
  return {
    name,
    handle: async (ctx, events) => {
      for (const e of events) await ctx.tx.execute(sql`insert into consumer_tally (consumer, seq) values (${name}, ${e.seq})`);
    },
    ...extra,
  };
}

const corpEvents = async (db: Db, corpId: string, actor?: string) =>
  (
    await queryRows<{ seq: number | string }>(
      db,
      sql`select seq from events where corp_id = ${corpId} and (${actor ?? null}::text is null or actor = ${actor ?? null}) order by seq`,
    )
  ).map((r) => Number(r.seq));

describeDb('durable event consumers', (db) => {
  const running: { stop: () => Promise<void> }[] = [];
  beforeAll(async () => {
    await db().db.execute(sql`create table consumer_tally (n bigserial primary key, consumer text not null, seq bigint not null)`);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  it('resumes after a restart from its stored cursor, missing nothing and applying nothing twice', async () => {
    const { corpId } = await buildCorp(db().db);
    const before = await append(db().db, corpId, 2); // committed before the consumer first ran: not its business
    let failOn: number | null = null;
    const def = tallying('resume', {
      batchSize: 2,
      handle: async (ctx, events) => {
        for (const e of events) {
          if (e.seq === failOn) throw new Error('crash in the middle of a page');
          await ctx.tx.execute(sql`insert into consumer_tally (consumer, seq) values ('resume', ${e.seq})`);
        }
      },
    });
    const first = new DurableConsumer(db().db, def);
    await first.poll(corpId); // creates the cursor: from now on
    const early = await append(db().db, corpId, 3);
    await first.poll(corpId);
    expect(await tally(db().db, 'resume')).toEqual(early);

    // Five more; the consumer dies on the fourth: pages [1,2] commit, page [3,4] rolls back whole.
    const later = await append(db().db, corpId, 5);
    failOn = later[3]!;
    await expect(first.poll(corpId)).rejects.toThrow('crash in the middle of a page');
    await first.stop();
    expect(await tally(db().db, 'resume')).toEqual([...early, ...later.slice(0, 2)]);
    const [stored] = await queryRows<{ snapshot: string | null }>(
      db().db,
      sql`select snapshot from event_consumers where name = 'resume' and corp_id = ${corpId}`,
    );
    expect(stored?.snapshot).not.toBeNull(); // it stopped inside a snapshot, and resumes inside it

    const afterStop = await append(db().db, corpId, 2);
    failOn = null;
    const second = new DurableConsumer(db().db, def);
    running.push(second);
    await second.poll(corpId);
    const seen = await tally(db().db, 'resume');
    expect(seen).toEqual([...early, ...later, ...afterStop]);
    expect(seen).not.toContain(before[0]);
    await second.poll(corpId);
    expect(await tally(db().db, 'resume')).toEqual(seen);
  });

  it('hands over only the types asked for, and from the beginning when asked', async () => {
    const { corpId } = await buildCorp(db().db);
    await append(db().db, corpId, 2);
    const consumer = new DurableConsumer(db().db, tallying('history', { startAt: 'beginning', types: ['corp.settings_changed'] }));
    running.push(consumer);
    await consumer.poll(corpId);
    const all = await queryRows<{ seq: number | string }>(
      db().db,
      sql`select seq from events where corp_id = ${corpId} and type = 'corp.settings_changed' order by txid, seq`,
    );
    expect(await tally(db().db, 'history')).toEqual(all.map((r) => Number(r.seq)));
    expect(all.length).toBe(2);
  });

  it('reads its own writes back as events in a later poll, once', async () => {
    const { corpId } = await buildCorp(db().db);
    const name = 'echo';
    const consumer = new DurableConsumer(db().db, {
      name,
      handle: async (ctx, events) => {
        for (const e of events) {
          await ctx.tx.execute(sql`insert into consumer_tally (consumer, seq) values (${name}, ${e.seq})`);
          // React to others' events only: the consumer's own come back too.
          if (e.actor !== `system:${name}`)
            await recordEvent(ctx, { type: 'corp.settings_changed', subjectType: 'corp', subjectId: corpId, payload: { echo: e.seq } });
        }
      },
    });
    running.push(consumer);
    await consumer.poll(corpId);
    const outside = await append(db().db, corpId, 2);
    await consumer.poll(corpId);
    await consumer.poll(corpId);
    const own = await corpEvents(db().db, corpId, `system:${name}`);
    expect(own).toHaveLength(2);
    expect([...(await tally(db().db, name))].sort((a, b) => a - b)).toEqual([...outside, ...own].sort((a, b) => a - b));
  });

  it('lets only one of two processes apply each event (advisory claim per consumer and corp)', async ({ skip }) => {
    if (db().kind !== 'postgres') skip('needs concurrent transactions (a PostgreSQL server); PGlite runs one transaction at a time');
    const { corpId } = await buildCorp(db().db);
    const def = tallying('pair', { batchSize: 3 });
    const slow: ConsumerDefinition = {
      ...def,
      handle: async (ctx, events) => {
        await def.handle(ctx, events);
        await new Promise((resolve) => setTimeout(resolve, 5)); // hold the claim a little so the other process collides
      },
    };
    const [a, b] = [new DurableConsumer(db().db, slow), new DurableConsumer(db().db, slow)];
    running.push(a, b);
    await a.poll(corpId);
    const seqs: number[] = [];
    const writer = (async () => {
      for (let i = 0; i < 10; i += 1) seqs.push(...(await append(db().db, corpId, 4)));
    })();
    let done = false;
    void writer.finally(() => (done = true));
    while (!done) await Promise.all([a.poll(corpId), b.poll(corpId)]);
    await writer;
    await a.poll(corpId);
    await b.poll(corpId);
    const seen = await tally(db().db, 'pair');
    expect(a.claimsMissed + b.claimsMissed).toBeGreaterThan(0); // they did collide
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((x, y) => x - y)).toEqual(seqs);
  });

  it('is woken by NOTIFY through the registry, without its timer', async () => {
    const { corpId } = await buildCorp(db().db);
    const consumers = new EventConsumers(db().db, { listen: db().listen, pollMs: 3_600_000 });
    running.push(consumers);
    const consumer = consumers.register(tallying('woken'));
    await consumers.start();
    await consumer.poll(corpId);
    const seqs = await append(db().db, corpId, 1);
    const started = Date.now();
    while ((await tally(db().db, 'woken')).length === 0 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await tally(db().db, 'woken')).toEqual(seqs);
  });
});
