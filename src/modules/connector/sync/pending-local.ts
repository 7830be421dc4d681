import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { wecomPushQueue } from '../../../db/schema/index.js';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const one = (value: unknown): string[] => (typeof value === 'string' ? [value] : []);

/**
 * The local tags and groups with a library change still waiting to be pushed (`pending` rows of
 * order key `tags`). By the conflict rule those win over what WeCom says, until the push lands.
 */
export async function pendingLibraryIds(ctx: TxCtx): Promise<Set<string>> {
  const rows = await ctx.tx
    .select({ payload: wecomPushQueue.payload })
    .from(wecomPushQueue)
    .where(and(eq(wecomPushQueue.corpId, ctx.corpId), eq(wecomPushQueue.orderKey, 'tags'), eq(wecomPushQueue.status, 'pending')));
  const ids = new Set<string>();
  for (const { payload } of rows) {
    for (const id of [...one(payload.tagId), ...one(payload.groupId), ...strings(payload.tagIds), ...strings(payload.groupIds)]) ids.add(id);
  }
  return ids;
}

/**
 * The local tag ids of one follow relation with a mark or unmark still waiting to be pushed
 * (`pending` mark_tag rows ordered by the customer): WeCom's view of those marks is stale.
 */
export async function pendingMarkTagIds(ctx: TxCtx, userid: string, externalUserid: string): Promise<Set<string>> {
  const rows = await ctx.tx
    .select({ payload: wecomPushQueue.payload })
    .from(wecomPushQueue)
    .where(
      and(
        eq(wecomPushQueue.corpId, ctx.corpId),
        eq(wecomPushQueue.orderKey, externalUserid),
        eq(wecomPushQueue.op, 'mark_tag'),
        eq(wecomPushQueue.status, 'pending'),
      ),
    );
  const ids = new Set<string>();
  for (const { payload } of rows) {
    if (payload.userid !== undefined && payload.userid !== userid) continue;
    for (const id of [...strings(payload.add_tag), ...strings(payload.remove_tag)]) ids.add(id);
  }
  return ids;
}
