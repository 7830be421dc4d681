import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { demoCorpId, seedDemoCorp } from './seed-demo.js';

const corpTables = [
  'archived_marks',
  'marks',
  'personal_tags',
  'tags',
  'tag_groups',
  'follows',
  'customers',
  'employees',
  'departments',
  'access_tokens',
  'apps',
  'events',
];

/**
 * Wipes the demo corp (and only it) and seeds it again. The wipe is one transaction, so a failed
 * reset leaves the old demo data in place.
 */
export async function resetDemoCorp(db: Db, opts: { secret?: string } = {}) {
  await db.transaction(async (tx) => {
    for (const table of corpTables) await tx.execute(sql`delete from ${sql.identifier(table)} where corp_id = ${demoCorpId}`);
    await tx.execute(sql`delete from corps where corp_id = ${demoCorpId}`);
  });
  return seedDemoCorp(db, opts);
}
