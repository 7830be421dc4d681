import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { type Arrival, recordArrivals } from '../../contact-ways/record-arrivals.js';
import type { RelationArrays } from '../../marks/write-marks.js';
import { extendSmartTags } from '../../smart-groups/extend-smart-tags.js';

/** A follow relation to add to an existing customer. */
export type NewFollowOf = { externalUserid: string; userid: string; addTime?: Date; state?: string; remark?: string; addWay?: number; operUserid?: string };

/**
 * Adds follow relations to existing customers (imports; contact sync later), one `follow.created`
 * event per relation actually created so the audience index refreshes those customers. A relation
 * that already exists is left as it is. The customer's smart tags are put on its new relations.
 * A relation added with a contact way's `state` is recorded as an arrival through that way.
 * The caller checks that employees and customers exist.
 */
export async function addFollows(ctx: TxCtx, input: NewFollowOf[]): Promise<number> {
  const policy = await policyFor(ctx);
  for (const userid of new Set(input.map((f) => f.userid))) policy.authorize('customer.update', { type: 'follow', userid });
  const made: RelationArrays = { externalUserids: [], userids: [] };
  const arrivals: Arrival[] = [];
  for (let i = 0; i < input.length; i += 5000) {
    const chunk = input.slice(i, i + 5000);
    const now = new Date().toISOString();
    const rows = await queryRows<{ userid: string; external_userid: string; state: string; add_time: string | Date }>(
      ctx.tx,
      sql`
      insert into follows (corp_id, userid, external_userid, add_time, oper_userid, state, remark, add_way)
      select ${ctx.corpId}, f.userid, f.external_userid, f.add_time, f.oper_userid, f.state, f.remark, f.add_way
      from unnest(${sql.param(chunk.map((f) => f.userid))}::text[], ${sql.param(chunk.map((f) => f.externalUserid))}::text[], ${sql.param(chunk.map((f) => (f.addTime ?? new Date(now)).toISOString()))}::timestamptz[], ${sql.param(chunk.map((f) => f.state ?? ''))}::text[],
        ${sql.param(chunk.map((f) => f.operUserid ?? f.userid))}::text[], ${sql.param(chunk.map((f) => f.remark ?? ''))}::text[], ${sql.param(chunk.map((f) => f.addWay ?? 0))}::int[]) as f(userid, external_userid, add_time, state, oper_userid, remark, add_way)
      on conflict do nothing
      returning userid, external_userid, state, add_time`,
    );
    for (const row of rows) {
      await recordEvent(ctx, {
        type: 'follow.created',
        subjectType: 'follow',
        subjectId: `${row.userid}|${row.external_userid}`,
        after: { userid: row.userid, externalUserid: row.external_userid },
      });
    }
    arrivals.push(...rows.map((r): Arrival => ({ userid: r.userid, externalUserid: r.external_userid, state: r.state, addTime: new Date(r.add_time) })));
    made.externalUserids.push(...rows.map((r) => r.external_userid));
    made.userids.push(...rows.map((r) => r.userid));
  }
  await extendSmartTags(ctx, made);
  // After the smart tags: a relation added with a contact way's state gets its event and default tags.
  await recordArrivals(ctx, arrivals);
  return made.userids.length;
}
