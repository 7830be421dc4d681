import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import { type Ctx, reader } from '../context.js';
import { customerEvents, events, momentDeliveries, moments } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { policyFor } from '../policies/index.js';

/** A post as the WeCom surface reads it (the native row). */
export type WecomMomentRow = typeof moments.$inferSelect;

/** What add_moment_task could not use, as get_moment_task_result reports it. */
export type MomentTaskInvalid = { userids: string[]; departmentIds: number[]; tagIds: string[] };

/**
 * A page cursor tied to one listing (`scope`: the endpoint, the post and the sender), so a cursor
 * from another listing or a made-up one is WeCom's 50100 instead of a silently wrong page.
 */
export function encodeCursor(scope: string, key: unknown): string {
  return Buffer.from(JSON.stringify([scope, key])).toString('base64url');
}

/** The key inside a cursor of `scope`; anything else is 50100. */
export function decodeCursor(scope: string, cursor: string): unknown {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed[0] === scope) return parsed[1];
  } catch {
    // Not ours: answered below.
  }
  throw new AppError('invalid_cursor', { message: 'invalid cursor', details: [{ path: 'cursor', message: 'not a cursor of this listing' }] });
}

function decodeStringKey(scope: string, cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(scope, cursor);
  if (typeof key !== 'string') throw new AppError('invalid_cursor', { message: 'invalid cursor' });
  return key;
}

/**
 * A published post (drafts are nobody's moment yet) by id, once the caller may publish Moments;
 * an unknown id is WeCom's 41060.
 */
export async function requireWecomMoment(ctx: Ctx, momentId: string): Promise<WecomMomentRow> {
  (await policyFor(ctx)).authorize('moment.publish');
  const [row] = await reader(ctx)
    .select()
    .from(moments)
    .where(and(eq(moments.corpId, ctx.corpId), eq(moments.momentId, momentId), ne(moments.status, 'draft')));
  if (!row) throw new AppError('moment_not_found', { message: `invalid moment_id ${momentId}`, details: [{ path: 'moment_id', message: 'unknown' }] });
  return row;
}

/** The post add_moment_task created under `jobid`, if any. */
export async function findMomentByJobid(ctx: Ctx, jobid: string): Promise<WecomMomentRow | undefined> {
  (await policyFor(ctx)).authorize('moment.publish');
  const [row] = await reader(ctx)
    .select()
    .from(moments)
    .where(and(eq(moments.corpId, ctx.corpId), eq(moments.wecomJobid, jobid)));
  return row;
}

/**
 * The ids add_moment_task left out of a post, as the route recorded them on the post's audit trail
 * (none recorded: everything was used).
 */
export async function readMomentTaskInvalid(ctx: Ctx, momentId: string): Promise<MomentTaskInvalid> {
  const [row] = await reader(ctx)
    .select({ payload: events.payload })
    .from(events)
    .where(
      and(
        eq(events.corpId, ctx.corpId),
        eq(events.subjectType, 'moment'),
        eq(events.subjectId, momentId),
        sql`${events.payload} -> 'wecomTaskInvalid' is not null`,
      ),
    )
    .orderBy(desc(events.seq))
    .limit(1);
  const stored = (row?.payload as { wecomTaskInvalid?: Partial<MomentTaskInvalid> } | null)?.wecomTaskInvalid;
  return { userids: stored?.userids ?? [], departmentIds: stored?.departmentIds ?? [], tagIds: stored?.tagIds ?? [] };
}

/** How many posts add_moment_task created in the corp since `since` (WeCom's create rate counts these). */
export async function countWecomMomentsSince(ctx: Ctx, since: Date): Promise<number> {
  const [row] = await reader(ctx)
    .select({ n: sql<number>`count(*)::int` })
    .from(moments)
    .where(and(eq(moments.corpId, ctx.corpId), isNotNull(moments.wecomJobid), gte(moments.createdAt, since)));
  return row?.n ?? 0;
}

/**
 * get_moment_list: published posts created within [from, to), oldest first, `limit` a page. The
 * cursor holds the last row's exact creation time (as PostgreSQL prints it) and id.
 */
