import { and, asc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { customers, employees, follows } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type GroupForPolicy, policyFor } from '../../policies/index.js';
import { employeeNames } from '../org/employee-names.js';
import { requireEmployee } from './follows.repo.js';
import type { EvidenceEvent } from './mark-evidence.js';

/** A customer row as stored. */
export type CustomerRow = typeof customers.$inferSelect;
/** A follow relation row as stored. */
export type FollowRow = typeof follows.$inferSelect;

/**
 * Where a mark came from, as the marks table records it: how (`source`), who (`by`, an actor label
 * such as `user:zhangsan`, with the employee's name when it is one), which operation, and when.
 * When loaded with evidence, a rule-made mark also names its rule and the event that triggered it.
 */
export type MarkOrigin = {
  source: string;
  by: string;
  byName: string | null;
  operationId: string | null;
  operationKind: string | null;
  at: Date;
  rule?: { ruleId: string; name: string; version: number } | null;
  evidence?: EvidenceEvent | null;
};

/** One tag on a follow relation, resolved to names. `type` is WeCom's: 1 corp, 2 personal, 3 strategy. */
export type FollowTag = { tagId: string; tagName: string; groupName: string; type: 1 | 2 | 3; groupId?: string; origin: MarkOrigin };

/** Which personal tags a reader may see: every owner's (WeCom-compatible API), one owner's, or none. */
export type PersonalVisibility = { kind: 'all' } | { kind: 'owner'; userid: string } | { kind: 'none' };

/** A customer with each follow relation and the tags on it. */
export type CustomerDetail = { customer: CustomerRow; follows: (FollowRow & { userName: string; tags: FollowTag[] })[] };

/**
 * Loads one customer with its follow relations, their employees' names and their tags. A customer none of whose followers
 * the caller reaches does not exist for them. Tags of groups the caller may not
 * see are left out; personal tags only as `visibility` allows (their owner, or WeCom-compatible
 * callers, as WeCom does).
 */
export async function getCustomerDetail(ctx: Ctx, externalUserid: string, visibility: PersonalVisibility): Promise<CustomerDetail> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  const notFound = () => new AppError('customer_not_found', { message: `No customer with external_userid "${externalUserid}".` });
  const [customer] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, externalUserid)));
  if (!customer) throw notFound();
  const followRows = await ctx.db
    .select()
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.externalUserid, externalUserid)))
    .orderBy(asc(follows.addTime), asc(follows.userid));
  // Data scope decides which customers one sees; a visible customer shows all its relations, since
  // enterprise tags are shared by everyone who serves the customer.
  if (!followRows.some((f) => policy.reaches(f.userid))) throw notFound();
  const tagsByFollow = await tagsOfFollows(ctx, [externalUserid], visibility, { evidence: true });
  const nameOf = await employeeNames(
    ctx,
    followRows.map((f) => f.userid),
  );
  return {
    customer,
    follows: followRows.map((f) => ({ ...f, userName: nameOf.get(f.userid) ?? f.userid, tags: tagsByFollow.get(`${f.userid}|${f.externalUserid}`) ?? [] })),
  };
}

/**
 * Tags on the follow relations of the given customers, keyed `userid|external_userid`, without
 * the tags of groups the caller may not see (per-group view scope, rule-group ranges). With
 * `evidence`, rule-made marks come with their rule (named even if deleted since) and their trigger
 * event, joined in the same statement (no query per mark); listings of many customers leave it off.
 */
