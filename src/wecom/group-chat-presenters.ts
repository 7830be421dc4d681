import type { ChatMemberRow } from '../modules/group-chats/commands/record-chat-join.js';
import type { GroupChatRow } from '../modules/group-chats/group-chats.repo.js';
import { type JoinWayRow, joinWayLink } from '../modules/group-chats/join-way-rules.js';
import { unixSeconds } from './presenters.js';

/** A member_list entry as groupchat/get sends it: `invitor`, `unionid` and `state` only when known, `name` only when asked for. */
export function presentWecomChatMember(m: ChatMemberRow, needName: boolean) {
  return {
    userid: m.memberId,
    type: m.type,
    ...(m.unionid ? { unionid: m.unionid } : {}),
    join_time: unixSeconds(m.joinTime),
    join_scene: m.joinScene,
    ...(m.invitor ? { invitor: { userid: m.invitor } } : {}),
    group_nickname: m.groupNickname,
    ...(needName ? { name: m.name } : {}),
    ...(m.state ? { state: m.state } : {}),
  };
}

/** groupchat/get's `group_chat`. */
export function presentWecomChat(chat: GroupChatRow, members: ChatMemberRow[], needName: boolean) {
  return {
    chat_id: chat.chatId,
    name: chat.name,
    owner: chat.owner,
    create_time: unixSeconds(chat.createTime),
    notice: chat.notice,
    member_list: members.map((m) => presentWecomChatMember(m, needName)),
    admin_list: chat.adminList.map((userid) => ({ userid })),
    member_version: String(chat.memberVersion),
  };
}

/**
 * get_join_way's `join_way`. `qr_code` is this server's link for the way (scene 2 only); the
 * console renders it as a QR code locally, as WeCom's would point to its own image.
 */
export function presentWecomJoinWay(w: JoinWayRow) {
  return {
    config_id: w.configId,
    scene: w.scene,
    remark: w.remark,
    auto_create_room: w.autoCreateRoom,
    room_base_name: w.roomBaseName,
    room_base_id: w.roomBaseId,
    chat_id_list: w.chatIdList,
    qr_code: joinWayLink(w),
    state: w.state,
  };
}
