import { sql } from 'drizzle-orm';
import { reader, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { recordEvent } from '../../events/record.js';
import { policyFor } from '../../policies/index.js';

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
 * Records behaviour facts (a link opened, a live stream attended) that audience expressions count.
 * All or nothing: one unknown or out-of-reach customer refuses the batch, naming every bad line.
 * Repeats of a `dedupKey` already stored are skipped, so a webhook may deliver twice.
 */
export async function recordCustomerEvents(ctx: TxCtx, input: NewCustomerEvent[]): Promise<{ recorded: number; duplicates: number }> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const ids = [...new Set(input.map((e) => e.externalUserid))];
  const rows = await queryRows<{ external_userid: string; followers: string[] }>(
    reader(ctx),
    sql`
    select c.external_userid, coalesce(array_agg(f.userid) filter (where f.userid is not null), '{}') as followers
    from customers c left join follows f on f.corp_id = c.corp_id and f.external_userid = c.external_userid
    where c.corp_id = ${ctx.corpId} and c.external_userid = any(${sql.param(ids)}::text[])
    group by c.external_userid`,
  );
  // Out of reach reads as unknown, so the answer does not reveal who exists elsewhere.
  const known = new Set(
    rows.filter((r) => policy.can('customerEvent.record', { type: 'customer', followerUserids: r.followers })).map((r) => r.external_userid),
  );
  const bad = input.flatMap((e, i) =>
    known.has(e.externalUserid) ? [] : [{ path: `body.events.${i}.externalUserid`, message: `unknown customer "${e.externalUserid}"` }],
  );
  if (bad.length > 0)
    throw new AppError('customer_not_found', { message: `${bad.length} event(s) name customers that do not exist.`, details: bad.slice(0, 50) });

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
  return { recorded: inserted.length, duplicates: input.length - inserted.length };
}
