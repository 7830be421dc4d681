import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/**
 * Customer group chats (客户群), as WeCom's groupchat/get shapes them (wecom-api.md §6.4). Filled by
 * the native API (and, later, the connector); `status` is WeCom's 0 normal, 1 owner left awaiting
 * transfer, 2 transferring, 3 transferred.
 */
export const groupChats = pgTable(
  'group_chats',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    chatId: text('chat_id').notNull(),
    name: text('name').notNull().default(''),
    owner: text('owner').notNull(),
    notice: text('notice').notNull().default(''),
    status: integer('status').notNull().default(0),
    adminList: text('admin_list').array().notNull().default([]),
    // Bumped on every join and leave, as WeCom's member_version changes with the member list.
    memberVersion: integer('member_version').notNull().default(0),
    createTime: timestamp('create_time', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.chatId] }), index('group_chats_owner_idx').on(t.corpId, t.owner)],
);

/**
 * Who is in a chat now: an employee (`type` 1, `member_id` a userid) or a customer (`type` 2, an
 * external_userid), with the 入群时间 and scene rules test and the join way's `state`. A leave
 * deletes the row; the join and the leave stay in the events.
 */
export const groupChatMembers = pgTable(
  'group_chat_members',
  {
    corpId: text('corp_id').notNull(),
    chatId: text('chat_id').notNull(),
    memberId: text('member_id').notNull(),
    type: integer('type').notNull(),
    unionid: text('unionid').notNull().default(''),
    joinTime: timestamp('join_time', { withTimezone: true }).notNull(),
    joinScene: integer('join_scene').notNull(),
    invitor: text('invitor').notNull().default(''),
    groupNickname: text('group_nickname').notNull().default(''),
    name: text('name').notNull().default(''),
    state: text('state').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.chatId, t.memberId] }), index('group_chat_members_member_idx').on(t.corpId, t.memberId)],
);

/**
 * 「加入群聊」 join ways (the group 活码): a QR code or mini-program button that brings people into
 * up to five chats, carrying a `state` that marks the channel on each member who joins through it.
 */
export const groupChatJoinWays = pgTable(
  'group_chat_join_ways',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    configId: text('config_id').notNull(),
    scene: integer('scene').notNull(),
    remark: text('remark').notNull().default(''),
    autoCreateRoom: integer('auto_create_room').notNull().default(1),
    roomBaseName: text('room_base_name').notNull().default(''),
    roomBaseId: integer('room_base_id').notNull().default(0),
    chatIdList: text('chat_id_list').array().notNull().default([]),
    state: text('state').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.configId] })],
);
