import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { follows, marks } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';

/**
 * The relation is gone in WeCom (del_external_contact, del_follow_user, or missing from a full
 * pull): removes the follow and its marks with a `follow.deleted` event, keeping the customer and
 * its other follows. Returns false when there was no such follow (already removed: nothing recorded).
 */
export async function removeRemoteFollow(ctx: TxCtx, userid: string, externalUserid: string): Promise<boolean> {
  (await policyFor(ctx)).authorize('customer.update', { type: 'follow', userid });
  const [gone] = await ctx.tx
    .delete(follows)
    .where(and(eq(follows.corpId, ctx.corpId), eq(follows.userid, userid), eq(follows.externalUserid, externalUserid)))
    .returning({ userid: follows.userid });
  if (!gone) return false;
  const removed = await ctx.tx
    .delete(marks)
    .where(and(eq(marks.corpId, ctx.corpId), eq(marks.userid, userid), eq(marks.externalUserid, externalUserid)))
    .returning({ tagId: marks.tagId });
  await recordEvent(ctx, {
    type: 'follow.deleted',
    subjectType: 'follow',
    subjectId: `${userid}|${externalUserid}`,
    // The audience index re-reads the customer's follow facets and each (customer, tag) pair listed.
    payload: { userid, externalUserid, tagIds: removed.map((r) => r.tagId) },
  });
  return true;
}
