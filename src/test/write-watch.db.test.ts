import { expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import { loginFailures } from '../db/schema/index.js';
import { createCorp } from '../modules/org/commands/create-corp.js';
import { describeDb } from './db.js';
import { unique } from './factories.js';
import { type Reading, readDatabase, writeWatch } from './write-watch.js';

const newCorp = (db: Db) => createCorp(db, { corpId: unique('ww'), name: '指纹测试企业' });

describeDb('writeWatch: the proof that a refused request wrote nothing', (db) => {
  it('finds no change while nothing is written, and reuses its reading', async () => {
    const watch = writeWatch(db().db);
    const before = await watch.before();
    expect(await watch.changedSince(before)).toEqual([]);
    // The snapshot is the whole server's: on PostgreSQL another database's transaction (CI runs
    // two test files at once) moves it too, and the watch then reads the tables again, as it should.
    if (db().kind === 'pglite') expect(await watch.before()).toBe(before);
  });

  it('names the tables a committed write changed, and reads afresh after it', async () => {
    const watch = writeWatch(db().db);
    const before = await watch.before();
    await newCorp(db().db);
    const changed = await watch.changedSince(before);
    expect(changed).toContain('corps');
    expect(changed).toContain('events');
    expect(await watch.before()).not.toBe(before);
  });

  it('ignores the tables written by design (failed logins), though the snapshot moved', async () => {
    const watch = writeWatch(db().db);
    const before = await watch.before();
    await db().db.insert(loginFailures).values({ corpId: 'ww-none', username: 'nobody', ip: '127.0.0.1' });
    expect((await readDatabase(db().db)).snapshot).not.toBe(before.snapshot);
    expect(await watch.changedSince(before)).toEqual([]);
  });

  it('sees a write whose transaction was open at the first reading and ended after a newer one', async (ctx) => {
    // Two connections at once: PostgreSQL only (PGlite has one). The open transaction's id is below
    // the newer one's, so its commit leaves the snapshot's xmax where it was: only the in-progress
    // list tells that it has ended.
    if (db().kind !== 'postgres') ctx.skip();
    const watch = writeWatch(db().db);
    let before: Reading | undefined;
    await db().db.transaction(async (tx) => {
      await newCorp(tx as unknown as Db);
      await newCorp(db().db);
      before = await watch.before();
    });
    expect(await watch.changedSince(before!)).toContain('corps');
  });
});
