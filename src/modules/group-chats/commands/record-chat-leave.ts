import { and, eq, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { groupChatMembers, groupChats } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { loadChat } from '../group-chats.repo.js';

/**
 * Records that a member left a chat: the member row goes (membership is "in the chat now"), the
 * join stays in the events and, for a customer, in the behaviour facts. Someone not in the chat is
 * `not_found`, naming the member.
 */
export async function recordChatLeave(ctx: TxCtx, input: { chatId: string; memberId: string; leftAt?: Date }): Promise<void> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const chat = await loadChat(ctx, policy, 'customerEvent.record', input.chatId, { lock: true });
  const [gone] = await ctx.tx
    .delete(groupChatMembers)
    .where(and(eq(groupChatMembers.corpId, ctx.corpId), eq(groupChatMembers.chatId, chat.chatId), eq(groupChatMembers.memberId, input.memberId)))
    .returning();
  if (!gone)
    throw new AppError('not_found', {
      message: `"${input.memberId}" is not a member of chat "${chat.chatId}".`,
      details: [{ path: 'memberId', message: 'not a member' }],
    });
  await ctx.tx
    .update(groupChats)
    .set({ memberVersion: sql`${groupChats.memberVersion} + 1` })
    .where(and(eq(groupChats.corpId, ctx.corpId), eq(groupChats.chatId, chat.chatId)));
  await recordEvent(ctx, {
    type: 'group_chat.member_left',
    subjectType: 'group_chat',
    subjectId: chat.chatId,
    payload: {
      chatId: chat.chatId,
      memberType: gone.type,
      ...(gone.type === 2 ? { externalUserid: gone.memberId } : { userid: gone.memberId }),
      joinTime: gone.joinTime.toISOString(),
      leftAt: (input.leftAt ?? new Date()).toISOString(),
    },
  });
}
