import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { type ContactWayRow, contactWays } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { checkContactWay } from '../check-contact-way.js';
import { applyChanges, type ContactWayChanges } from '../contact-way-input.js';
import { lockContactWay, presentWayForEvent, wayKey } from '../contact-ways.repo.js';

/**
 * Changes a live contact way (update_contact_way and `PATCH /contact-ways/:configId`): fields left
 * out stay as they are; `type` and `scene` never change, as in WeCom. The whole way is re-checked
 * as it would be stored, so a change cannot leave it invalid.
 */
export async function updateContactWay(ctx: TxCtx, configId: string, changes: ContactWayChanges): Promise<ContactWayRow> {
  const policy = await policyFor(ctx);
  policy.authorize('rule.manage');
  const before = await lockContactWay(ctx, configId);
  const fields = applyChanges(before, changes);
  await checkContactWay(ctx, policy, fields, configId);
  const [row] = await ctx.tx
    .update(contactWays)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(wayKey(ctx, configId))
    .returning();
  await recordEvent(ctx, {
    type: 'contact_way.updated',
    subjectType: 'contact_way',
    subjectId: configId,
    before: presentWayForEvent(before),
    after: presentWayForEvent(row!),
  });
  return row!;
}
