import { sql } from 'drizzle-orm';
import { nameInitials } from '../names/name-initials.js';
import type { Db } from './client.js';

const batchSize = 1000;

/**
 * Fills `customers.name_initials` where it is null, in batches of 1,000, and says how many rows it
 * filled. A migration cannot run pinyin-pro, so the rows that existed before migration 0010 and
 * the rows whose name was changed outside addCustomers (its trigger clears their initials) are
 * filled here, by the server in the background after it starts (`tagloom serve`): a large corp's
 * first start after the upgrade is not held up, and until a row is filled its customer is still
 * found by name. With nothing to fill it is one probe of a partial index. Idempotent and safe
 * beside writers: a row whose name changed since it was read is left null for the next run rather
 * than given the old name's initials. `signal` stops it between batches (a graceful stop).
 */
export async function fillNameInitials(db: Db, opts: { signal?: AbortSignal } = {}): Promise<number> {
  let filled = 0;
  for (;;) {
    if (opts.signal?.aborted) return filled;
    const result = (await db.execute(sql`
      select corp_id, external_userid, name from customers where name_initials is null limit ${batchSize}`)) as unknown as {
      rows: { corp_id: string; external_userid: string; name: string }[];
    };
    const rows = result.rows;
    if (rows.length === 0) return filled;
    const updated = (await db.execute(sql`
      update customers c set name_initials = v.initials
      from unnest(${sql.param(rows.map((r) => r.corp_id))}::text[], ${sql.param(rows.map((r) => r.external_userid))}::text[],
                  ${sql.param(rows.map((r) => r.name))}::text[], ${sql.param(rows.map((r) => nameInitials(r.name)))}::text[]) as v(corp_id, external_userid, name, initials)
      where c.corp_id = v.corp_id and c.external_userid = v.external_userid and c.name = v.name and c.name_initials is null
      returning 1 as one`)) as unknown as { rows: unknown[] };
    filled += updated.rows.length;
    // A short batch was the last; a batch that filled nothing (every name changed meanwhile) stops
    // too rather than spin: the next open retries.
    if (rows.length < batchSize || updated.rows.length === 0) return filled;
  }
}
