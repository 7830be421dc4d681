import { and, asc, count, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { groupChatJoinWays, groupChatMembers, groupChats } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import type { ChatMemberRow } from './commands/record-chat-join.js';
import { type GroupChatRow, loadChat } from './group-chats.repo.js';
import type { JoinWayRow } from './join-way-rules.js';

/** A chat with everyone in it now, employees and customers, in join order. */
export type ChatDetail = { chat: GroupChatRow; members: ChatMemberRow[] };

/** Filters of a chat listing: WeCom's status_filter and owner_filter, keyset-paged by chat id. */
export type ListChatsInput = { status?: number; owners?: string[]; cursor?: string; limit: number };

const encode = (chatId: string) => Buffer.from(chatId).toString('base64url');

function decode(cursor: string): string {
  const chatId = Buffer.from(cursor, 'base64url').toString('utf8');
  // A cursor this server did not hand out does not survive the round trip: 50100, as WeCom answers.
  if (chatId === '' || encode(chatId) !== cursor)
    throw new AppError('invalid_cursor', { details: [{ path: 'cursor', message: 'not a cursor this server handed out' }] });
  return chatId;
}

/**
 * Pages the chats the actor sees (owner in their data scope; needs `customer.view`), in chat id
 * order. `nextCursor` is "" on the last page, as WeCom's `next_cursor`.
 */
export async function listChats(ctx: Ctx, input: ListChatsInput): Promise<{ chats: GroupChatRow[]; memberCounts: Map<string, number>; nextCursor: string }> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  const where: SQL[] = [eq(groupChats.corpId, ctx.corpId)];
  if (input.status !== undefined) where.push(eq(groupChats.status, input.status));
  if (input.owners && input.owners.length > 0) where.push(inArray(groupChats.owner, input.owners));
  if (policy.reach !== 'all') where.push(inArray(groupChats.owner, [...policy.reach, '']));
  if (input.cursor) where.push(gt(groupChats.chatId, decode(input.cursor)));
  const rows = await ctx.db
    .select()
    .from(groupChats)
    .where(and(...where))
    .orderBy(asc(groupChats.chatId))
    .limit(input.limit + 1);
  const chats = rows.slice(0, input.limit);
  const last = chats[chats.length - 1];
  const counted =
    chats.length === 0
      ? []
      : await ctx.db
          .select({ chatId: groupChatMembers.chatId, n: count() })
          .from(groupChatMembers)
          .where(
            and(
              eq(groupChatMembers.corpId, ctx.corpId),
              inArray(
                groupChatMembers.chatId,
                chats.map((c) => c.chatId),
              ),
            ),
          )
          .groupBy(groupChatMembers.chatId);
  const memberCounts = new Map(counted.map((c) => [c.chatId, Number(c.n)]));
  return { chats, memberCounts, nextCursor: rows.length > input.limit && last ? encode(last.chatId) : '' };
}

/** One chat the actor sees, with its members; out of reach reads as unknown (`chat_not_found`). */
export async function getChat(ctx: Ctx, chatId: string): Promise<ChatDetail> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  const chat = await loadChat(ctx, policy, 'customer.view', chatId);
  const members = await ctx.db
    .select()
    .from(groupChatMembers)
    .where(and(eq(groupChatMembers.corpId, ctx.corpId), eq(groupChatMembers.chatId, chatId)))
    .orderBy(asc(groupChatMembers.joinTime), asc(groupChatMembers.memberId));
  return { chat, members };
}

/** One join way (`customer.view`); unknown is `join_way_not_found`. */
export async function getJoinWay(ctx: Ctx, configId: string): Promise<JoinWayRow> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.view');
  const [row] = await ctx.db
    .select()
    .from(groupChatJoinWays)
    .where(and(eq(groupChatJoinWays.corpId, ctx.corpId), eq(groupChatJoinWays.configId, configId)));
  if (!row)
    throw new AppError('join_way_not_found', { message: `No join way with config_id "${configId}".`, details: [{ path: 'config_id', message: 'unknown' }] });
  return row;
}
