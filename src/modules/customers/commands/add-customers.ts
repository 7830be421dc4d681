import { and, eq, inArray, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { customers, employees, follows } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { nameInitials } from '../../../names/name-initials.js';
import { policyFor } from '../../../policies/index.js';
import { recordArrivals } from '../../contact-ways/record-arrivals.js';
import { lockCorpSettings } from '../../corps/settings.js';

/** A follow relation to create with a customer. */
export type NewFollow = { userid: string; remark?: string; addTime?: Date; addWay?: number; state?: string; operUserid?: string };

/** A customer to create, with the employees who follow it. */
export type NewCustomer = {
  externalUserid?: string;
  name: string;
  type?: number;
  gender?: number;
  corpName?: string;
  province?: string;
  city?: string;
  attributes?: Record<string, unknown>;
  createdAt?: Date;
  follows: NewFollow[];
};

/**
 * Creates customers and their follow relations (contact sync, import and demo seeding). Each gets
 * the next dense `seq` for the audience index; the corp lock keeps `seq` gap-free and unique.
 * Follows added with a contact way's `state` are recorded as arrivals through that way.
 */
export async function addCustomers(ctx: TxCtx, input: NewCustomer[]): Promise<string[]> {
  (await policyFor(ctx)).authorize('customer.update');
  if (input.length === 0) return [];
  await lockCorpSettings(ctx);
  const userids = [...new Set(input.flatMap((c) => c.follows.map((f) => f.userid)))];
  const known =
    userids.length === 0
      ? []
      : await ctx.tx
          .select({ userid: employees.userid })
          .from(employees)
          .where(and(eq(employees.corpId, ctx.corpId), inArray(employees.userid, userids)));
  const missing = userids.filter((u) => !known.some((k) => k.userid === u));
  if (missing.length > 0) throw new AppError('employee_not_found', { message: `Unknown userid: ${missing.join(', ')}.` });

  const [{ maxSeq } = { maxSeq: 0 }] = await ctx.tx
    .select({ maxSeq: sql<number>`coalesce(max(${customers.seq}), 0)::bigint` })
    .from(customers)
    .where(eq(customers.corpId, ctx.corpId));
  const rows = input.map((c, i) => ({
    corpId: ctx.corpId,
    externalUserid: c.externalUserid ?? newId.customer(),
    seq: Number(maxSeq) + i + 1,
    name: c.name,
    nameInitials: nameInitials(c.name),
    type: c.type ?? 1,
    gender: c.gender ?? 0,
    corpName: c.corpName ?? '',
    province: c.province ?? '',
    city: c.city ?? '',
    attributes: c.attributes ?? {},
    createdAt: c.createdAt ?? new Date(),
  }));
  for (let i = 0; i < rows.length; i += 1000) await ctx.tx.insert(customers).values(rows.slice(i, i + 1000));
  const followRows = input.flatMap((c, i) =>
    c.follows.map((f) => ({
      corpId: ctx.corpId,
      userid: f.userid,
      externalUserid: rows[i]!.externalUserid,
      remark: f.remark ?? '',
      addTime: f.addTime ?? new Date(),
      addWay: f.addWay ?? 0,
      state: f.state ?? '',
      operUserid: f.operUserid ?? f.userid,
    })),
  );
  for (let i = 0; i < followRows.length; i += 1000) await ctx.tx.insert(follows).values(followRows.slice(i, i + 1000));
  await recordEvent(ctx, {
    type: 'customer.created',
    subjectType: 'customer',
    subjectId: rows.length === 1 ? rows[0]!.externalUserid : '*',
    payload: { count: rows.length, follows: followRows.length, externalUserids: rows.map((r) => r.externalUserid) },
  });
  // A follow added with a contact way's state came in through that way (its event, its default tags).
  await recordArrivals(ctx, followRows);
  return rows.map((r) => r.externalUserid);
}
