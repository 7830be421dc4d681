import { z } from 'zod';
import { chars, Id, IdList, Timestamp } from './common.js';

/** A chat's status, WeCom's: 0 normal, 1 owner left awaiting transfer, 2 transferring, 3 transferred. */
export const GroupChatStatus = z.int().min(0).max(3);

/** How someone joined: 1 invited directly, 2 invited by link, 3 scanned a QR code (a group 活码). */
export const JoinScene = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** A chat in the path. */
export const ChatIdParams = z.strictObject({ chatId: Id });

/** A member of a chat in the path: a userid or an external_userid. */
export const ChatMemberParams = z.strictObject({ chatId: Id, memberId: Id });

const chatFields = {
  name: chars(100).optional(),
  notice: chars(1000).optional().meta({ description: 'The group notice (群公告).' }),
  status: GroupChatStatus.optional(),
  adminList: z.array(Id).max(100).optional().meta({ description: 'Userids of the group admins.' }),
};

/** A new chat as the connector or the sidebar records it. */
export const CreateGroupChatBody = z.strictObject({
  chatId: Id.meta({ description: "WeCom's chat_id (wr…)." }),
  owner: Id.meta({ description: 'The owner (群主): an employee userid.' }),
  ...chatFields,
  createTime: Timestamp.optional().meta({ description: 'When the chat was created; defaults to now.' }),
});

/** Changes to a recorded chat; absent fields keep their value. A new owner is a hand-over (在职/离职继承). */
export const UpdateGroupChatBody = z.strictObject({ owner: Id.optional(), ...chatFields });

/** A join to record: exactly one of `userid` (an employee) or `externalUserid` (a customer). */
export const RecordChatJoinBody = z
  .strictObject({
    userid: Id.optional(),
    externalUserid: Id.optional(),
    joinTime: Timestamp.meta({ description: '入群时间: when they joined.' }),
    joinScene: JoinScene,
    state: chars(30).optional().meta({ description: 'The `state` of the join way (群活码) they came through.' }),
    invitor: Id.optional().meta({ description: 'The employee who invited them.' }),
    groupNickname: chars(64).optional(),
    name: chars(64).optional(),
    unionid: Id.optional(),
  })
  .refine((b) => (b.userid === undefined) !== (b.externalUserid === undefined), {
    message: 'give exactly one of userid and externalUserid',
    path: ['externalUserid'],
  });

/** Chat listing filters: WeCom's status_filter and owner_filter, keyset paging. */
export const ListGroupChatsQuery = z.strictObject({
  status: z.coerce.number().pipe(GroupChatStatus).optional(),
  owner: IdList,
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().pipe(z.int().min(1).max(1000)).default(100),
});

/** One member of a chat. */
export const GroupChatMember = z.object({
  memberId: z.string(),
  type: z.enum(['employee', 'customer']),
  joinTime: Timestamp,
  joinScene: z.int(),
  state: z.string(),
  invitor: z.string(),
  groupNickname: z.string(),
  name: z.string(),
});

/** A chat; `members` only when one chat is read. */
export const GroupChat = z.object({
  chatId: z.string(),
  name: z.string(),
  owner: z.string(),
  notice: z.string(),
  status: z.int(),
  adminList: z.array(z.string()),
  memberVersion: z.int(),
  createTime: Timestamp,
  members: z.array(GroupChatMember).optional(),
  memberCount: z.int().optional().meta({ description: 'How many are in the chat now (employees and customers); in the chat list.' }),
});

/** A page of chats; `nextCursor` is "" on the last page. */
export const GroupChatList = z.object({ chats: z.array(GroupChat), nextCursor: z.string() });

/** The answer to a recorded join: the member as stored, and whether it repeated one already recorded. */
export const RecordChatJoinResult = z.object({ member: GroupChatMember, repeated: z.boolean() });

/** WeCom's limits on a join way (wecom-api.md §6.4): up to 5 chats, a `state` and `remark` of 30 characters. */
const joinWayFields = {
  remark: chars(30).optional(),
  autoCreateRoom: z.boolean().optional().meta({ description: 'Open a new chat when the last one is full (WeCom default: true).' }),
  roomBaseName: chars(40).optional().meta({ description: 'The base name of chats opened automatically.' }),
  roomBaseId: z.int().min(0).max(2_147_483_647).optional().meta({ description: 'The first number appended to the base name.' }),
  chatIdList: z.array(Id).min(1).max(5).optional().meta({ description: 'The 1–5 chats the way brings people into; each one you must see.' }),
  state: chars(30).optional().meta({ description: "The channel marker put on each member's join (their `state`)." }),
};

/** `POST /join-ways`: a new 「加入群聊」 join way (群活码). */
export const CreateJoinWayBody = z.strictObject({
  scene: z.enum(['miniprogram', 'qrcode']),
  ...joinWayFields,
  chatIdList: joinWayFields.chatIdList.unwrap(),
});

/** `PATCH /join-ways/:configId`: the fields to change; left-out fields stay. */
export const UpdateJoinWayBody = z
  .strictObject({ scene: z.enum(['miniprogram', 'qrcode']).optional(), ...joinWayFields })
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');

/** A join way as the native API answers it. */
export const JoinWay = z.object({
  configId: z.string(),
  scene: z.enum(['miniprogram', 'qrcode']),
  remark: z.string(),
  autoCreateRoom: z.boolean(),
  roomBaseName: z.string(),
  roomBaseId: z.int(),
  chatIdList: z.array(z.string()),
  state: z.string(),
  qrCode: z.string().meta({ description: 'What its QR code encodes (a Tagloom link); empty for a mini-program way.' }),
  createdAt: Timestamp,
});

/** `GET /join-ways`: every join way of the corp, newest first. */
export const JoinWayList = z.object({ joinWays: z.array(JoinWay) });

/** A page of arrivals: `nextCursor` is null on the last page; `total` counts them all. */
export const ArrivalsQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Someone who joined a chat through a join way (their join carries its `state`). */
export const JoinWayArrival = z.object({
  chatId: z.string(),
  chatName: z.string(),
  memberId: z.string(),
  type: z.enum(['employee', 'customer']),
  name: z.string(),
  joinTime: Timestamp,
  joinScene: z.int(),
});

/** `GET /join-ways/:configId/arrivals`: members of chats you see who joined with the way's state, newest first. */
export const JoinWayArrivals = z.object({ arrivals: z.array(JoinWayArrival), nextCursor: z.string().nullable(), total: z.int() });
