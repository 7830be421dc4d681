import { and, eq, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { customerEvents, groupChatMembers, groupChats } from '../../../db/schema/index.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { requireCustomer, requireEmployee } from '../../customers/follows.repo.js';
import { loadChat } from '../group-chats.repo.js';

/** The behaviour-fact type a customer's join is recorded as; its target is the chat id. */
export const chatJoinedFact = 'group_chat.joined';

/** One join as WeCom's member_list reports it: an employee (`userid`) or a customer (`externalUserid`). */
export type ChatJoinInput = {
  chatId: string;
  member: { userid: string } | { externalUserid: string };
  joinTime: Date;
  joinScene: 1 | 2 | 3;
  state?: string;
  invitor?: string;
  groupNickname?: string;
  name?: string;
  unionid?: string;
};

/** A stored chat member. */
export type ChatMemberRow = typeof groupChatMembers.$inferSelect;

/**
 * Records that someone joined a chat, with the 入群时间, scene and join way `state` rules test. A
 * customer's join is also a behaviour fact (`group_chat.joined`, target = chat id, at the join
 * time), so `event:group_chat.joined(target=…, within=3d)` counts it in audiences. Repeating the
 * same join (same member, same join time) changes nothing, so a sync may deliver it twice.
 */
export async function recordChatJoin(ctx: TxCtx, input: ChatJoinInput): Promise<{ member: ChatMemberRow; repeated: boolean }> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const chat = await loadChat(ctx, policy, 'customerEvent.record', input.chatId, { lock: true });
  const external = 'externalUserid' in input.member;
  const memberId = 'externalUserid' in input.member ? input.member.externalUserid : input.member.userid;
  if (external) await requireCustomer(ctx, memberId);
  else await requireEmployee(ctx, memberId);
  if (input.invitor) await requireEmployee(ctx, input.invitor);

  const [current] = await ctx.tx
    .select()
    .from(groupChatMembers)
    .where(and(eq(groupChatMembers.corpId, ctx.corpId), eq(groupChatMembers.chatId, chat.chatId), eq(groupChatMembers.memberId, memberId)));
  if (current && current.joinTime.getTime() === input.joinTime.getTime()) return { member: current, repeated: true };

  const values = {
    type: external ? 2 : 1,
    unionid: input.unionid ?? '',
    joinTime: input.joinTime,
    joinScene: input.joinScene,
    invitor: input.invitor ?? '',
    groupNickname: input.groupNickname ?? '',
    name: input.name ?? '',
    state: input.state ?? '',
  };
  const [member] = await ctx.tx
    .insert(groupChatMembers)
    .values({ corpId: ctx.corpId, chatId: chat.chatId, memberId, ...values })
    .onConflictDoUpdate({ target: [groupChatMembers.corpId, groupChatMembers.chatId, groupChatMembers.memberId], set: values })
    .returning();
  await ctx.tx
    .update(groupChats)
    .set({ memberVersion: sql`${groupChats.memberVersion} + 1` })
    .where(and(eq(groupChats.corpId, ctx.corpId), eq(groupChats.chatId, chat.chatId)));

  if (external) {
    // The fact's dedup key is the join itself, so a join recorded again after a leave counts once.
    await ctx.tx
      .insert(customerEvents)
      .values({
        corpId: ctx.corpId,
        externalUserid: memberId,
        type: chatJoinedFact,
        target: chat.chatId,
        occurredAt: input.joinTime,
        dedupKey: `${chatJoinedFact}:${chat.chatId}:${memberId}:${input.joinTime.getTime()}`,
      })
      .onConflictDoNothing();
    // The audience index refreshes the customer's behaviour facts on this event.
    await recordEvent(ctx, {
      type: 'customer_event.recorded',
      subjectType: 'customer',
      subjectId: memberId,
      payload: {
        count: 1,
        types: [chatJoinedFact],
        externalUserids: [memberId],
        facts: [{ externalUserid: memberId, type: chatJoinedFact, target: chat.chatId, occurredAt: input.joinTime.toISOString() }],
      },
    });
  }
  // The rule trigger: who joined which chat, when, how and through which join way.
  await recordEvent(ctx, {
    type: 'group_chat.member_joined',
    subjectType: 'group_chat',
    subjectId: chat.chatId,
    payload: {
      chatId: chat.chatId,
      memberType: values.type,
      ...(external ? { externalUserid: memberId } : { userid: memberId }),
      joinTime: input.joinTime.toISOString(),
      joinScene: input.joinScene,
      state: values.state,
      invitor: values.invitor,
    },
  });
  return { member: member!, repeated: false };
}
