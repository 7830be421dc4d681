import type { TxCtx } from '../../../context.js';
import { groupChatJoinWays } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { policyFor } from '../../../policies/index.js';
import { checkJoinWay, type JoinWayInput, type JoinWayRow, joinWaySnapshot } from '../join-way-rules.js';

/**
 * Creates a 「加入群聊」 join way (group 活码). Managing them is `rule.manage`, as they are campaign
 * set-up; the chats it brings people into must be chats the actor sees.
 */
export async function createJoinWay(ctx: TxCtx, input: JoinWayInput): Promise<JoinWayRow> {
  const policy = await policyFor(ctx);
  policy.authorize('rule.manage');
  await checkJoinWay(ctx, policy, input);
  const [row] = await ctx.tx
    .insert(groupChatJoinWays)
    .values({ corpId: ctx.corpId, configId: newId.joinWay(), ...input })
    .returning();
  await recordEvent(ctx, { type: 'join_way.created', subjectType: 'join_way', subjectId: row!.configId, after: joinWaySnapshot(row!) });
  return row!;
}