export async function tagsOfFollows(
  ctx: Ctx,
  externalUserids: string[],
  visibility: PersonalVisibility,
  options: { evidence?: boolean } = {},
): Promise<Map<string, FollowTag[]>> {
  const out = new Map<string, FollowTag[]>();
  if (externalUserids.length === 0) return out;
  const policy = await policyFor(ctx);
  const personalCond = visibility.kind === 'all' ? sql`true` : visibility.kind === 'owner' ? sql`pt.owner_userid = ${visibility.userid}` : sql`false`;
  const evidenceColumns = options.evidence
    ? sql`, m.rule_id, m.rule_version, r.name as rule_name, ev.seq as evidence_seq, ev.type as evidence_type, ev.at as evidence_at, ev.payload as evidence_payload`
    : sql``;
  const evidenceJoins = options.evidence
    ? sql`
    left join rules r on m.rule_id is not null and r.corp_id = m.corp_id and r.rule_id = m.rule_id
    left join events ev on m.evidence_seq is not null and ev.corp_id = m.corp_id and ev.seq = m.evidence_seq`
    : sql``;
  const rows = await queryRows<Record<string, string | number | null | object>>(
    ctx.db,
    sql`
    select m.userid, m.external_userid, m.tag_id, m.personal, m.source, m.created_by, m.operation_id, m.created_at, o.kind as operation_kind, e.name as by_name,
           coalesce(t.name, pt.name) as tag_name, coalesce(g.name, pt.group_name) as group_name, g.kind, g.group_id, g.scope, g.strategy_id${evidenceColumns}
    from marks m
    left join tags t on m.personal = 0 and t.corp_id = m.corp_id and t.tag_id = m.tag_id and t.deleted_at is null
    left join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    left join personal_tags pt on m.personal = 1 and pt.corp_id = m.corp_id and pt.tag_id = m.tag_id
    left join operations o on m.operation_id is not null and o.corp_id = m.corp_id and o.operation_id = m.operation_id
    left join employees e on e.corp_id = m.corp_id and m.created_by = 'user:' || e.userid${evidenceJoins}
    where m.corp_id = ${ctx.corpId} and m.external_userid in (${sql.join(
      externalUserids.map((id) => sql`${id}`),
      sql`, `,
    )})
      and (t.tag_id is not null or (pt.tag_id is not null and ${personalCond}))
    order by m.created_at, m.tag_id`,
  );
  for (const row of rows) {
    if (
      row.kind &&
      !policy.canSeeGroup({
        kind: row.kind as GroupForPolicy['kind'],
        scope: (row.scope ?? {}) as GroupForPolicy['scope'],
        strategyId: row.strategy_id === null ? null : Number(row.strategy_id),
      })
    )
      continue;
    const key = `${row.userid}|${row.external_userid}`;
    const type = Number(row.personal) === 1 ? 2 : row.kind === 'strategy' ? 3 : 1;
    const origin: MarkOrigin = {
      source: String(row.source),
      by: String(row.created_by),
      byName: row.by_name === null ? null : String(row.by_name),
      operationId: row.operation_id === null ? null : String(row.operation_id),
      operationKind: row.operation_kind === null ? null : String(row.operation_kind),
      at: asDate(row.created_at),
    };
    if (options.evidence) {
      origin.rule =
        row.rule_id === null || row.rule_id === undefined
          ? null
          : { ruleId: String(row.rule_id), name: String(row.rule_name ?? row.rule_id), version: Number(row.rule_version ?? 0) };
      origin.evidence =
        row.evidence_seq === null || row.evidence_seq === undefined
          ? null
          : { seq: Number(row.evidence_seq), type: String(row.evidence_type), at: asDate(row.evidence_at), payload: row.evidence_payload };
    }
    const tag: FollowTag = { tagId: String(row.tag_id), tagName: String(row.tag_name), groupName: String(row.group_name ?? ''), type, origin };
    if (row.group_id) tag.groupId = String(row.group_id);
    out.set(key, [...(out.get(key) ?? []), tag]);
  }
  return out;
}

function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** Active employees, who may hold customers (WeCom `get_follow_user_list`), in userid order. */
export async function listFollowUserIds(ctx: Ctx): Promise<string[]> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  const rows = await ctx.db
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.status, 'active')))
    .orderBy(asc(employees.userid));
  return rows.map((r) => r.userid).filter((u) => policy.reaches(u));
}

/** The external_userids an employee follows (WeCom `externalcontact/list`). */
export async function listFollowedIds(ctx: Ctx, userid: string): Promise<string[]> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view', { type: 'employee', userid });
  const rows = await ctx.db
    .select({ id: follows.externalUserid })
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.userid, userid)))
    .orderBy(asc(follows.addTime), asc(follows.externalUserid));
  return rows.map((r) => r.id);
}