export async function pageWecomMoments(
  ctx: Ctx,
  opts: { from: Date; to: Date; creator?: string; cursor?: string; limit: number },
): Promise<{ rows: WecomMomentRow[]; nextCursor: string }> {
  (await policyFor(ctx)).authorize('moment.publish');
  const conds = [eq(moments.corpId, ctx.corpId), ne(moments.status, 'draft'), gte(moments.createdAt, opts.from), lt(moments.createdAt, opts.to)];
  if (opts.creator) conds.push(eq(moments.author, `user:${opts.creator}`));
  if (opts.cursor) {
    const key = decodeCursor('moment_list', opts.cursor);
    if (!Array.isArray(key) || typeof key[0] !== 'string' || typeof key[1] !== 'string' || Number.isNaN(Date.parse(key[0]))) {
      throw new AppError('invalid_cursor', { message: 'invalid cursor' });
    }
    conds.push(sql`(${moments.createdAt}, ${moments.momentId}) > (${key[0]}::timestamptz, ${key[1]})`);
  }
  const rows = await reader(ctx)
    .select({ row: moments, at: sql<string>`${moments.createdAt}::text` })
    .from(moments)
    .where(and(...conds))
    .orderBy(asc(moments.createdAt), asc(moments.momentId))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > opts.limit && last ? encodeCursor('moment_list', [last.at, last.row.momentId]) : '';
  return { rows: page.map((r) => r.row), nextCursor };
}

/**
 * get_moment_task: the senders a post was planned through (those the caller reaches), with whether
 * any of their deliveries went out yet, by userid.
 */
export async function pageMomentSenders(
  ctx: Ctx,
  momentId: string,
  opts: { cursor?: string; limit: number },
): Promise<{ rows: { userid: string; published: boolean }[]; nextCursor: string }> {
  const policy = await policyFor(ctx);
  const scope = `moment_task:${momentId}`;
  const after = decodeStringKey(scope, opts.cursor);
  const conds = [eq(momentDeliveries.corpId, ctx.corpId), eq(momentDeliveries.momentId, momentId)];
  if (after !== undefined) conds.push(gt(momentDeliveries.senderUserid, after));
  if (policy.reach !== 'all') conds.push(inArray(momentDeliveries.senderUserid, [...policy.reach, '']));
  const rows = await reader(ctx)
    .select({ userid: momentDeliveries.senderUserid, published: sql<boolean>`bool_or(${momentDeliveries.status} = 'sent')` })
    .from(momentDeliveries)
    .where(and(...conds))
    .groupBy(momentDeliveries.senderUserid)
    .orderBy(asc(momentDeliveries.senderUserid))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > opts.limit && last ? encodeCursor(scope, last.userid) : '' };
}

/**
 * The customers of one sender on a post, by external_userid: every planned one
 * (get_moment_customer_list) or only those it was sent to (`sentOnly`, get_moment_send_result).
 * The caller must reach the sender (else 60011).
 */
export async function pageMomentCustomers(
  ctx: Ctx,
  momentId: string,
  userid: string,
  opts: { sentOnly: boolean; cursor?: string; limit: number },
): Promise<{ rows: string[]; nextCursor: string }> {
  (await policyFor(ctx)).authorize('moment.publish', { type: 'employee', userid });
  const scope = `${opts.sentOnly ? 'moment_send_result' : 'moment_customer_list'}:${momentId}:${userid}`;
  const after = decodeStringKey(scope, opts.cursor);
  const conds = [eq(momentDeliveries.corpId, ctx.corpId), eq(momentDeliveries.momentId, momentId), eq(momentDeliveries.senderUserid, userid)];
  if (opts.sentOnly) conds.push(eq(momentDeliveries.status, 'sent'));
  if (after !== undefined) conds.push(gt(momentDeliveries.externalUserid, after));
  const rows = await reader(ctx)
    .select({ id: momentDeliveries.externalUserid })
    .from(momentDeliveries)
    .where(and(...conds))
    .orderBy(asc(momentDeliveries.externalUserid))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit).map((r) => r.id);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > opts.limit && last ? encodeCursor(scope, last) : '' };
}

/**
 * get_moment_comments: the `moment.commented` and `moment.liked` facts on a post from the customers
 * it was planned to reach through `userid`, oldest first.
 */
export async function momentReactions(
  ctx: Ctx,
  momentId: string,
  userid: string,
): Promise<{ comments: { externalUserid: string; at: Date }[]; likes: { externalUserid: string; at: Date }[] }> {
  (await policyFor(ctx)).authorize('moment.publish', { type: 'employee', userid });
  const rows = await reader(ctx)
    .select({ type: customerEvents.type, externalUserid: customerEvents.externalUserid, at: customerEvents.occurredAt })
    .from(customerEvents)
    .where(
      and(
        eq(customerEvents.corpId, ctx.corpId),
        inArray(customerEvents.type, ['moment.commented', 'moment.liked']),
        eq(customerEvents.target, momentId),
        sql`exists (select 1 from ${momentDeliveries} d where d.corp_id = ${ctx.corpId} and d.moment_id = ${momentId}
          and d.sender_userid = ${userid} and d.external_userid = ${customerEvents.externalUserid})`,
      ),
    )
    .orderBy(asc(customerEvents.occurredAt), asc(customerEvents.id));
  const pick = (type: string) => rows.filter((r) => r.type === type).map(({ externalUserid, at }) => ({ externalUserid, at }));
  return { comments: pick('moment.commented'), likes: pick('moment.liked') };
}
