import type { z } from 'zod';
import type { GroupChat, GroupChatMember } from '../../../contracts/group-chats.js';
import type { ChatMemberRow } from './commands/record-chat-join.js';
import type { GroupChatRow } from './group-chats.repo.js';

/** A chat member for the native API. */
export function presentChatMember(m: ChatMemberRow): z.infer<typeof GroupChatMember> {
  return {
    memberId: m.memberId,
    type: m.type === 2 ? 'customer' : 'employee',
    joinTime: m.joinTime.toISOString(),
    joinScene: m.joinScene,
    state: m.state,
    invitor: m.invitor,
    groupNickname: m.groupNickname,
    name: m.name,
  };
}

/** A chat for the native API, with its members when they were read. */
export function presentGroupChat(chat: GroupChatRow, members?: ChatMemberRow[]): z.infer<typeof GroupChat> {
  return {
    chatId: chat.chatId,
    name: chat.name,
    owner: chat.owner,
    notice: chat.notice,
    status: chat.status,
    adminList: chat.adminList,
    memberVersion: chat.memberVersion,
    createTime: chat.createTime.toISOString(),
    ...(members ? { members: members.map(presentChatMember) } : {}),
  };
}
