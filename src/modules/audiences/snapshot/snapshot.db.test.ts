import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import { type Db, queryRows } from '../../../db/client.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp } from '../../../test/factories.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { bulkMark } from '../../customers/commands/bulk-mark.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { indexOp, runIndexOp, setupIndexCorp } from '../index/commands.test-support.js';
import { buildCorpIndex, type CorpIndex, tagBitmap } from '../index/corp-index.js';
import { randomCorpArbitrary, seedRandomCorp } from '../index/random-corp.test-support.js';
import { EventTail } from '../index/tail.js';
import { indexSnapshot, sqlTruth } from '../index/test-support.js';
import { AudienceEngine } from '../service/engine.js';
import { captureIndex, decodeIndex, SnapshotUnreadable, snapshotFormat } from './codec.js';
import { type RestoreOptions, restoreCorpIndex } from './restore.js';
import { readBody, readHeader, writeSnapshot } from './store.js';

/** Everything the index holds, chats included (which `indexSnapshot` leaves out), as plain data. */
async function content(db: Db, index: CorpIndex) {
  const chatIds = new Map([...index.chatLabels].map(([id, label]) => [label, id]));
  return {
    ...(await indexSnapshot(db, index)),
    chats: index.chats.labelledEntries().map(([seq, t, label]) => [seq, t, chatIds.get(label)]),
    departments: [...index.departments].sort(([a], [b]) => a - b),
  };
}

/** Loads the corp's snapshot and tails it to now, as a starting server does. */
async function restoreAndTail(db: Db, corpId: string, opts: RestoreOptions = {}) {
  const restored = await restoreCorpIndex(db, corpId, opts);
  await new EventTail(db, restored.index, { batchSize: 7 }).poll();
  return restored;
}

async function save(db: Db, index: CorpIndex, partBytes?: number) {
  return writeSnapshot(db, captureIndex(index), snapshotFormat, { partBytes });
}

