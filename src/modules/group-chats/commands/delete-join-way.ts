import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { groupChatJoinWays } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { joinWaySnapshot, lockJoinWay } from '../join-way-rules.js';

/** Deletes a join way; members who joined through it keep its `state` (it is history). */
export async function deleteJoinWay(ctx: TxCtx, configId: string): Promise<void> {
  const policy = await policyFor(ctx);
  policy.authorize('rule.manage');
  const before = await lockJoinWay(ctx, configId);
  await ctx.tx.delete(groupChatJoinWays).where(and(eq(groupChatJoinWays.corpId, ctx.corpId), eq(groupChatJoinWays.configId, configId)));
  await recordEvent(ctx, { type: 'join_way.deleted', subjectType: 'join_way', subjectId: configId, before: joinWaySnapshot(before) });
}
