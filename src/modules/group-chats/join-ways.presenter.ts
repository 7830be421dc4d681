import type { z } from 'zod';
import type { JoinWay, JoinWayArrival } from '../../../contracts/group-chats.js';
import { type JoinWayRow, joinWayLink } from './join-way-rules.js';
import type { JoinArrival } from './join-ways.queries.js';

/** A join way for the native API: WeCom's numeric scene and auto-create flag read as words. */
export function presentJoinWay(w: JoinWayRow): z.infer<typeof JoinWay> {
  return {
    configId: w.configId,
    scene: w.scene === 1 ? 'miniprogram' : 'qrcode',
    remark: w.remark,
    autoCreateRoom: w.autoCreateRoom === 1,
    roomBaseName: w.roomBaseName,
    roomBaseId: w.roomBaseId,
    chatIdList: w.chatIdList,
    state: w.state,
    qrCode: joinWayLink(w),
    createdAt: w.createdAt.toISOString(),
  };
}

/** One member who joined through a way. */
export function presentJoinArrival(a: JoinArrival): z.infer<typeof JoinWayArrival> {
  return {
    chatId: a.chatId,
    chatName: a.chatName,
    memberId: a.memberId,
    type: a.type === 2 ? 'customer' : 'employee',
    name: a.name,
    joinTime: a.joinTime.toISOString(),
    joinScene: a.joinScene,
  };
}