/** A keyset cursor over (userid, external_userid), opaque to callers. */
export function encodeCursor(userid: string, externalUserid: string): string {
  return Buffer.from(JSON.stringify([userid, externalUserid])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_cursor');
}

/**
 * Pages through the follow relations of some employees with their customers (WeCom
 * `batch/get_by_user`), ordered by (userid, external_userid) so a cursor stays stable under writes.
 */
export async function pageFollowsByUsers(ctx: Ctx, userids: string[], cursor: string | undefined, limit: number) {
  const policy = await policyFor(ctx);
  for (const userid of userids) policy.authorize('customer.view', { type: 'employee', userid });
  const conds: SQL[] = [eq(follows.corpId, ctx.corpId), inArray(follows.userid, userids)];
  if (cursor) {
    const [u, e] = decodeCursor(cursor);
    conds.push(or(gt(follows.userid, u), and(eq(follows.userid, u), gt(follows.externalUserid, e)))!);
  }
  const rows = await ctx.db
    .select({ follow: follows, customer: customers })
    .from(follows)
    .innerJoin(customers, and(eq(customers.corpId, follows.corpId), eq(customers.externalUserid, follows.externalUserid)))
    .where(and(...conds))
    .orderBy(asc(follows.userid), asc(follows.externalUserid))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(last.follow.userid, last.follow.externalUserid) : '';
  return { page, nextCursor };
}

/**
 * Which personal tags the native API shows: an employee sees their own, an app acting alone none.
 * (The WeCom-compatible API shows every owner's, as WeCom does.)
 */
export function nativeVisibility(actor: Actor): PersonalVisibility {
  return actor.kind === 'employee' ? { kind: 'owner', userid: actor.userid } : { kind: 'none' };
}

// The customer cursor is the last `seq` seen, tagged so that garbage never decodes to a valid one.
function encodeSeqCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeSeqCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError('invalid_cursor', { details: [{ path: 'query.cursor', message: 'not a nextCursor of this listing' }] });
  return Number(match[1]);
}

/**
 * Pages through the corp's customers in creation order (the dense `seq`, so a cursor stays stable
 * while customers are added), optionally only those `userid` follows. Each comes with its followers.
 */
export async function pageCustomers(ctx: Ctx, opts: { userid?: string; cursor?: string; limit: number }) {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  if (opts.userid !== undefined) await requireEmployee(ctx, opts.userid);
  if (opts.userid !== undefined && !policy.reaches(opts.userid))
    throw new AppError('employee_not_found', { message: `No employee with userid "${opts.userid}" in your reach.` });
  const conds: SQL[] = [eq(customers.corpId, ctx.corpId)];
  if (policy.reach !== 'all') {
    // Only customers with at least one follower inside the caller's data scope.
    const reachable = ctx.db
      .select({ id: follows.externalUserid })
      .from(follows)
      .where(and(eq(follows.corpId, ctx.corpId), inArray(follows.userid, [...policy.reach, ''])));
    conds.push(inArray(customers.externalUserid, reachable));
  }
  if (opts.cursor) conds.push(gt(customers.seq, decodeSeqCursor(opts.cursor)));
  if (opts.userid !== undefined) {
    const followed = ctx.db
      .select({ id: follows.externalUserid })
      .from(follows)
      .where(and(eq(follows.corpId, ctx.corpId), eq(follows.userid, opts.userid)));
    conds.push(inArray(customers.externalUserid, followed));
  }
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(and(...conds))
    .orderBy(asc(customers.seq))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const ids = page.map((c) => c.externalUserid);
  const followRows =
    ids.length === 0
      ? []
      : await ctx.db
          .select({ userid: follows.userid, externalUserid: follows.externalUserid })
          .from(follows)
          .where(and(eq(follows.corpId, ctx.corpId), inArray(follows.externalUserid, ids)))
          .orderBy(asc(follows.addTime), asc(follows.userid));
  const followers = new Map<string, string[]>();
  for (const f of followRows) followers.set(f.externalUserid, [...(followers.get(f.externalUserid) ?? []), f.userid]);
  const last = page[page.length - 1];
  const nextCursor = rows.length > opts.limit && last ? encodeSeqCursor(last.seq) : null;
  return { customers: page.map((customer) => ({ customer, followUserids: followers.get(customer.externalUserid) ?? [] })), nextCursor };
}
