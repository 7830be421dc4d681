import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { contactWays } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { lockContactWay, presentWayForEvent, wayKey } from '../contact-ways.repo.js';

/**
 * Deletes a contact way (del_contact_way and `DELETE /contact-ways/:configId`). The row is kept,
 * marked deleted, so the customers it brought in still name it; its `state` is free again, and a
 * customer added with that state afterwards no longer counts as coming through it.
 */
export async function deleteContactWay(ctx: TxCtx, configId: string): Promise<void> {
  (await policyFor(ctx)).authorize('rule.manage');
  const before = await lockContactWay(ctx, configId);
  await ctx.tx.update(contactWays).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(wayKey(ctx, configId));
  await recordEvent(ctx, { type: 'contact_way.deleted', subjectType: 'contact_way', subjectId: configId, before: presentWayForEvent(before) });
}
