import { and, desc, eq, ilike, lt, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DeliveryList, ListDeliveriesQuery, ListMomentsQuery, MomentDto } from '../../../contracts/moments.js';
import { type Ctx, reader } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { moments } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import { catalogLabels, loadCatalog } from '../audiences/service/catalog.js';
import { presentMoment } from './moments.presenter.js';
import { deliveryStats, groupNames, loadMoment, type MomentRow } from './moments.repo.js';

/** An opaque keyset cursor over a list of string keys. */
export function encodeCursor(keys: string[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

/** The keys of a cursor made by `encodeCursor`, or `invalid_cursor`. */
export function decodeCursor(cursor: string, size: number): string[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === size && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_cursor', { details: [{ path: 'querystring.cursor', message: 'not a cursor this list gave' }] });
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Posts as the API shows them: delivery counts, expressions printed with the reader's tag names, group names. */
export async function presentMoments(ctx: Ctx, rows: MomentRow[]): Promise<MomentDto[]> {
  if (rows.length === 0) return [];
  const stats = await deliveryStats(
    ctx,
    rows.map((r) => r.momentId),
  );
  const labels = catalogLabels(await loadCatalog(ctx));
  const names = await groupNames(ctx, [...new Set(rows.flatMap((r) => r.targetGroupIds))]);
  return rows.map((row) => presentMoment(row, { stats: stats.get(row.momentId)!, labels, groupNames: names }));
}

/** One post of the corp (`moment.publish`). */
export async function getMoment(ctx: Ctx, momentId: string): Promise<MomentDto> {
  (await policyFor(ctx)).authorize('moment.publish');
  return (await presentMoments(ctx, [await loadMoment(ctx, momentId)]))[0]!;
}

/** The corp's posts, newest first, by status and by text (`moment.publish`). */
export async function listMoments(ctx: Ctx, query: z.infer<typeof ListMomentsQuery>): Promise<{ moments: MomentDto[]; nextCursor: string | null }> {
  (await policyFor(ctx)).authorize('moment.publish');
  const where: (SQL | undefined)[] = [eq(moments.corpId, ctx.corpId)];
  if (query.status) where.push(eq(moments.status, query.status));
  if (query.q?.trim()) where.push(ilike(moments.text, likePattern(query.q.trim())));
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, 2) as [string, string];
    const time = new Date(at);
    if (Number.isNaN(time.getTime())) throw new AppError('invalid_cursor');
    where.push(or(lt(moments.createdAt, time), and(eq(moments.createdAt, time), lt(moments.momentId, id))));
  }
  const rows = await reader(ctx)
    .select()
    .from(moments)
    .where(and(...where))
    .orderBy(desc(moments.createdAt), desc(moments.momentId))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    moments: await presentMoments(ctx, page),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.momentId]) : null,
  };
}

/**
 * A post's deliveries by customer: who sends each copy, which variant, when (`moment.publish`).
 * Only copies whose sender is within the reader's data scope are listed.
 */
export async function listDeliveries(ctx: Ctx, momentId: string, query: z.infer<typeof ListDeliveriesQuery>): Promise<z.infer<typeof DeliveryList>> {
  const policy = await policyFor(ctx);
  policy.authorize('moment.publish');
  await loadMoment(ctx, momentId);
  const conds: SQL[] = [sql`d.corp_id = ${ctx.corpId}`, sql`d.moment_id = ${momentId}`];
  if (policy.reach !== 'all') conds.push(sql`d.sender_userid = any(${sql.param([...policy.reach])}::text[])`);
  if (query.sender) conds.push(sql`d.sender_userid = ${query.sender}`);
  if (query.status) conds.push(sql`d.status = ${query.status}`);
  if (query.cursor) conds.push(sql`d.external_userid > ${decodeCursor(query.cursor, 1)[0]!}`);
  const rows = await queryRows<{
    external_userid: string;
    name: string | null;
    sender_userid: string;
    variant: number;
    planned_at: Date | string;
    status: 'planned' | 'sent' | 'cancelled';
    sent_at: Date | string | null;
  }>(
    reader(ctx),
    sql`select d.external_userid, c.name, d.sender_userid, d.variant, d.planned_at, d.status, d.sent_at
      from moment_deliveries d left join customers c on c.corp_id = d.corp_id and c.external_userid = d.external_userid
      where ${sql.join(conds, sql` and `)} order by d.external_userid limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  return {
    deliveries: page.map((r) => ({
      externalUserid: r.external_userid,
      name: r.name ?? '',
      sender: r.sender_userid,
      variant: r.variant,
      plannedAt: new Date(r.planned_at).toISOString(),
      status: r.status,
      sentAt: r.sent_at === null ? null : new Date(r.sent_at).toISOString(),
    })),
    nextCursor: rows.length > query.limit ? encodeCursor([page.at(-1)!.external_userid]) : null,
  };
}
