import { and, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { type Ctx, reader } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { customers, type OutboundStatus, tagGroups, tags, wecomPushQueue } from '../../../db/schema/index.js';
import { policyFor } from '../../../policies/index.js';
import { describeItem, summarize } from './describe-item.js';

/** A queue row as stored. */
export type PushRow = typeof wecomPushQueue.$inferSelect;

/** The push's counts and times for the console's connector page (`corp.settings`). */
export async function pushSummary(ctx: Ctx) {
  (await policyFor(ctx)).authorize('corp.settings');
  const [row] = await queryRows<{ push_enabled: boolean | null; pending: number; dead: number; oldest: string | null; last: string | null }>(
    reader(ctx),
    sql`select (select push_enabled from wecom_connections where corp_id = ${ctx.corpId}) as push_enabled,
      (select count(*)::int from wecom_push_queue where corp_id = ${ctx.corpId} and status = 'pending') as pending,
      (select count(*)::int from wecom_push_queue where corp_id = ${ctx.corpId} and status = 'dead') as dead,
      (select min(created_at) from wecom_push_queue where corp_id = ${ctx.corpId} and status = 'pending') as oldest,
      (select max(done_at) from wecom_push_queue where corp_id = ${ctx.corpId} and status = 'delivered') as last`,
  );
  const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
  return {
    pushEnabled: row?.push_enabled ?? false,
    pending: row?.pending ?? 0,
    dead: row?.dead ?? 0,
    oldestPendingAt: iso(row?.oldest ?? null),
    lastDeliveredAt: iso(row?.last ?? null),
  };
}

/** One status's items, newest first, each with a sentence naming its tags or customer. */
export async function listPushItems(ctx: Ctx, input: { status: OutboundStatus; before?: number; limit: number }) {
  (await policyFor(ctx)).authorize('corp.settings');
  const where: SQL[] = [eq(wecomPushQueue.corpId, ctx.corpId), eq(wecomPushQueue.status, input.status)];
  if (input.before !== undefined) where.push(lt(wecomPushQueue.seq, input.before));
  const rows = await reader(ctx)
    .select()
    .from(wecomPushQueue)
    .where(and(...where))
    .orderBy(desc(wecomPushQueue.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const names = await namesFor(ctx, page);
  return {
    items: page.map((r) => {
      const description = describeItem(r, names);
      return {
        itemId: r.itemId,
        seq: r.seq,
        op: r.op,
        orderKey: r.orderKey,
        eventType: r.eventType,
        summary: summarize(description),
        description,
        status: r.status,
        attempts: r.attempts,
        lastErrcode: r.lastErrcode,
        lastError: r.lastError,
        createdAt: r.createdAt.toISOString(),
        doneAt: r.doneAt?.toISOString() ?? null,
        nextAttemptAt: r.nextAttemptAt.toISOString(),
      };
    }),
    nextBefore: rows.length > input.limit ? page[page.length - 1]!.seq : null,
  };
}

/** The names a page of items mentions: tags, groups and customers by id. */
async function namesFor(ctx: Ctx, rows: PushRow[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  const customerIds = new Set<string>();
  for (const r of rows) {
    const p = r.payload as Record<string, unknown>;
    for (const v of Object.values(p)) {
      if (typeof v === 'string') ids.add(v);
      if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') ids.add(x);
    }
    if (r.op === 'mark_tag') customerIds.add(r.orderKey);
  }
  const db = reader(ctx);
  const list = [...ids];
  const found = new Map<string, string>();
  if (list.length > 0) {
    for (const t of await db
      .select({ id: tags.tagId, name: tags.name })
      .from(tags)
      .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, list))))
      found.set(t.id, t.name);
    for (const g of await db
      .select({ id: tagGroups.groupId, name: tagGroups.name })
      .from(tagGroups)
      .where(and(eq(tagGroups.corpId, ctx.corpId), inArray(tagGroups.groupId, list))))
      found.set(g.id, g.name);
  }
  if (customerIds.size > 0)
    for (const c of await db
      .select({ id: customers.externalUserid, name: customers.name })
      .from(customers)
      .where(and(eq(customers.corpId, ctx.corpId), inArray(customers.externalUserid, [...customerIds]))))
      found.set(c.id, c.name);
  return found;
}
