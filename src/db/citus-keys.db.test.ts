import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../test/db.js';
import { queryRows } from './client.js';

// The path past one database (docs/deploy.md): Citus distributes every table by corp_id, which it
// can only do when each primary key and unique constraint contains corp_id, and which only pays
// when each index leads with it (a corp's query then runs on one shard). This test lists every key
// and index of the migrated schema and fails on one that does not lead with corp_id, unless it is
// allowlisted here with the reason Citus can keep it.

/**
 * Tables Citus would keep as REFERENCE tables (a copy on every node, so any unique key works): small,
 * and read by a secret or id that names no corp, before the corp is known. Their foreign keys may
 * only point at other reference tables (checked below).
 */
const referenceTables: Record<string, string> = {
  corps: 'one row per corp (10k rows at 10k corps); every distributed table’s corp_id references it',
  apps: 'a few rows per corp; a native-API bearer secret names no corp, so its hash alone finds the app',
  access_tokens: 'a /cgi-bin access_token names no corp: the token hash alone finds its corp',
  sessions: 'a console session cookie names no corp: the token hash alone finds its corp',
  webhook_sources: 'a few rows per corp; POST /hooks/:sourceId names no corp, so the source id alone finds it',
};

/** Indexes of DISTRIBUTED tables that may lead with another column, each with why Citus can keep it. */
const indexAllowlist: Record<string, string> = {
  events_payload_idx:
    'GIN over the payload (jsonb_path_ops) cannot lead with a text column; it is not unique, Citus builds it on every shard, and the audit queries that use it also filter by corp_id',
};

type IndexRow = { table_name: string; index_name: string; first_column: string | null; is_unique: boolean; is_primary: boolean };

async function indexes(db: Parameters<typeof queryRows>[0]): Promise<IndexRow[]> {
  return queryRows<IndexRow>(
    db,
    sql`
    select t.relname as table_name, c.relname as index_name, a.attname as first_column,
           i.indisunique as is_unique, i.indisprimary as is_primary
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    left join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
    where n.nspname = 'public' and t.relkind in ('r', 'p')
    order by 1, 2`,
  );
}

describeDb('Citus keys: every key and index leads with corp_id', (db) => {
  it('lists no primary key, unique constraint or index whose first column is not corp_id, beyond the allowlist', async () => {
    const rows = await indexes(db().db);
    // The catalog query sees the schema: dozens of tables, each with at least its primary key.
    expect(rows.length).toBeGreaterThan(60);
    const offenders = rows
      .filter((r) => r.first_column !== 'corp_id')
      .filter((r) => !(r.table_name in referenceTables) && !(r.index_name in indexAllowlist))
      .map((r) => `${r.table_name}.${r.index_name} (first column ${r.first_column ?? 'an expression'}${r.is_unique ? ', unique' : ''})`);
    expect(offenders).toEqual([]);
    // An allowlist entry that no longer matches anything is stale: keep the list honest.
    const names = new Set(rows.map((r) => r.index_name));
    const tables = new Set(rows.map((r) => r.table_name));
    expect(Object.keys(indexAllowlist).filter((n) => !names.has(n))).toEqual([]);
    expect(Object.keys(referenceTables).filter((t) => !tables.has(t))).toEqual([]);
  });

  it('gives every distributed table a corp_id column and a primary key', async () => {
    const tables = await queryRows<{ table_name: string; has_corp: boolean; has_pk: boolean }>(
      db().db,
      sql`
      select t.relname as table_name,
             exists (select 1 from pg_attribute a where a.attrelid = t.oid and a.attname = 'corp_id' and not a.attisdropped) as has_corp,
             exists (select 1 from pg_index i where i.indrelid = t.oid and i.indisprimary) as has_pk
      from pg_class t join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and t.relkind in ('r', 'p')
      order by 1`,
    );
    expect(tables.length).toBeGreaterThan(30);
    const missing = tables.filter((t) => !(t.table_name in referenceTables) && (!t.has_corp || !t.has_pk)).map((t) => t.table_name);
    expect(missing).toEqual([]);
  });

  it('names every table exactly once in docs/deploy.md’s Citus set-up, reference tables as the allowlist says', async () => {
    const doc = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    const setup = doc.slice(doc.indexOf('create extension citus'), doc.indexOf('What still needs work'));
    const [reference, distributed] = setup.split('-- every other table');
    const named = (text: string) => [...(text ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).filter((t) => t !== 'corp_id');
    const tables = await queryRows<{ name: string }>(
      db().db,
      sql`select t.relname as name from pg_class t join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public' and t.relkind in ('r', 'p') order by 1`,
    );
    expect(named(reference!).sort()).toEqual(Object.keys(referenceTables).sort());
    expect([...new Set([...named(reference!), ...named(distributed!)])].sort()).toEqual(tables.map((t) => t.name).sort());
  });

  it('lets reference tables reference only reference tables (Citus refuses a reference → distributed foreign key)', async () => {
    const keys = await queryRows<{ from_table: string; to_table: string }>(
      db().db,
      sql`
      select f.relname as from_table, r.relname as to_table
      from pg_constraint k
      join pg_class f on f.oid = k.conrelid
      join pg_class r on r.oid = k.confrelid
      join pg_namespace n on n.oid = f.relnamespace
      where k.contype = 'f' and n.nspname = 'public'`,
    );
    expect(keys.length).toBeGreaterThan(0);
    const wrong = keys.filter((k) => k.from_table in referenceTables && !(k.to_table in referenceTables)).map((k) => `${k.from_table} → ${k.to_table}`);
    expect(wrong).toEqual([]);
    // Distributed → distributed keys must carry corp_id (co-located join on the shard key).
    const crossCorp = await queryRows<{ name: string }>(
      db().db,
      sql`
      select k.conname as name
      from pg_constraint k
      join pg_class f on f.oid = k.conrelid
      join pg_class r on r.oid = k.confrelid
      join pg_namespace n on n.oid = f.relnamespace
      join pg_attribute a on a.attrelid = f.oid and a.attnum = k.conkey[1]
      where k.contype = 'f' and n.nspname = 'public' and a.attname <> 'corp_id'`,
    );
    expect(crossCorp.map((k) => k.name).filter((n) => !Object.keys(referenceTables).some((t) => n.startsWith(`${t}_`)))).toEqual([]);
  });
});
