import type { TxCtx } from '../../../../context.js';
import type { RemoteCustomer, RemoteTagGroup } from '../../sync/index.js';
import type { WecomClient } from '../../wecom-client.js';
import { applyCustomer, applyStrategyLibrary, applyTagLibrary, readCustomer, readStrategyLibrary, readTagLibrary, removeFollow } from './sync-api.js';
import { type RemoteGroupChat, syncDismissedChat, syncGroupChat } from './sync-group-chat.js';

/**
 * What a decrypted callback asks for: an optional read from WeCom (done before the transaction, so
 * no lock is held over the network) and the change to apply with what was read. `reason` is kept
 * on the log row ("ignored", "recorded only").
 */
export type CallbackPlan = {
  read?: (client: WecomClient) => Promise<unknown>;
  apply?: (ctx: TxCtx, read: unknown) => Promise<void>;
  reason?: string;
};

const contactAdds = new Set(['add_external_contact', 'add_half_external_contact', 'edit_external_contact']);
const followRemovals = new Set(['del_external_contact', 'del_follow_user']);
const tagChanges = new Set(['create', 'update', 'delete', 'shuffle']);
const chatChanges = new Set(['create', 'update']);

/** An id WeCom sends: printable, no longer than WeCom's own (64); anything else is not acted on. */
const usableId = (value: string | undefined): value is string => typeof value === 'string' && /^[\x21-\x7e]{1,64}$/.test(value);

/**
 * The plan for a callback's fields (wecom-api.md §6.2). An event or change type this server does
 * not act on, or one without the ids it needs, is recorded as ignored and answered as success:
 * WeCom would otherwise retry it forever.
 */
export function planCallback(fields: Record<string, string>): CallbackPlan {
  const event = fields.Event;
  const change = fields.ChangeType ?? '';
  if (event === 'change_external_contact') {
    const userid = fields.UserID;
    const external = fields.ExternalUserID;
    if (change === 'transfer_fail') return { reason: `recorded only (${(fields.FailReason ?? '').slice(0, 40)})` };
    if (!usableId(userid) || !usableId(external)) return { reason: 'ignored: no UserID or ExternalUserID' };
    if (contactAdds.has(change))
      return {
        read: (client) => readCustomer(client, external),
        apply: (ctx, remote) => applyCustomer(ctx, remote as RemoteCustomer),
      };
    if (followRemovals.has(change)) return { apply: (ctx) => removeFollow(ctx, userid, external) };
  }
  if (event === 'change_external_tag' && tagChanges.has(change)) {
    // A rule-group tag: the whole rule-group library is read (one rule group's list alone is not
    // complete, and deletions of mapped groups rely on a complete list).
    if (fields.StrategyId && fields.StrategyId !== '0')
      return {
        read: (client) => readStrategyLibrary(client),
        apply: (ctx, library) => applyStrategyLibrary(ctx, library as RemoteTagGroup[]),
      };
    return {
      read: (client) => readTagLibrary(client),
      apply: (ctx, library) => applyTagLibrary(ctx, library as RemoteTagGroup[]),
    };
  }
  if (event === 'change_external_chat') {
    const chatId = fields.ChatId;
    if (!usableId(chatId)) return { reason: 'ignored: no ChatId' };
    if (change === 'dismiss')
      return {
        apply: async (ctx) => {
          await syncDismissedChat(ctx, chatId);
        },
      };
    if (chatChanges.has(change))
      return {
        read: async (client) => {
          const chat = (await client.call('externalcontact/groupchat/get', { chat_id: chatId, need_name: 1 })).group_chat as RemoteGroupChat | undefined;
          // A reply without the chat is WeCom misbehaving: fail, so the retry reads again.
          if (chat?.chat_id !== chatId || typeof chat.owner !== 'string') throw new Error('groupchat/get answered without the chat');
          return chat;
        },
        apply: async (ctx, chat) => {
          await syncGroupChat(ctx, chat as RemoteGroupChat);
        },
      };
  }
  return { reason: 'ignored' };
}
