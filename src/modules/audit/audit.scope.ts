import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { actorLabel, type Ctx } from '../../context.js';
import { events, follows, operations, tagGroups } from '../../db/schema/index.js';
import type { Policy } from '../../policies/index.js';
import { startedBySql } from '../operations/operations.queries.js';
import type { AuditEntry } from './audit.redaction.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const textArray = (values: readonly string[]) => sql`${sql.param([...values, ''])}::text[]`;

/**
 * Which events a reader sees, as a condition on `events`; null when they read the whole corp
 * (`audit.view` with a corp-wide reach: admins, the customer-contact secret). Anyone else with
 * `audit.view` (a manager, whose data scope is a region) reads what their scope reaches:
 * - what they did themselves (actor `user:<them>`, in the console or through an app);
 * - follow relations of employees they reach, those employees themselves, and customers one of
 *   them follows now (or handed over or took over);
 * - the tag groups and tags they may see, and a smart tag's changes on customers they reach
 *   (the payload narrowed to those customers by `narrowToScope`);
 * - the operations they may see (the ones they started).
 * Corp-level events (settings, departments, roles, apps, rule groups, bulk summaries) and other
 * people's personal tags, audiences and operations are for corp-wide readers only.
 */
export async function auditScope(ctx: Ctx, policy: Policy): Promise<SQL | null> {
  if (policy.seesAllActivity()) return null;
  const reach = policy.reach === 'all' ? [] : [...policy.reach];
  const reached = textArray(reach);
  const visibleGroups = await visibleGroupIds(ctx, policy);
  const followedByReach = (customer: SQL) =>
    sql`exists (select 1 from ${follows} f where f.corp_id = ${events.corpId} and f.external_userid = ${customer} and f.userid = any(${reached}))`;
  const ofVisibleGroup = sql`exists (select 1 from tags t where t.corp_id = ${events.corpId} and t.tag_id = ${events.subjectId} and t.group_id = any(${textArray(visibleGroups)}))`;
  const conds: SQL[] = [
    and(eq(events.subjectType, 'follow'), sql`split_part(${events.subjectId}, '|', 1) = any(${reached})`)!,
    and(eq(events.subjectType, 'employee'), sql`${events.subjectId} = any(${reached})`)!,
    and(
      eq(events.subjectType, 'customer'),
      sql`(${followedByReach(sql`${events.subjectId}`)} or ${events.payload} ->> 'handoverUserid' = any(${reached}) or ${events.payload} ->> 'takeoverUserid' = any(${reached}))`,
    )!,
    and(eq(events.subjectType, 'tag_group'), sql`${events.subjectId} = any(${textArray(visibleGroups)})`)!,
    and(eq(events.subjectType, 'tag'), sql`${events.type} <> 'smart_tag.synced'`, ofVisibleGroup)!,
    and(
      eq(events.type, 'smart_tag.synced'),
      ofVisibleGroup,
      sql`exists (select 1 from jsonb_array_elements_text(${events.payload} -> 'externalUserids') c(id) where ${followedByReach(sql`c.id`)})`,
    )!,
    and(
      eq(events.subjectType, 'operation'),
      sql`${events.subjectId} in (select ${operations.operationId} from ${operations} where ${operations.corpId} = ${events.corpId} and ${startedBySql(ctx, policy)})`,
    )!,
  ];
  if (ctx.actor.kind === 'employee') conds.push(eq(events.actor, actorLabel(ctx.actor)));
  return sql`(${sql.join(conds, sql` or `)})`;
}

/** Every tag group (deleted ones too) the reader may see, by id. */
async function visibleGroupIds(ctx: Ctx, policy: Policy): Promise<string[]> {
  const rows = await ctx.db
    .select({ groupId: tagGroups.groupId, kind: tagGroups.kind, scope: tagGroups.scope, strategyId: tagGroups.strategyId })
    .from(tagGroups)
    .where(eq(tagGroups.corpId, ctx.corpId));
  return rows.filter((g) => policy.canSeeGroup(g)).map((g) => g.groupId);
}

/**
 * Whether the customer filter may match lists of customers in payloads: always for corp-wide
 * readers; for a scoped one only when their scope reaches the customer. Such lists are narrowed to
 * the reader's scope (`narrowToScope`), so matching one by a customer outside it would tell that
 * the customer was on it.
 */
export async function listsMayName(ctx: Ctx, policy: Policy, externalUserid: string): Promise<boolean> {
  if (policy.seesAllActivity()) return true;
  const rows = await ctx.db
    .select({ userid: follows.userid })
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.externalUserid, externalUserid)));
  return rows.some((r) => policy.reaches(r.userid));
}

/**
 * Narrows what a scoped reader sees inside events that list customers across scopes (a smart
 * tag's sync names every customer it changed): only customers an employee they reach follows stay,
 * and the entry is flagged `redacted` when some were left out. Corp-wide readers get entries as they are.
 */
export async function narrowToScope(ctx: Ctx, policy: Policy, entries: AuditEntry[]): Promise<AuditEntry[]> {
  if (policy.seesAllActivity()) return entries;
  const listed = [
    ...new Set(entries.filter((e) => e.type === 'smart_tag.synced' && isObject(e.payload)).flatMap((e) => stringsOf((e.payload as Json).externalUserids))),
  ];
  if (listed.length === 0) return entries;
  const rows = await ctx.db
    .select({ customer: follows.externalUserid, userid: follows.userid })
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), inArray(follows.externalUserid, listed)));
  const inScope = new Set(rows.filter((r) => policy.reaches(r.userid)).map((r) => r.customer));
  return entries.map((e) => {
    if (e.type !== 'smart_tag.synced' || !isObject(e.payload)) return e;
    const payload = e.payload;
    const keep = (key: string) => stringsOf(payload[key]).filter((id) => inScope.has(id));
    const narrowed = { ...payload, added: keep('added'), removed: keep('removed'), externalUserids: keep('externalUserids') };
    const cut = narrowed.externalUserids.length !== stringsOf(payload.externalUserids).length;
    return cut ? { ...e, payload: narrowed, redacted: true } : e;
  });
}
