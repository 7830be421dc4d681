import { sql } from 'drizzle-orm';
import { type Ctx, reader, type TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';

/** How far back interactions tell a customer's active hour. */
export const activeHourWindowDays = 60;

/**
 * Each customer's active hour (Asia/Shanghai) by seq: the hour they most often viewed or liked a
 * post over the 60 days before `now`, the earliest hour on a tie. Customers without such facts are
 * absent (they get the corp's fallback hour). One grouped query over the facts.
 */
export async function activeHours(ctx: Ctx | TxCtx, now: Date): Promise<Map<number, number>> {
  const since = new Date(now.getTime() - activeHourWindowDays * 86_400_000);
  const rows = await queryRows<{ seq: number | string; hour: number }>(
    reader(ctx),
    sql`
    select distinct on (c.seq) c.seq, h.hour from (
      select external_userid, extract(hour from occurred_at at time zone 'Asia/Shanghai')::int as hour, count(*) as n
      from customer_events
      where corp_id = ${ctx.corpId} and type in ('moment.viewed', 'moment.liked')
        and occurred_at >= ${since.toISOString()}::timestamptz and occurred_at < ${now.toISOString()}::timestamptz
      group by 1, 2
    ) h join customers c on c.corp_id = ${ctx.corpId} and c.external_userid = h.external_userid
    order by c.seq, h.n desc, h.hour asc`,
  );
  return new Map(rows.map((r) => [Number(r.seq), r.hour]));
}
