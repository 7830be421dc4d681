import { sql } from 'drizzle-orm';
import type { MomentVariant } from '../../../../contracts/moments.js';
import type { Db, Tx } from '../../../db/client.js';
import { queryRows } from '../../../db/client.js';

/** Days of Moments interactions a customer's active hour is learned from. */
export const activeHourDays = 60;

/**
 * Each customer's active hour (0–23, Asia/Shanghai): the hour they most often viewed or liked a
 * post in the last 60 days, ties to the earlier hour. Customers without such history are absent
 * (the corp's fallback hour applies to them).
 */
export async function loadActiveHours(db: Db | Tx, corpId: string, now: Date): Promise<Map<number, number>> {
  const since = new Date(now.getTime() - activeHourDays * 86_400_000);
  const rows = await queryRows<{ seqs: (string | number)[] | null; hours: number[] | null }>(
    db,
    sql`with h as (
          select e.external_userid, extract(hour from e.occurred_at at time zone 'Asia/Shanghai')::int as hour, count(*) as n
          from customer_events e
          where e.corp_id = ${corpId} and e.type in ('moment.viewed', 'moment.liked')
            and e.occurred_at >= ${since.toISOString()} and e.occurred_at <= ${now.toISOString()}
          group by 1, 2
        ), best as (
          select distinct on (external_userid) external_userid, hour from h order by external_userid, n desc, hour
        )
        select array_agg(c.seq) as seqs, array_agg(b.hour) as hours
        from best b join customers c on c.corp_id = ${corpId} and c.external_userid = b.external_userid`,
  );
  const map = new Map<number, number>();
  const seqs = rows[0]?.seqs ?? [];
  const hours = rows[0]?.hours ?? [];
  seqs.forEach((s, i) => map.set(Number(s), Number(hours[i])));
  return map;
}

/** Whether an hour lies in a slot `[from, to)`; a slot such as 22→6 wraps midnight. */
export function hourInSlot(hour: number, fromHour: number, toHour: number): boolean {
  return fromHour < toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;
}

/** The variant a customer active at `hour` gets: the first whose slot holds the hour, else -1 (the main content). */
export function variantFor(hour: number, variants: readonly Pick<MomentVariant, 'fromHour' | 'toHour'>[]): number {
  return variants.findIndex((v) => hourInSlot(hour, v.fromHour, v.toHour));
}
