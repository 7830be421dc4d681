import { sql } from 'drizzle-orm';
import { reader, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { recordEvent } from '../../events/record.js';
import type { Policy } from '../../policies/index.js';

/** One new fact as a `customer_event.recorded` event lists it (what behaviour rules fire on). */
export type RecordedFact = { externalUserid: string; type: string; target: string; occurredAt: string };

const factOf = (r: { external_userid: string; type: string; target: string; occurred_at: Date | string }): RecordedFact => ({
  externalUserid: r.external_userid,
  type: r.type,
  target: r.target,
  occurredAt: new Date(r.occurred_at).toISOString(),
});

/** A behaviour fact to record (see contracts/customer-events.ts). */
export type NewCustomerEvent = { externalUserid: string; type: string; target?: string; occurredAt: Date; dedupKey?: string };

/**
 * Of `ids`, the customers of the corp the actor may record facts about (`customerEvent.record`
 * within their reach). Out of reach reads as unknown to callers, so an answer does not reveal
 * who exists elsewhere.
 */
export async function recordableCustomers(ctx: TxCtx, policy: Policy, ids: readonly string[]): Promise<Set<string>> {
  const rows = await queryRows<{ external_userid: string; followers: string[] }>(
    reader(ctx),
    sql`
    select c.external_userid, coalesce(array_agg(f.userid) filter (where f.userid is not null), '{}') as followers
    from customers c left join follows f on f.corp_id = c.corp_id and f.external_userid = c.external_userid
    where c.corp_id = ${ctx.corpId} and c.external_userid = any(${sql.param([...new Set(ids)])}::text[])
    group by c.external_userid`,
  );
  return new Set(rows.filter((r) => policy.can('customerEvent.record', { type: 'customer', followerUserids: r.followers })).map((r) => r.external_userid));
}

/**
 * Appends behaviour facts the caller has already authorized and checked, skipping any whose
 * `dedupKey` is stored, and records one `customer_event.recorded` naming the customers, which is
 * what makes the audience index re-read their facts. Returns how many were new.
 */
export async function appendCustomerFacts(ctx: TxCtx, input: readonly NewCustomerEvent[]): Promise<number> {
  if (input.length === 0) return 0;
  const inserted = await queryRows<{ external_userid: string; type: string; target: string; occurred_at: Date | string }>(
    ctx.tx,
    sql`
    insert into customer_events (corp_id, external_userid, type, target, occurred_at, dedup_key)
    select ${ctx.corpId}, e.ext, e.type, e.target, e.at, e.dedup
    from unnest(${sql.param(input.map((e) => e.externalUserid))}::text[], ${sql.param(input.map((e) => e.type))}::text[],
                ${sql.param(input.map((e) => e.target ?? ''))}::text[], ${sql.param(input.map((e) => e.occurredAt.toISOString()))}::timestamptz[],
                ${sql.param(input.map((e) => e.dedupKey ?? null))}::text[]) as e(ext, type, target, at, dedup)
    on conflict (corp_id, dedup_key) where dedup_key is not null do nothing
    returning external_userid, type, target, occurred_at`,
  );
  if (inserted.length > 0) {
    const customers = [...new Set(inserted.map((r) => r.external_userid))];
    const types = [...new Set(input.map((e) => e.type))];
    await recordEvent(ctx, {
      type: 'customer_event.recorded',
      subjectType: 'customer',
      subjectId: customers.length === 1 ? customers[0]! : '*',
      // `facts` lists each new fact, so behaviour rules fire on the type and target of each one.
      payload: { count: inserted.length, types, externalUserids: customers, facts: inserted.map(factOf) },
    });
  }
  return inserted.length;
}
