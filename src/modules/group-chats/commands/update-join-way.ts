import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { groupChatJoinWays } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { checkJoinWay, type JoinWayInput, type JoinWayRow, joinWaySnapshot, lockJoinWay } from '../join-way-rules.js';

/**
 * Changes a join way. Fields left out keep their values; WeCom's update_join_way sends the whole
 * configuration, which reads the same. The result is checked as a new one would be.
 */
export async function updateJoinWay(ctx: TxCtx, input: { configId: string } & Partial<JoinWayInput>): Promise<JoinWayRow> {
  const policy = await policyFor(ctx);
  policy.authorize('rule.manage');
  const before = await lockJoinWay(ctx, input.configId);
  const next: JoinWayInput = {
    scene: input.scene ?? (before.scene as 1 | 2),
    remark: input.remark ?? before.remark,
    autoCreateRoom: input.autoCreateRoom ?? (before.autoCreateRoom as 0 | 1),
    roomBaseName: input.roomBaseName ?? before.roomBaseName,
    roomBaseId: input.roomBaseId ?? before.roomBaseId,
    chatIdList: input.chatIdList ?? before.chatIdList,
    state: input.state ?? before.state,
  };
  await checkJoinWay(ctx, policy, next);
  const [row] = await ctx.tx
    .update(groupChatJoinWays)
    .set(next)
    .where(and(eq(groupChatJoinWays.corpId, ctx.corpId), eq(groupChatJoinWays.configId, before.configId)))
    .returning();
  await recordEvent(ctx, {
    type: 'join_way.updated',
    subjectType: 'join_way',
    subjectId: before.configId,
    before: joinWaySnapshot(before),
    after: joinWaySnapshot(row!),
  });
  return row!;
}
