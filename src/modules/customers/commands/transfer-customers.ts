import { and, asc, eq, inArray } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { customers, employees, follows, marks } from '../../../db/schema/index.js';
import { AppError, type ErrorCode, errorCodes } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';

/** Customers to hand from one employee to another (在职继承 / 离职继承). */
export type TransferInput = { handoverUserid: string; takeoverUserid: string; externalUserids: string[]; reason?: string };

/** What happened to one customer: moved (merged when the takeover already followed it), or why not. */
export type TransferItem =
  | { externalUserid: string; ok: true; merged: boolean; movedTagIds: string[] }
  | { externalUserid: string; ok: false; code: ErrorCode; errcode: number; message: string };

/** The outcome per customer, in input order; `operationId` ties the call's events together. */
export type TransferResult = { operationId: string; results: TransferItem[] };

/**
 * Hands customers from one employee to another, as WeCom's transfer_customer does: each customer
 * either moves completely or not at all, and the answer lists each one's outcome (so one unknown
 * customer does not block the rest). Employee-level problems (unknown, same person, takeover has
 * left, not allowed) refuse the whole call. Moving a relation carries its enterprise-tag marks to
 * the takeover; the handover's personal marks stay keyed to them, visible only to them.
 */
export async function transferCustomers(ctx: TxCtx, input: TransferInput): Promise<TransferResult> {
  const { handoverUserid, takeoverUserid } = input;
  // Authorized before the lookups so that an actor without the right learns nothing about ids.
  const policy = await policyFor(ctx);
  policy.authorize('customer.transfer', { type: 'employee', userid: handoverUserid });
  policy.authorize('customer.transfer', { type: 'employee', userid: takeoverUserid });
  if (handoverUserid === takeoverUserid) {
    throw new AppError('validation_failed', {
      message: 'The handover and the takeover are the same employee.',
      details: [{ path: 'body.takeoverUserid', message: 'same as handoverUserid' }],
    });
  }
  // `for share` keeps both employees (and the takeover's status) as they are until commit.
  const people = await ctx.tx
    .select({ userid: employees.userid, status: employees.status })
    .from(employees)
    .where(and(eq(employees.corpId, ctx.corpId), inArray(employees.userid, [handoverUserid, takeoverUserid])))
    .for('share');
  for (const [userid, path] of [
    [handoverUserid, 'body.handoverUserid'],
    [takeoverUserid, 'body.takeoverUserid'],
  ] as const) {
    if (!people.some((p) => p.userid === userid))
      throw new AppError('employee_not_found', { message: `No employee with userid "${userid}".`, details: [{ path, message: 'unknown' }] });
  }
  if (people.find((p) => p.userid === takeoverUserid)!.status !== 'active') {
    throw new AppError('employee_inactive', {
      message: `${takeoverUserid} has left and cannot take over customers.`,
      details: [{ path: 'body.takeoverUserid', message: 'not active' }],
    });
  }

  const operationId = newId.operation();
  const byId = new Map<string, TransferItem>();
  // Customers are locked in id order so two hand-overs running at once cannot deadlock.
  for (const externalUserid of [...new Set(input.externalUserids)].sort()) {
    try {
      // A savepoint per customer: a refused customer can never be left half-moved, whatever
      // order the checks and writes take.
      byId.set(externalUserid, await ctx.tx.transaction((tx) => moveRelation({ ...ctx, tx }, input, externalUserid, operationId)));
    } catch (error) {
      if (!(error instanceof AppError) || (error.code !== 'customer_not_found' && error.code !== 'no_relation')) throw error;
      byId.set(externalUserid, { externalUserid, ok: false, code: error.code, errcode: errorCodes[error.code].errcode, message: error.message });
    }
  }
  const results = [...new Set(input.externalUserids)].map((id) => byId.get(id)!);
  return { operationId, results };
}

/** Moves one relation (follow row and enterprise marks) under lock and records its event. */
async function moveRelation(ctx: TxCtx, input: TransferInput, externalUserid: string, operationId: string): Promise<TransferItem> {
  const { handoverUserid, takeoverUserid } = input;
  const rows = await ctx.tx
    .select()
    .from(follows)
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.externalUserid, externalUserid), inArray(follows.userid, [handoverUserid, takeoverUserid])))
    .orderBy(asc(follows.userid))
    .for('update');
  const from = rows.find((r) => r.userid === handoverUserid);
  if (!from) {
    const [customer] = await ctx.tx
      .select({ id: customers.externalUserid })
      .from(customers)
      .where(and(eq(customers.corpId, ctx.corpId), eq(customers.externalUserid, externalUserid)));
    if (!customer) throw new AppError('customer_not_found', { message: `No customer with external_userid "${externalUserid}".` });
    throw new AppError('no_relation', { message: `${handoverUserid} does not follow customer ${externalUserid}.` });
  }
  const merged = rows.some((r) => r.userid === takeoverUserid);
  const relation = (userid: string) =>
    and(eq(marks.corpId, ctx.corpId), eq(marks.externalUserid, externalUserid), eq(marks.userid, userid), eq(marks.personal, 0));
  const enterpriseOf = async (userid: string) => (await ctx.tx.select({ tagId: marks.tagId }).from(marks).where(relation(userid))).map((m) => m.tagId).sort();
  const handoverTags = await enterpriseOf(handoverUserid);
  // Read even without a relation: marks left behind by a relation removed earlier must not collide.
  const takeoverTagsBefore = await enterpriseOf(takeoverUserid);

  // Tags the takeover already carries stay as theirs (no duplicate); the rest move over with their
  // original source, author and time. Personal marks (personal = 1) are left untouched.
  const duplicates = handoverTags.filter((t) => takeoverTagsBefore.includes(t));
  if (duplicates.length > 0) await ctx.tx.delete(marks).where(and(relation(handoverUserid), inArray(marks.tagId, duplicates)));
  const moved = (await ctx.tx.update(marks).set({ userid: takeoverUserid }).where(relation(handoverUserid)).returning({ tagId: marks.tagId }))
    .map((m) => m.tagId)
    .sort();

  const followWhere = and(eq(follows.corpId, ctx.corpId), eq(follows.userid, handoverUserid), eq(follows.externalUserid, externalUserid));
  // When the takeover already follows the customer their own relation (remark, add time) is kept.
  if (merged) await ctx.tx.delete(follows).where(followWhere);
  else await ctx.tx.update(follows).set({ userid: takeoverUserid }).where(followWhere);

  const takeoverTags = [...new Set([...takeoverTagsBefore, ...moved])].sort();
  await recordEvent(ctx, {
    type: 'customer.transferred',
    subjectType: 'customer',
    subjectId: externalUserid,
    before: { userid: handoverUserid, tagIds: handoverTags },
    after: { userid: takeoverUserid, tagIds: takeoverTags },
    payload: { externalUserid, handoverUserid, takeoverUserid, merged, movedTagIds: moved, droppedDuplicateTagIds: duplicates },
    reason: input.reason,
    operationId,
  });
  return { externalUserid, ok: true, merged, movedTagIds: moved };
}
