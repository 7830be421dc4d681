import { sql } from 'drizzle-orm';
import { type Ctx, reader } from '../../../context.js';
import { queryRows } from '../../../db/client.js';

/** A matched customer as counts, samples and exports show it. */
export type AudienceCustomer = {
  seq: number;
  externalUserid: string;
  name: string;
  gender: number;
  province: string;
  city: string;
  corpName: string;
  followers: string[];
  tagIds: string[];
};

/**
 * Customers by index position, in seq order: one query for up to a few thousand, with their
 * followers and the tag ids on any of their relations (the caller filters tags to what it may show).
 */
export async function customersBySeq(ctx: Ctx, seqs: number[]): Promise<AudienceCustomer[]> {
  if (seqs.length === 0) return [];
  const rows = await queryRows<{
    seq: number;
    external_userid: string;
    name: string;
    gender: number;
    province: string;
    city: string;
    corp_name: string;
    followers: string[] | null;
    tag_ids: string[] | null;
  }>(
    reader(ctx),
    sql`
    select c.seq::int4 as seq, c.external_userid, c.name, c.gender, c.province, c.city, c.corp_name,
      (select array_agg(f.userid order by f.add_time, f.userid) from follows f where f.corp_id = c.corp_id and f.external_userid = c.external_userid) as followers,
      (select array_agg(distinct m.tag_id) from marks m where m.corp_id = c.corp_id and m.external_userid = c.external_userid) as tag_ids
    from customers c
    where c.corp_id = ${ctx.corpId} and c.seq = any(${sql.param(seqs)}::bigint[])
    order by c.seq`,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    externalUserid: r.external_userid,
    name: r.name,
    gender: Number(r.gender),
    province: r.province,
    city: r.city,
    corpName: r.corp_name,
    followers: r.followers ?? [],
    tagIds: r.tag_ids ?? [],
  }));
}
