import { and, eq, sql } from 'drizzle-orm';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { preparedRows } from '../../db/client.js';
import { customers, employees, follows, type TagGroupScope } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** A follow relation row as stored. */
export type FollowRow = typeof follows.$inferSelect;

/**
 * Loads and locks one follow relation. When it is missing, says precisely why, with WeCom's
 * distinctions: unknown employee (40003), unknown customer (40096) or no relation (84061).
 */
export async function lockFollow(ctx: Ctx | TxCtx, userid: string, externalUserid: string): Promise<FollowRow> {
  const [row] = await reader(ctx)
    .select()
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.userid, userid), eq(follows.externalUserid, externalUserid)))
    .for('update');
  if (row) return row;
  await requireEmployee(ctx, userid);
  await requireCustomer(ctx, externalUserid);
  throw new AppError('no_relation', { message: `${userid} does not follow customer ${externalUserid}.` });
}

/** Throws `employee_not_found` unless the corp has this employee. */
export async function requireEmployee(ctx: Ctx | TxCtx, userid: string): Promise<void> {
  const [row] = await reader(ctx)
    .select({ userid: employees.userid })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, userid)));
  if (!row) throw new AppError('employee_not_found', { message: `No employee with userid "${userid}".`, details: [{ path: 'userid', message: 'unknown' }] });
}

/** Throws `customer_not_found` unless the corp has this customer. */
export async function requireCustomer(ctx: Ctx | TxCtx, externalUserid: string): Promise<void> {
  const [row] = await reader(ctx)
    .select({ id: customers.externalUserid })
    .from(customers)
    .where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, externalUserid)));
  if (!row)
    throw new AppError('customer_not_found', {
      message: `No customer with external_userid "${externalUserid}".`,
      details: [{ path: 'external_userid', message: 'unknown' }],
    });
}

/** A tag a mark names: its id and its group's kind, or `personal` for the owner's own tag. */
export type MarkTarget = { tagId: string; kind: 'corp' | 'strategy' | 'smart' | 'personal'; scope: TagGroupScope; strategyId: number | null };

/**
 * In one round trip and without locks: whether the relation exists and which of `tagIds` are live
 * tags (with their group's kind), plus the owner's personal tags when `withPersonal`. Unknown ids
 * are simply absent from `tags`. The write that follows re-checks all of it under lock.
 */
export async function resolveMarkTargets(ctx: Ctx | TxCtx, userid: string, externalUserid: string, tagIds: string[], withPersonal: boolean) {
  const [row] = await preparedRows<{ follow: boolean; tags: MarkTarget[] }>(
    reader(ctx),
    'mark_tags_resolve',
    sql`
    with f as (
      select 1 from follows where corp_id = ${ctx.corpId} and userid = ${userid} and external_userid = ${externalUserid} 
    ), t as (
      select t.tag_id, g.kind, g.scope, g.strategy_id from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
      where t.corp_id = ${ctx.corpId} and t.tag_id = any(${sql.param(tagIds)}::text[]) and t.deleted_at is null
    ), p as (
      select tag_id, 'personal' as kind, '{}'::jsonb as scope, null::integer as strategy_id from personal_tags
      where ${withPersonal} and corp_id = ${ctx.corpId} and owner_userid = ${userid} and tag_id = any(${sql.param(tagIds)}::text[])
    )
    select exists (select 1 from f) as follow,
      coalesce((select json_agg(json_build_object('tagId', tag_id, 'kind', kind, 'scope', scope, 'strategyId', strategy_id)) from (select * from t union all select * from p) x), '[]'::json) as tags`,
  );
  return row!;
}
