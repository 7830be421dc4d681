import type { TxCtx } from '../../../context.js';
import { groupChats } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { policyFor } from '../../../policies/index.js';
import { requireEmployee } from '../../customers/follows.repo.js';
import { type GroupChatRow, lockChatIfAny } from '../group-chats.repo.js';

/**
 * A chat as a caller records it; absent fields keep their stored value (or WeCom's default on
 * create). `mode` says whether the chat must be new (`create`), must exist (`update`) or either
 * (`upsert`, what a sync from WeCom wants).
 */
export type SaveGroupChatInput = {
  mode: 'create' | 'update' | 'upsert';
  chatId: string;
  owner?: string;
  name?: string;
  notice?: string;
  status?: number;
  adminList?: string[];
  createTime?: Date;
};

const snapshot = (c: GroupChatRow) => ({ name: c.name, owner: c.owner, notice: c.notice, status: c.status, adminList: c.adminList });

/**
 * Creates or updates a customer group chat (客户群) as the connector or the sidebar reports it.
 * The owner must be an employee in the actor's reach (the old owner too, on a hand-over), since a
 * chat belongs to its owner's data scope as in WeCom's groupchat/list.
 */
export async function saveGroupChat(ctx: TxCtx, input: SaveGroupChatInput): Promise<{ chat: GroupChatRow; created: boolean }> {
  const policy = await policyFor(ctx);
  policy.authorize('customerEvent.record');
  const existing = await lockChatIfAny(ctx, input.chatId);
  const unknown = () =>
    new AppError('chat_not_found', { message: `No group chat with chat_id "${input.chatId}".`, details: [{ path: 'chatId', message: 'unknown' }] });
  // Out of reach reads as unknown to an update; a create or sync is refused outright.
  if (existing && !policy.can('customerEvent.record', { type: 'employee', userid: existing.owner })) {
    if (input.mode === 'update') throw unknown();
    policy.authorize('customerEvent.record', { type: 'employee', userid: existing.owner });
  }
  if (existing && input.mode === 'create')
    throw new AppError('conflict', {
      message: `A group chat with chat_id "${input.chatId}" is already recorded.`,
      details: [{ path: 'body.chatId', message: 'taken' }],
    });
  if (!existing && input.mode === 'update') throw unknown();
  const owner = input.owner ?? existing?.owner;
  if (!owner) throw new AppError('validation_failed', { message: 'A new chat needs an owner.', details: [{ path: 'body.owner', message: 'required' }] });
  await requireEmployee(ctx, owner);
  // Group admins are employees too, as in WeCom's admin_list.
  for (const admin of new Set(input.adminList ?? [])) await requireEmployee(ctx, admin);
  policy.authorize('customerEvent.record', { type: 'employee', userid: owner });
  const values = {
    name: input.name ?? existing?.name ?? '',
    owner,
    notice: input.notice ?? existing?.notice ?? '',
    status: input.status ?? existing?.status ?? 0,
    adminList: input.adminList ?? existing?.adminList ?? [],
    updatedAt: new Date(),
  };
  const [chat] = await ctx.tx
    .insert(groupChats)
    .values({ corpId: ctx.corpId, chatId: input.chatId, ...values, createTime: input.createTime ?? new Date() })
    .onConflictDoUpdate({ target: [groupChats.corpId, groupChats.chatId], set: values })
    .returning();
  await recordEvent(ctx, {
    type: 'group_chat.saved',
    subjectType: 'group_chat',
    subjectId: input.chatId,
    before: existing ? snapshot(existing) : undefined,
    after: snapshot(chat!),
  });
  return { chat: chat!, created: !existing };
}
