import { and, eq } from 'drizzle-orm';
import { reader, type Ctx, type TxCtx } from '../../context.js';
import { customers, employees, follows } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** A follow relation row as stored. */
export type FollowRow = typeof follows.$inferSelect;

/**
 * Loads and locks one follow relation. When it is missing, says precisely why, with WeCom's
 * distinctions: unknown employee (40003), unknown customer (40096) or no relation (84061).
 */
export async function lockFollow(ctx: TxCtx, userid: string, externalUserid: string): Promise<FollowRow> {
  const [row] = await ctx.tx
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
  const [row] = await reader(ctx).select({ userid: employees.userid }).from(employees).where(and(eq(employees.corpId, ctx.corpId), eq(employees.userid, userid)));
  if (!row) throw new AppError('employee_not_found', { message: `No employee with userid "${userid}".`, details: [{ path: 'userid', message: 'unknown' }] });
}

/** Throws `customer_not_found` unless the corp has this customer. */
export async function requireCustomer(ctx: Ctx | TxCtx, externalUserid: string): Promise<void> {
  const [row] = await reader(ctx).select({ id: customers.externalUserid }).from(customers).where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, externalUserid)));
  if (!row) throw new AppError('customer_not_found', { message: `No customer with external_userid "${externalUserid}".`, details: [{ path: 'external_userid', message: 'unknown' }] });
}
