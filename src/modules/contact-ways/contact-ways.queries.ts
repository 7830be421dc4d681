import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { type Ctx, reader } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { type ContactWayRow, contactWays } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor, type Reach } from '../../policies/index.js';
import { findContactWay } from './contact-ways.repo.js';

const encode = (configId: string) => Buffer.from(configId, 'utf8').toString('base64url');
const decode = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** Follows the actor reaches, as an SQL condition on `f.userid` (everything for a corp-wide reach). */
function reached(reach: Reach): SQL {
  return reach === 'all' ? sql`true` : sql`f.userid = any(${sql.param([...reach])}::text[])`;
}

/**
 * list_contact_way: ids of live ways created in [start, end], oldest first, `limit` a page. The
 * cursor names the last way of the previous page (opaque to callers); one that names no way of
 * the corp is `invalid_cursor`.
 */
export async function listContactWayIds(
  ctx: Ctx,
  opts: { start: Date; end: Date; cursor?: string; limit: number },
): Promise<{ configIds: string[]; nextCursor: string }> {
  (await policyFor(ctx)).authorize('customer.view');
  let after = sql`true`;
  if (opts.cursor) {
    const last = decode(opts.cursor);
    const [known] = await queryRows<{ one: number }>(reader(ctx), sql`select 1 as one from contact_ways where corp_id = ${ctx.corpId} and config_id = ${last}`);
    if (!known) throw new AppError('invalid_cursor', { message: 'invalid cursor', details: [{ path: 'cursor', message: 'not a cursor this API gave out' }] });
    after = sql`(w.created_at, w.config_id) > (select created_at, config_id from contact_ways where corp_id = ${ctx.corpId} and config_id = ${last})`;
  }
  const rows = await queryRows<{ config_id: string }>(
    reader(ctx),
    sql`
    select w.config_id from contact_ways w
    where w.corp_id = ${ctx.corpId} and w.deleted_at is null and w.created_at >= ${opts.start.toISOString()}::timestamptz and w.created_at <= ${opts.end.toISOString()}::timestamptz and ${after}
    order by w.created_at, w.config_id
    limit ${opts.limit + 1}`,
  );
  const page = rows.slice(0, opts.limit).map((r) => r.config_id);
  return { configIds: page, nextCursor: rows.length > opts.limit ? encode(page[page.length - 1]!) : '' };
}

/** A live way with how many customers (within the actor's reach) came in through it. */
export type WayWithCount = { way: ContactWayRow; customers: number };

/** Every live way of the corp, newest first, each with its count of customers who came in through it. */
export async function listContactWays(ctx: Ctx): Promise<WayWithCount[]> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  const rows = await queryRows<{ config_id: string; customers: number }>(
    reader(ctx),
    sql`
    select w.config_id, (
      select count(distinct f.external_userid)::int from follows f
      where f.corp_id = w.corp_id and w.state <> '' and f.state = w.state and ${reached(policy.reach)}
    ) as customers
    from contact_ways w where w.corp_id = ${ctx.corpId} and w.deleted_at is null`,
  );
  const counts = new Map(rows.map((r) => [r.config_id, Number(r.customers)]));
  const live = await liveWays(ctx);
  return live.map((way) => ({ way, customers: counts.get(way.configId) ?? 0 }));
}

async function liveWays(ctx: Ctx): Promise<ContactWayRow[]> {
  return reader(ctx)
    .select()
    .from(contactWays)
    .where(and(eq(contactWays.corpId, ctx.corpId), isNull(contactWays.deletedAt)))
    .orderBy(desc(contactWays.createdAt), desc(contactWays.configId));
}

/** One customer who came in through a way: the relation it was added on. */
export type Arrival = { externalUserid: string; name: string; userid: string; addTime: Date };

/**
 * A live way with the customers who came in through it (their follow carries its `state`), newest
 * first, a page at a time; only relations the actor reaches are shown and counted.
 */
export async function getContactWayWithArrivals(
  ctx: Ctx,
  configId: string,
  page: { cursor?: string; limit: number },
): Promise<{ way: ContactWayRow; customers: number; arrivals: Arrival[]; nextCursor: string | null }> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  const way = await findContactWay(ctx, configId);
  if (way.state === '') return { way, customers: 0, arrivals: [], nextCursor: null };
  const offset = page.cursor ? Number.parseInt(decode(page.cursor), 10) : 0;
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new AppError('invalid_cursor', { details: [{ path: 'cursor', message: 'not a cursor this API gave out' }] });
  const [count] = await queryRows<{ n: number }>(
    reader(ctx),
    sql`select count(distinct f.external_userid)::int as n from follows f where f.corp_id = ${ctx.corpId} and f.state = ${way.state} and ${reached(policy.reach)}`,
  );
  const rows = await queryRows<{ external_userid: string; name: string; userid: string; add_time: string | Date }>(
    reader(ctx),
    sql`
    select f.external_userid, c.name, f.userid, f.add_time from follows f
    join customers c on c.corp_id = f.corp_id and c.external_userid = f.external_userid
    where f.corp_id = ${ctx.corpId} and f.state = ${way.state} and ${reached(policy.reach)}
    order by f.add_time desc, f.external_userid, f.userid
    offset ${offset} limit ${page.limit + 1}`,
  );
  const arrivals = rows.slice(0, page.limit).map((r) => ({ externalUserid: r.external_userid, name: r.name, userid: r.userid, addTime: new Date(r.add_time) }));
  return { way, customers: Number(count?.n ?? 0), arrivals, nextCursor: rows.length > page.limit ? encode(String(offset + page.limit)) : null };
}
