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
});

/** A page of chats; `nextCursor` is "" on the last page. */
export const GroupChatList = z.object({ chats: z.array(GroupChat), nextCursor: z.string() });

/** The answer to a recorded join: the member as stored, and whether it repeated one already recorded. */
export const RecordChatJoinResult = z.object({ member: GroupChatMember, repeated: z.boolean() });