describeDb('audience index snapshots', (db) => {
  it('a snapshot plus the events after it equals a fresh build, after any commands, also when taken while others commit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(indexOp, { minLength: 4, maxLength: 30 }),
        fc.nat(30),
        fc.array(indexOp, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(64, 1024, undefined),
        async (ops, at, during, partBytes) => {
          const corp = await setupIndexCorp(db().db);
          const { corpId } = corp.f;
          const index = await buildCorpIndex(db().db, corpId);
          const tail = new EventTail(db().db, index, { batchSize: 5, checkpointEveryMs: 0 });
          const snapshotAt = at % (ops.length + 1);
          for (const [i, o] of [...ops, null].entries()) {
            if (i === snapshotAt) {
              // The snapshot is taken while more commands commit: polls, the capture and the write
              // interleave with their transactions (truly at once on a PostgreSQL server).
              const commands = (async () => {
                for (const d of during) if (d.kind !== 'poll') await runIndexOp(db().db, corp, d);
              })();
              await tail.poll();
              await save(db().db, index, partBytes);
              await commands;
            }
            if (!o) break;
            if (o.kind === 'poll') await tail.poll();
            else await runIndexOp(db().db, corp, o);
          }
          const restored = await restoreAndTail(db().db, corpId);
          expect(restored.path).toBe('snapshot');
          const fresh = await buildCorpIndex(db().db, corpId);
          const want = await content(db().db, fresh);
          expect(await content(db().db, restored.index)).toEqual(want);
          expect(await indexSnapshot(db().db, restored.index)).toEqual(await sqlTruth(db().db, corpId));
          expect(restored.index.universe.size).toBe(fresh.universe.size);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('restores every bitmap, time column, interned target and chat of a random corp exactly', async () => {
    await fc.assert(
      fc.asyncProperty(randomCorpArbitrary(40), fc.integer({ min: 1, max: 3 }), async (data, pageSize) => {
        const { corpId } = await buildCorp(db().db);
        await seedRandomCorp(db().db, corpId, data);
        // Small pages: columns merged from several runs, targets and chats interned across them.
        const built = await buildCorpIndex(db().db, corpId, { pageSize: pageSize * 7 });
        await save(db().db, built, 512);
        const restored = await restoreCorpIndex(db().db, corpId);
        expect(restored.path).toBe('snapshot');
        expect(await content(db().db, restored.index)).toEqual(await content(db().db, built));
        expect(restored.index.cursor).toEqual(built.cursor);
        expect(restored.index.stats.bitmapBytes).toBe(built.stats.bitmapBytes);
      }),
      { numRuns: 20 },
    );
  });

  it('takes in a transaction that was still open when the snapshot was taken', async ({ skip }) => {
    if (db().kind !== 'postgres') skip('needs two concurrent transactions (a PostgreSQL server)');
    const f = await buildRegionalCorp(db().db);
    const [a] = f.grade.tags.map((t) => t.tagId) as [string];
    const index = await buildCorpIndex(db().db, f.corpId);
    let release!: () => void;
    const mayCommit = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const open = withTx(f.ctx, async (tx) => {
      await bulkMark(tx, [{ userid: f.people.shStaff, externalUserid: f.shCustomer, tagId: a }]);
      wrote();
      await mayCommit;
    });
    try {
      await written;
      // A younger transaction completes first: the open one lies below the poll's xmax, pending.
      await db().db.execute(sql`select pg_current_xact_id()`);
      await new EventTail(db().db, index).poll();
      expect(index.cursor.pending.length).toBeGreaterThan(0);
      expect(tagBitmap(index, a).size).toBe(0);
      await save(db().db, index);
    } finally {
      release();
      await open;
    }
    const restored = await restoreAndTail(db().db, f.corpId);
    expect(restored.path).toBe('snapshot');
    expect(tagBitmap(restored.index, a).size).toBe(1);
    expect(await indexSnapshot(db().db, restored.index)).toEqual(await sqlTruth(db().db, f.corpId));
  });

  it('builds afresh, and says why, when the snapshot is missing, damaged, of another format, from before a migration or stale', async () => {
    const f = await buildRegionalCorp(db().db);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: f.shCustomer, add: [a] });
    const want = async () => content(db().db, await buildCorpIndex(db().db, f.corpId));
    const expectPath = async (path: string, opts: RestoreOptions = {}) => {
      const restored = await restoreAndTail(db().db, f.corpId, opts);
      expect(restored.path).toBe(path);
      expect(await content(db().db, restored.index)).toEqual(await want());
    };
    const fresh = async (partBytes = 256) => {
      const index = await buildCorpIndex(db().db, f.corpId);
      return save(db().db, index, partBytes);
    };
    const edit = (change: ReturnType<typeof sql>) => db().db.execute(sql`update index_snapshots set ${change} where corp_id = ${f.corpId}`);

    await expectPath('missing');
    const written = await fresh();
    expect(written.parts).toBeGreaterThan(1);
    // A change after the snapshot is tailed in.
    await markTags(f.ctx, { userid: f.people.bjStaff, externalUserid: f.bjCustomer, add: [b] });
    await expectPath('snapshot');

    // One byte flipped in the middle of a part.
    await db().db.execute(sql`update index_snapshots set body = set_byte(body, 40, (get_byte(body, 40) + 1) % 256) where corp_id = ${f.corpId} and part = 1`);
    await expectPath('corrupt');
    await fresh();
    await db().db.execute(sql`update index_snapshots set body = substring(body from 1 for 10) where corp_id = ${f.corpId} and part = 0`);
    await expectPath('corrupt');
    await fresh();
    await db().db.execute(sql`delete from index_snapshots where corp_id = ${f.corpId} and part = 1`);
    await expectPath('corrupt');

    await fresh();
    await edit(sql`format = ${snapshotFormat + 1}`);
    await expectPath('format');
    await fresh();
    await edit(sql`schema_mark = schema_mark - 1`);
    await expectPath('schema');
    await fresh();
    await edit(sql`taken_at = now() - interval '400 days'`);
    await expectPath('stale');
    await fresh();
    await markTags(f.ctx, { userid: f.people.bjStaff, externalUserid: f.bjCustomer, remove: [b] });
    await expectPath('stale', { maxTailEvents: 0 });
    await fresh();
    // A cursor from a database further along than this one (a snapshot copied from elsewhere).
    await edit(sql`cursor = jsonb_set(cursor, '{xmax}', '"999999999999"')`);
    // The header cursor is what is checked before the body is read.
    await expectPath('stale');
  });

  it('refuses a body of another format or another corp even when its checksum holds', async () => {
    const f = await buildRegionalCorp(db().db);
    const captured = captureIndex(await buildCorpIndex(db().db, f.corpId));
    const body = Buffer.concat(captured.parts);
    expect(decodeIndex(body, f.corpId).universe.size).toBeGreaterThan(0);
    const other = Buffer.from(body);
    other.writeUInt32LE(snapshotFormat + 1, 4);
    expect(() => decodeIndex(other, f.corpId)).toThrow(SnapshotUnreadable);
    expect(() => decodeIndex(body, 'another-corp')).toThrow(/another corp/);
    expect(() => decodeIndex(body.subarray(0, body.byteLength - 9), f.corpId)).toThrow(SnapshotUnreadable);
    expect(() => decodeIndex(Buffer.from('not a snapshot at all'), f.corpId)).toThrow(SnapshotUnreadable);
  });

  it('the engine saves its indexes at stop and the next one starts from them, tailing what committed in between', async () => {
    const f = await buildRegionalCorp(db().db);
    const [a] = f.grade.tags.map((t) => t.tagId) as [string];
    const logs: Record<string, unknown>[] = [];
    const log = (fields: Record<string, unknown>) => void logs.push(fields);
    const first = new AudienceEngine(db().db, { snapshots: {}, log });
    await first.current(f.corpId);
    await first.stop();
    expect(logs.map((l) => l.path)).toEqual(['missing']);
    const header = await readHeader(db().db, f.corpId);
    expect(header?.format).toBe(snapshotFormat);
    expect(await readBody(db().db, f.corpId, header!)).not.toBeNull();
    // A change while no server runs.
    await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: f.shCustomer, add: [a] });
    const second = new AudienceEngine(db().db, { snapshots: {}, log });
    const index = await second.current(f.corpId);
    expect(logs.map((l) => l.path)).toEqual(['missing', 'snapshot']);
    expect(JSON.stringify(logs)).not.toContain(f.shCustomer);
    expect(tagBitmap(index, a).size).toBe(1);
    expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
    await second.stop();
    // A snapshot over the engine's size cap is not written: the one saved before stays.
    const before = (await readHeader(db().db, f.corpId))?.checksum;
    expect(before).toBeDefined();
    const capped = new AudienceEngine(db().db, { snapshots: { maxBytes: 16 }, log });
    await capped.current(f.corpId);
    await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: f.shCustomer, remove: [a] });
    await capped.current(f.corpId);
    await capped.stop();
    expect(logs.at(-1)).toMatchObject({ corpId: f.corpId, maxBytes: 16 });
    expect((await readHeader(db().db, f.corpId))?.checksum).toBe(before);
    // An engine without snapshots neither reads nor writes them.
    const rows = await queryRows<{ taken: string }>(db().db, sql`select taken_at::text as taken from index_snapshots where corp_id = ${f.corpId} and part = 0`);
    const plain = new AudienceEngine(db().db);
    await plain.current(f.corpId);
    await plain.stop();
    expect(await queryRows(db().db, sql`select taken_at::text as taken from index_snapshots where corp_id = ${f.corpId} and part = 0`)).toEqual(rows);
  });
});
