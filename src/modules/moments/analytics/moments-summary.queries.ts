import { sql } from 'drizzle-orm';
import type { Funnel } from '../../../../contracts/moments.js';
import { type Ctx, reader } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { readMomentSettings } from '../moment-settings.js';
import { engagementRows, type FunnelRow, funnelColumns, funnelOf } from './engagement.sql.js';

/** One post of the period: whether its include expression targets anyone, when it was scheduled, its funnel. */
export type PostFunnel = { momentId: string; targeted: boolean; at: number; funnel: Funnel };

/**
 * The funnel of every post of the corp scheduled in `[from, to)`: drafts are left out, and so is a
 * post cancelled before any delivery went out (it never reached anyone, so it says nothing about
 * targeting). A post is "targeted" when it has an include expression, "broadcast" when it has
 * none. One statement for the whole period, however many posts and customers.
 */
export async function postFunnels(ctx: Ctx, from: Date, to: Date): Promise<PostFunnel[]> {
  const { attributionDays } = await readMomentSettings(ctx);
  const inPeriod = sql`
    select mo.moment_id from moments mo
    where mo.corp_id = ${ctx.corpId} and mo.status <> 'draft'
      and coalesce(mo.scheduled_at, mo.created_at) >= ${from.toISOString()}::timestamptz
      and coalesce(mo.scheduled_at, mo.created_at) < ${to.toISOString()}::timestamptz
      and (mo.status <> 'cancelled' or exists (
        select 1 from moment_deliveries s where s.corp_id = mo.corp_id and s.moment_id = mo.moment_id and s.status = 'sent'))`;
  const rows = await queryRows<FunnelRow & { moment_id: string; targeted_post: boolean; at_ms: number }>(
    reader(ctx),
    sql`with p as (${engagementRows(ctx.corpId, inPeriod, attributionDays)})
      select m.moment_id, m.include_expr is not null as targeted_post,
        (extract(epoch from coalesce(m.scheduled_at, m.created_at)) * 1000)::float8 as at_ms, ${funnelColumns}
      from moments m left join p on p.moment_id = m.moment_id
      where m.corp_id = ${ctx.corpId} and m.moment_id in (${inPeriod})
      group by m.moment_id, m.include_expr is not null, m.scheduled_at, m.created_at
      order by at_ms, m.moment_id`,
  );
  return rows.map((r) => ({ momentId: r.moment_id, targeted: Boolean(r.targeted_post), at: Number(r.at_ms), funnel: funnelOf(r) }));
}
