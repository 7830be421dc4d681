import { type SQL, sql } from 'drizzle-orm';
import type { Funnel } from '../../../../contracts/moments.js';

/**
 * SQL of one row per (post, customer) delivery that was not cancelled, with what the customer did
 * with that post and whether they converted: columns `moment_id`, `external_userid`, `variant`,
 * `matched_tag_ids`, and the booleans `delivered`, `viewed`, `liked`, `commented`, `clicked`,
 * `not_interested`, `converted`. `momentIds` is a subquery (or list) of the posts to read.
 *
 * The facts are grouped per customer once, reading `customer_events` by its (corp, type, target)
 * index; conversion is one `exists` per viewer on the (corp, customer, time) index, never a loop
 * in the server. An order converts when it is placed at or after the customer's first view of
 * the post and at most `attributionDays` days after it (both ends included).
 */
export function engagementRows(corpId: string, momentIds: SQL, attributionDays: number): SQL {
  return sql`
    with d as (
      select moment_id, external_userid, status, variant, matched_tag_ids
      from moment_deliveries
      where corp_id = ${corpId} and moment_id in (${momentIds}) and status <> 'cancelled'
    ),
    f as (
      select target as moment_id, external_userid,
        bool_or(type = 'moment.viewed') as viewed,
        bool_or(type = 'moment.liked') as liked,
        bool_or(type = 'moment.commented') as commented,
        bool_or(type = 'moment.clicked') as clicked,
        bool_or(type = 'moment.not_interested') as not_interested,
        min(occurred_at) filter (where type = 'moment.viewed') as first_view
      from customer_events
      where corp_id = ${corpId}
        and type in ('moment.viewed', 'moment.liked', 'moment.commented', 'moment.clicked', 'moment.not_interested')
        and target in (${momentIds})
      group by target, external_userid
    )
    select d.moment_id, d.external_userid, d.variant, d.matched_tag_ids,
      d.status = 'sent' as delivered,
      coalesce(f.viewed, false) as viewed,
      coalesce(f.liked, false) as liked,
      coalesce(f.commented, false) as commented,
      coalesce(f.clicked, false) as clicked,
      coalesce(f.not_interested, false) as not_interested,
      f.first_view is not null and exists (
        select 1 from customer_events o
        where o.corp_id = ${corpId} and o.external_userid = d.external_userid and o.type = 'order.placed'
          and o.occurred_at >= f.first_view and o.occurred_at <= f.first_view + ${attributionDays}::int * interval '1 day'
      ) as converted
    from d left join f on f.moment_id = d.moment_id and f.external_userid = d.external_userid`;
}

/**
 * The funnel columns over rows of `engagementRows` aliased `p` (distinct customers, since a
 * customer has one delivery per post). `count(p.external_userid)` keeps an outer-joined post
 * without deliveries at zero.
 */
export const funnelColumns = sql.raw(`
  count(p.external_userid)::int as targeted,
  (count(*) filter (where p.delivered))::int as delivered,
  (count(*) filter (where p.viewed))::int as viewed,
  (count(*) filter (where p.liked))::int as liked,
  (count(*) filter (where p.commented))::int as commented,
  (count(*) filter (where p.clicked))::int as clicked,
  (count(*) filter (where p.not_interested))::int as not_interested,
  (count(*) filter (where p.converted))::int as converted`);

/** A row holding `funnelColumns`, as the drivers answer it. */
export type FunnelRow = {
  targeted: number;
  delivered: number;
  viewed: number;
  liked: number;
  commented: number;
  clicked: number;
  not_interested: number;
  converted: number;
};

/** Reads `funnelColumns` off a row (numbers; some drivers answer integers as strings). */
export function funnelOf(row: FunnelRow): Funnel {
  return {
    targeted: Number(row.targeted),
    delivered: Number(row.delivered),
    viewed: Number(row.viewed),
    liked: Number(row.liked),
    commented: Number(row.commented),
    clicked: Number(row.clicked),
    notInterested: Number(row.not_interested),
    converted: Number(row.converted),
  };
}
