import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { queryRows } from '../../../db/client.js';
import { type Bitmap, bitmapOf } from '../../audiences/index/bitmaps.js';

/**
 * For each customer followed by two or more employees, their followers in the order a post picks
 * its sender: whoever chatted with the customer last, then the earliest to add them. A customer
 * with one follower needs no ranking: the index's follower bitmaps answer.
 */
export type SenderRanking = {
  ranked: Map<number, string[]>;
  /** Every customer with two or more followers (the keys of `ranked`). */
  shared: Bitmap;
  /** Per employee, the shared customers they come first for: assigned by bitmap arithmetic when that employee sends. */
  firstFor: Map<string, Bitmap>;
  loadedAt: number;
};

/** Reads the ranking from follows and message receipts in one statement. */
export async function loadSenderRanking(db: Db, corpId: string, now: Date): Promise<SenderRanking> {
  const rows = await queryRows<{ seq: string | number; userids: string[] }>(
    db,
    sql`with multi as (
          select external_userid from follows where corp_id = ${corpId} group by external_userid having count(*) > 1
        ), last_chat as (
          select r.external_userid, r.userid, max(r.sent_at) as at
          from message_receipts r join multi m on m.external_userid = r.external_userid
          where r.corp_id = ${corpId}
          group by r.external_userid, r.userid
        )
        select c.seq, array_agg(f.userid order by l.at desc nulls last, f.add_time, f.userid) as userids
        from follows f
        join multi m on m.external_userid = f.external_userid
        join customers c on c.corp_id = f.corp_id and c.external_userid = f.external_userid
        left join last_chat l on l.external_userid = f.external_userid and l.userid = f.userid
        where f.corp_id = ${corpId}
        group by c.seq`,
  );
  const ranked = new Map<number, string[]>();
  const first = new Map<string, number[]>();
  for (const r of rows) {
    const seq = Number(r.seq);
    ranked.set(seq, r.userids);
    const top = r.userids[0]!;
    let list = first.get(top);
    if (!list) first.set(top, (list = []));
    list.push(seq);
  }
  const firstFor = new Map([...first].map(([u, seqs]) => [u, bitmapOf(seqs)]));
  return { ranked, shared: bitmapOf(ranked.keys()), firstFor, loadedAt: now.getTime() };
}

const rankings = new WeakMap<Db, Map<string, Promise<SenderRanking>>>();
// A preview may use a ranking this old; scheduling asks for a fresh one.
const previewMaxAgeMs = 30_000;

/**
 * The corp's sender ranking: cached for previews (a chat a few seconds ago may not count yet),
 * read afresh when `fresh` (a post being scheduled picks its senders from current data).
 */
export async function senderRanking(db: Db, corpId: string, now: Date, fresh: boolean): Promise<SenderRanking> {
  let perDb = rankings.get(db);
  if (!perDb) {
    perDb = new Map();
    rankings.set(db, perDb);
  }
  const cached = perDb.get(corpId);
  if (cached && !fresh) {
    const ranking = await cached.catch(() => null);
    if (ranking && now.getTime() - ranking.loadedAt < previewMaxAgeMs) return ranking;
  }
  const loading = loadSenderRanking(db, corpId, now);
  perDb.set(corpId, loading);
  loading.catch(() => perDb.delete(corpId));
  return loading;
}
