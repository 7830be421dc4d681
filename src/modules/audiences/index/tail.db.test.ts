import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { describeDb } from '../../../test/db.js';
import { buildRegionalCorp } from '../../../test/org-fixture.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { indexOp, runIndexOp, setupIndexCorp } from './commands.test-support.js';
import { buildCorpIndex, tagBitmap } from './corp-index.js';
import { EventTail } from './tail.js';
import { indexSnapshot, sqlTruth } from './test-support.js';

describeDb('audience index tail', (db) => {
  it('after any sequence of commands and a poll, the index equals a fresh build and SQL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(indexOp, { minLength: 5, maxLength: 40 }), async (ops) => {
        const corp = await setupIndexCorp(db().db);
        const { f } = corp;
        const index = await buildCorpIndex(db().db, f.corpId);
        const tail = new EventTail(db().db, index, { batchSize: 3, checkpointEveryMs: 0 }); // tiny pages: polls page through the cursor
        for (const o of ops) {
          if (o.kind !== 'poll') {
            await runIndexOp(db().db, corp, o);
          } else {
            await tail.poll();
            expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
          }
        }
        await tail.poll();
        const truth = await sqlTruth(db().db, f.corpId);
        expect(await indexSnapshot(db().db, index)).toEqual(truth);
        expect(await indexSnapshot(db().db, await buildCorpIndex(db().db, f.corpId))).toEqual(truth);
      }),
      { numRuns: 20 },
    );
  });

  it('keeps a tag removed from one relation while another relation of the customer still carries it', async () => {
    const f = await buildRegionalCorp(db().db);
    const [shared] = await withTx(systemContext(db().db, f.corpId), (tx) =>
      addCustomers(tx, [{ name: '共享', follows: [{ userid: f.people.shStaff }, { userid: f.people.bjStaff }] }]),
    );
    const tag = f.grade.tags[0]!.tagId;
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index, { checkpointEveryMs: 0 });
    await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: shared!, add: [tag] });
    await markTags(f.ctx, { userid: f.people.bjStaff, externalUserid: shared!, add: [tag] });
    await markTags(f.ctx, { userid: f.people.shStaff, externalUserid: shared!, remove: [tag] });
    expect(await tail.poll()).toBe(3);
    expect(tagBitmap(index, tag).size).toBe(1);
    await markTags(f.ctx, { userid: f.people.bjStaff, externalUserid: shared!, remove: [tag] });
    expect(await tail.poll()).toBe(1);
    expect(tagBitmap(index, tag).size).toBe(0);
    // The next poll takes a checkpoint; once no transaction older than it is in flight, a poll
    // passes it and the scan floor rises to the corp's last event, so later polls read only newer
    // rows. On PostgreSQL "in flight" is server-wide (other test files' databases), hence the polls.
    expect(await tail.poll()).toBe(0);
    const [last] = await queryRows<{ seq: number }>(db().db, sql`select max(seq)::int4 as seq from events where corp_id = ${f.corpId}`);
    await vi.waitFor(
      async () => {
        expect(await tail.poll()).toBe(0);
        expect(tail.cursor.floor).toBe(Number(last!.seq));
      },
      { timeout: 20_000, interval: 20 },
    );
  });

  it('reads every event of a poll whose transaction ids cross a power of ten (999 → 1000)', async ({ skip }) => {
    const f = await buildRegionalCorp(db().db);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index, { batchSize: 2, checkpointEveryMs: 0 });
    // Each statement outside a transaction block burns one xid: walk up to just below the next power of ten.
    const burn = async () => BigInt((await queryRows<{ x: string }>(db().db, sql`select pg_current_xact_id()::text as x`))[0]!.x);
    let xid = await burn();
    const boundary = 10n ** BigInt(xid.toString().length);
    if (boundary - xid > 20_000n) skip(`the next power of ten is ${boundary - xid} xids away`);
    while (xid < boundary - 3n) xid = await burn();
    for (const [userid, externalUserid] of [
      [f.people.shStaff, f.shCustomer],
      [f.people.bjStaff, f.bjCustomer],
    ] as const) {
      for (const tag of [a, b]) await markTags(f.ctx, { userid, externalUserid, add: [tag] });
    }
    const [span] = await queryRows<{ lo: string; hi: string }>(
      db().db,
      sql`select min(txid)::text as lo, max(txid)::text as hi from events where corp_id = ${f.corpId} and type = 'follow.tags_changed'`,
    );
    expect(BigInt(span!.lo)).toBeLessThan(boundary);
    expect(BigInt(span!.hi)).toBeGreaterThanOrEqual(boundary);
    expect(await tail.poll()).toBe(4);
    expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
  });

  it('never skips an event whose transaction commits after a later seq was read', async ({ skip }) => {
    if (db().kind !== 'postgres') skip('needs two concurrent transactions (a PostgreSQL server)');
    const f = await buildRegionalCorp(db().db);
    const [a, b] = f.grade.tags.map((t) => t.tagId) as [string, string];
    const index = await buildCorpIndex(db().db, f.corpId);
    const tail = new EventTail(db().db, index, { checkpointEveryMs: 0 });
    const gate = () => {
      let open!: () => void;
      return { wait: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
    };
    const [bMayWrite, aMayCommit, aWrote, bHasXid] = [gate(), gate(), gate(), gate()];
    // B takes a txid first but writes its event last; A writes its (lower-seq) event and stays open.
    const txB = withTx(f.ctx, async (tx) => {
      await tx.tx.execute(sql`select pg_current_xact_id()`);
      bHasXid.open();
      await bMayWrite.wait;
      await markTags(tx, { userid: f.people.bjStaff, externalUserid: f.bjCustomer, add: [b] });
    });
    await bHasXid.wait;
    let aXid = 0n;
    const txA = withTx(f.ctx, async (tx) => {
      await markTags(tx, { userid: f.people.shStaff, externalUserid: f.shCustomer, add: [a] });
      const [row] = await queryRows<{ xid: string }>(tx.tx, sql`select pg_current_xact_id()::text as xid`);
      aXid = BigInt(row!.xid);
      aWrote.open();
      await aMayCommit.wait;
    });
    await aWrote.wait;
    // A transaction younger than A completes first, so the next snapshot's xmax lies above A's txid
    // and A is seen in progress below it (what `pending` is for), not merely at or above xmax.
    await db().db.execute(sql`select pg_current_xact_id()`);
    bMayWrite.open();
    await txB;
    await tail.poll(); // B's event (higher seq, lower txid) is readable; A's is still in flight
    expect(tagBitmap(index, b).size).toBe(1);
    expect(tagBitmap(index, a).size).toBe(0);
    // A is below the snapshot's xmax yet unsettled: the cursor keeps it pending, so the next poll
    // reads its event although a later seq (B's) has been applied.
    expect(tail.cursor.xmax).toBeGreaterThan(aXid);
    expect(tail.cursor.pending).toContain(aXid);
    aMayCommit.open();
    await txA;
    await tail.poll();
    expect(tagBitmap(index, a).size).toBe(1);
    expect(tail.cursor.pending).not.toContain(aXid);
    expect(await indexSnapshot(db().db, index)).toEqual(await sqlTruth(db().db, f.corpId));
  });
});
