import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { groupChatMembers, groupChats } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { loadChat } from '../group-chats.repo.js';
import { recordChatLeave } from './record-chat-leave.js';

/**
 * Records that a chat was dismissed (解散) in WeCom: every member leaves (each a `member_left`
 * event, so audiences and rules see it as they see any leave), then the chat row goes, as the chat
 * no longer exists there; what it was stays in the `group_chat.dismissed` event.
 */
export async function dismissGroupChat(ctx: TxCtx, input: { chatId: string; at?: Date }): Promise<void> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const chat = await loadChat(ctx, policy, 'customerEvent.record', input.chatId, { lock: true });
  const members = await ctx.tx
    .select({ memberId: groupChatMembers.memberId })
    .from(groupChatMembers)
    .where(and(eq(groupChatMembers.corpId, ctx.corpId), eq(groupChatMembers.chatId, chat.chatId)));
  for (const m of members) await recordChatLeave(ctx, { chatId: chat.chatId, memberId: m.memberId, leftAt: input.at });
  await ctx.tx.delete(groupChats).where(and(eq(groupChats.corpId, ctx.corpId), eq(groupChats.chatId, chat.chatId)));
  await recordEvent(ctx, {
    type: 'group_chat.dismissed',
    subjectType: 'group_chat',
    subjectId: chat.chatId,
    before: { name: chat.name, owner: chat.owner, status: chat.status, adminList: chat.adminList, memberCount: members.length },
  });
}
