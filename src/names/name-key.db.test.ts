import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { withTx } from '../context.js';
import { type Db, queryRows } from '../db/client.js';
import * as schema from '../db/schema/index.js';
import { addTags } from '../modules/tags/commands/add-tags.js';
import { dbKinds, describeDb, scratchPostgres } from '../test/db.js';
import { appCtx } from '../test/factories.js';
import { nameKey } from './name-policy.js';
import { nameLike } from './test-support.js';

const migrations = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** The SQL twin of `nameKey` on each string, in one round trip. */
async function sqlKeys(db: Db, names: string[]): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(
    db,
    sql`select tagloom_name_key(n) as key from unnest(${sql.param(names)}::text[]) with ordinality as u(n, i) order by i`,
  );
  return rows.map((r) => r.key);
}

describeDb('the migration’s SQL twin of nameKey', (db) => {
  it('gives every name, stored or not, the key the commands compute', async () => {
    // PostgreSQL text holds no NUL and no lone surrogate; no stored name has them.
    const storable = nameLike({ forbidden: true }).filter((s) => !/[\u0000\uD800-\uDFFF]/u.test(s));
    await fc.assert(
      fc.asyncProperty(fc.array(storable, { minLength: 1, maxLength: 60 }), async (names) => {
        expect(await sqlKeys(db().db, names)).toEqual(names.map(nameKey));
      }),
      { numRuns: 25 },
    );
  });
});

/** A migrations folder holding only the migrations before `name_keys`: the database as it was. */
function migrationsBeforeNameKeys(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tagloom-migrations-'));
  cpSync(migrations, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith('_name_keys'));
  for (const e of journal.entries.slice(at)) rmSync(join(dir, `${e.tag}.sql`));
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

/** A fresh database migrated from `folder`, and a way to run the rest of the migrations on it. */
async function openMigratedTo(kind: 'pglite' | 'postgres', folder: string) {
  if (kind === 'pglite') {
    const client = await PGlite.create('memory://');
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: folder });
    return { db: db as unknown as Db, migrateAll: () => migratePglite(db, { migrationsFolder: migrations }), close: () => client.close() };
  }
  const scratch = await scratchPostgres();
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  const db = drizzlePg(pool, { schema });
  await migratePg(db, { migrationsFolder: folder });
  return {
    db: db as unknown as Db,
    migrateAll: () => migratePg(db, { migrationsFolder: migrations }),
    close: async () => {
      await pool.end();
      await scratch.drop();
    },
  };
}

describe('migration 0009 (name keys) on a database with look-alike names', () => {
  const folder = migrationsBeforeNameKeys();
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  for (const kind of dbKinds) {
    it(`[${kind}] backfills every key, keeps earlier look-alikes apart without renaming them, and refuses new ones`, async () => {
      const { db, migrateAll, close } = await openMigratedTo(kind, folder);
      try {
        await db.execute(sql`insert into corps (corp_id, name) values ('wwold', '旧企业')`);
        await db.execute(sql`insert into tag_groups (corp_id, group_id, name, created_at) values
          ('wwold', 'g1', 'VIP客户', '2026-01-01'), ('wwold', 'g2', 'ＶＩＰ客户', '2026-01-02'), ('wwold', 'g3', '来源', '2026-01-03')`);
        await db.execute(sql`insert into tags (corp_id, tag_id, group_id, name, created_at, deleted_at) values
          ('wwold', 't1', 'g1', 'VIP', '2026-01-01', null), ('wwold', 't2', 'g1', ${'VIP\u200b'}, '2026-01-02', null),
          ('wwold', 't3', 'g1', 'vip', '2026-01-03', '2026-02-01'), ('wwold', 't4', 'g3', ${'cafe\u0301'}, '2026-01-01', null), ('wwold', 't5', 'g3', 'café', '2026-01-02', null)`);
        await db.execute(sql`insert into personal_tags (corp_id, tag_id, owner_userid, name, created_at) values
          ('wwold', 'p1', 'u1', '老朋友', '2026-01-01'), ('wwold', 'p2', 'u1', ${'老朋友\u3000'}, '2026-01-02'), ('wwold', 'p3', 'u2', '老朋友', '2026-01-03')`);
        await db.execute(sql`insert into audiences (corp_id, audience_id, name, expression, owner_userid, created_at) values
          ('wwold', 'a1', '高意向', '{"tag":"t1"}', 'u1', '2026-01-01'), ('wwold', 'a2', ${'高意向\u200b'}, '{"tag":"t1"}', 'u1', '2026-01-02')`);

        await migrateAll();

        const keys = async (table: string, id: string) =>
          Object.fromEntries(
            (
              await queryRows<{ id: string; key: string }>(
                db,
                sql`select ${sql.identifier(id)} as id, name_key as key from ${sql.identifier(table)} order by 1`,
              )
            ).map((r) => [r.id, r.key]),
          );
        expect(await keys('tag_groups', 'group_id')).toEqual({ g1: 'vip客户', g2: 'vip客户\u0001g2', g3: '来源' });
        expect(await keys('tags', 'tag_id')).toEqual({ t1: 'vip', t2: 'vip\u0001t2', t3: 'vip', t4: 'café', t5: 'café\u0001t5' });
        expect(await keys('personal_tags', 'tag_id')).toEqual({ p1: '老朋友', p2: '老朋友\u0001p2', p3: '老朋友' });
        expect(await keys('audiences', 'audience_id')).toEqual({ a1: '高意向', a2: '高意向\u0001a2' });
        // Nothing was renamed.
        expect((await queryRows<{ name: string }>(db, sql`select name from tags where tag_id = 't2'`))[0]?.name).toBe('VIP\u200b');

        // A new look-alike is refused against the oldest spelling; the group is found by its key.
        const ctx = appCtx(db, 'wwold');
        await expect(withTx(ctx, (tx) => addTags(tx, { groupName: 'vip客户', tags: [{ name: 'ｖｉｐ' }], onExistingName: 'merge' }))).rejects.toMatchObject({
          code: 'name_taken',
        });
        const added = await withTx(ctx, (tx) => addTags(tx, { groupName: 'vip客户', tags: [{ name: '金卡' }], onExistingName: 'merge' }));
        expect(added.group.groupId).toBe('g1');
        await expect(
          db.execute(sql`insert into tags (corp_id, tag_id, group_id, name, name_key) values ('wwold', 't9', 'g1', 'Vip', 'vip')`),
        ).rejects.toThrow();
      } finally {
        await close();
      }
    });
  }
});
