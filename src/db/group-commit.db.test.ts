import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../test/db.js';
import { queryRows, type Tx } from './client.js';
import { GroupCommitter } from './group-commit.js';

// A table of the test's own: members insert one key each. A deferred constraint trigger refuses
// the key 'fails-at-commit' only when the transaction commits, which is how a group's commit fails.
const setup = [
  'create table group_probe (k text primary key)',
  `create function group_probe_refuse() returns trigger language plpgsql as $$
   begin
     if new.k = 'fails-at-commit' then raise exception 'refused at commit'; end if;
     return null;
   end $$`,
  `create constraint trigger group_probe_at_commit after insert on group_probe
   deferrable initially deferred for each row execute function group_probe_refuse()`,
];

const insert = (k: string) => ({
  key: k,
  run: async (tx: Tx) => (await queryRows<{ k: string }>(tx, sql`insert into group_probe (k) values (${k}) returning k`))[0]!.k,
});

describeDb('group commit', (db) => {
  beforeAll(async () => {
    for (const statement of setup) await db().db.execute(sql.raw(statement));
  });

  const keys = async () => (await queryRows<{ k: string }>(db().db, sql`select k from group_probe order by k`)).map((r) => r.k);

  it('applies members submitted together in one transaction, and a member that fails rolls back alone', async () => {
    await db().db.execute(sql`insert into group_probe (k) values ('taken')`);
    const committer = new GroupCommitter(db().db);
    const answers = await Promise.allSettled([insert('a1'), insert('taken'), insert('a2'), insert('a1')].map((m) => committer.submit(m)));

    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(answers.filter((a) => a.status === 'fulfilled').map((a) => a.value)).toEqual(['a1', 'a2']);
    // The second 'a1' ran after the first (equal keys keep their order) and met its row.
    for (const a of answers) if (a.status === 'rejected') expect(String((a.reason as Error).cause ?? a.reason)).toMatch(/duplicate key/);
    expect(await keys()).toEqual(['a1', 'a2', 'taken']);
    expect(committer.stats()).toEqual({ groups: 1, members: 4, retriedAlone: 0, queued: 0 });
  });

  it('runs every member again alone when the group cannot commit, so only the one at fault fails', async () => {
    const committer = new GroupCommitter(db().db);
    const answers = await Promise.allSettled([insert('b1'), insert('fails-at-commit'), insert('b2')].map((m) => committer.submit(m)));

    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String(((answers[1] as PromiseRejectedResult).reason as Error).cause ?? (answers[1] as PromiseRejectedResult).reason)).toMatch(/refused at commit/);
    expect((await keys()).filter((k) => k.startsWith('b') || k.startsWith('fails'))).toEqual(['b1', 'b2']);
    expect(committer.stats()).toEqual({ groups: 1, members: 3, retriedAlone: 3, queued: 0 });
  });

  it('lets a member submitted while a group commits join the next group, never a second group on the same key', async () => {
    const committer = new GroupCommitter(db().db, { maxInFlight: 3 });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held = committer.submit({
      key: 'c',
      run: async (tx) => {
        await gate;
        return (await queryRows<{ k: string }>(tx, sql`insert into group_probe (k) values ('c1') returning k`))[0]!.k;
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    // Same key as the held group: it waits for that group and sees its row, as serial execution would.
    const sameKey = committer.submit({
      key: 'c',
      run: async (tx) => (await queryRows<{ seen: boolean }>(tx, sql`select exists (select 1 from group_probe where k = 'c1') as seen`))[0]!.seen,
    });
    const others = [committer.submit(insert('d1')), committer.submit(insert('d2'))];
    // On a server other keys commit in a group of their own meanwhile; PGlite has one connection,
    // where the next group starts once the held one is done.
    if (db().kind === 'postgres') expect(await Promise.all(others)).toEqual(['d1', 'd2']);
    open();
    expect(await held).toBe('c1');
    expect(await sameKey).toBe(true);
    expect(await Promise.all(others)).toEqual(['d1', 'd2']);
    expect(committer.stats()).toMatchObject({ members: 4, retriedAlone: 0 });
  });
});
