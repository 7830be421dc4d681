import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { corps, moments, tagGroups } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { randomToken } from '../../ids.js';
import type { CheckedMoment, MomentInput } from './read-moment-input.js';

/** A post row. */
export type MomentRow = typeof moments.$inferSelect;

/** A new post id: `mo` and 22 random characters. */
export const newMomentId = () => `mo${randomToken(22)}`;

/** How a post's deliveries stand: counts by status and the first and last planned times. */
export type DeliveryStats = { planned: number; sent: number; cancelled: number; firstAt: Date | null; lastAt: Date | null };

const noDeliveries: DeliveryStats = { planned: 0, sent: 0, cancelled: 0, firstAt: null, lastAt: null };

/** One post of the corp, locked for a change when `lock`; another corp's is not found. */
export async function loadMoment(ctx: Ctx | TxCtx, momentId: string, lock = false): Promise<MomentRow> {
  const query = reader(ctx)
    .select()
    .from(moments)
    .where(and(eq(moments.corpId, ctx.corpId), eq(moments.momentId, momentId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', { message: `No post "${momentId}".`, details: [{ path: 'params.momentId', message: 'unknown post' }] });
  return row;
}

/** Throws `conflict` unless the post is in one of `statuses` (a draft only can be edited, and so on). */
export function requireStatus(row: MomentRow, statuses: readonly MomentRow['status'][], doing: string): void {
  if (!statuses.includes(row.status))
    throw new AppError('conflict', {
      message: `Post "${row.momentId}" is ${row.status}; only a post that is ${statuses.join(' or ')} can be ${doing}.`,
      details: [{ path: 'params.momentId', message: `is ${row.status}`, status: row.status }],
    });
}

/** Delivery counts of some posts, in one query. */
export async function deliveryStats(ctx: Ctx | TxCtx, momentIds: readonly string[]): Promise<Map<string, DeliveryStats>> {
  if (momentIds.length === 0) return new Map();
  const rows = await queryRows<{
    moment_id: string;
    planned: number;
    sent: number;
    cancelled: number;
    first_at: Date | string | null;
    last_at: Date | string | null;
  }>(
    reader(ctx),
    sql`select moment_id, count(*) filter (where status = 'planned')::int as planned, count(*) filter (where status = 'sent')::int as sent,
      count(*) filter (where status = 'cancelled')::int as cancelled, min(planned_at) as first_at, max(planned_at) as last_at
    from moment_deliveries where corp_id = ${ctx.corpId} and moment_id = any(${sql.param([...momentIds])}::text[]) group by moment_id`,
  );
  const out = new Map(momentIds.map((id) => [id, noDeliveries]));
  for (const r of rows)
    out.set(r.moment_id, {
      planned: r.planned,
      sent: r.sent,
      cancelled: r.cancelled,
      firstAt: r.first_at === null ? null : new Date(r.first_at),
      lastAt: r.last_at === null ? null : new Date(r.last_at),
    });
  return out;
}

/** Names of tag groups by id (a deleted group keeps its name: a post's history still reads). */
export async function groupNames(ctx: Ctx | TxCtx, groupIds: readonly string[]): Promise<Map<string, string>> {
  if (groupIds.length === 0) return new Map();
  const rows = await reader(ctx)
    .select({ groupId: tagGroups.groupId, name: tagGroups.name })
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), inArray(tagGroups.groupId, [...groupIds])));
  return new Map(rows.map((r) => [r.groupId, r.name]));
}

/** A stored post as input again, so a draft is checked afresh when it is scheduled (senders may have left, tags gone). */
export function storedInput(row: MomentRow): MomentInput {
  const expr = (e: Expr | null) => (e === null ? undefined : { expression: e });
  return {
    text: row.text,
    attachments: row.attachments,
    variants: row.variants,
    senders: row.senders,
    audience: { include: expr(row.includeExpr), exclude: expr(row.excludeExpr) },
    schedule: row.schedule,
  };
}

/**
 * Locks the corp row and reads `moment_version`: a command writing deliveries holds the lock until
 * it commits, so no other delivery or suppression change slips between its check and its write.
 */
export async function lockMomentVersion(ctx: TxCtx): Promise<number> {
  const [row] = await ctx.tx.select({ version: corps.momentVersion }).from(corps).where(eq(corps.corpId, ctx.corpId)).for('update');
  if (!row) throw new AppError('not_found', { message: `Corp ${ctx.corpId} does not exist.` });
  return row.version;
}

/** The columns a checked post is stored in (content, senders, audience by ids, schedule): what a draft is created and edited with. */
export function postColumns(post: CheckedMoment) {
  return {
    text: post.text,
    attachments: post.attachments,
    variants: post.variants,
    senders: post.senders,
    includeExpr: post.include?.expression ?? null,
    excludeExpr: post.exclude?.expression ?? null,
    includeTagIds: post.includeTagIds,
    targetGroupIds: post.targetGroupIds,
    schedule: post.schedule,
  };
}
