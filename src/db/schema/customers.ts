import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/** External contacts. `seq` is a dense per-corp integer the audience index maps to bitmap positions. */
export const customers = pgTable(
  'customers',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    externalUserid: text('external_userid').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    // Lower-case pinyin initials of `name` (张三 → zs) for the name search; written with the name by
    // addCustomers, null until src/names/fill-name-initials.ts fills it (older rows, renames).
    nameInitials: text('name_initials'),
    type: integer('type').notNull().default(1),
    gender: integer('gender').notNull().default(0),
    avatar: text('avatar').notNull().default(''),
    corpName: text('corp_name').notNull().default(''),
    corpFullName: text('corp_full_name').notNull().default(''),
    province: text('province').notNull().default(''),
    city: text('city').notNull().default(''),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.externalUserid] }),
    uniqueIndex('customers_seq_uq').on(t.corpId, t.seq),
    // `name_initials like 'zs%'` uses this whatever the database collation (text_pattern_ops).
    index('customers_name_initials_idx').on(t.corpId, t.nameInitials.op('text_pattern_ops')),
    // The rows still to fill: found without a scan at every start.
    index('customers_name_initials_todo_idx').on(t.corpId).where(sql`${t.nameInitials} is null`),
  ],
);

/** A follow relation (employee × customer): WeCom's `follow_user` entry. Tags hang off it. */
export const follows = pgTable(
  'follows',
  {
    corpId: text('corp_id').notNull(),
    userid: text('userid').notNull(),
    externalUserid: text('external_userid').notNull(),
    remark: text('remark').notNull().default(''),
    description: text('description').notNull().default(''),
    remarkCorpName: text('remark_corp_name').notNull().default(''),
    remarkMobiles: text('remark_mobiles').array().notNull().default([]),
    addTime: timestamp('add_time', { withTimezone: true }).notNull().defaultNow(),
    addWay: integer('add_way').notNull().default(0),
    state: text('state').notNull().default(''),
    operUserid: text('oper_userid').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.userid, t.externalUserid] }), index('follows_customer_idx').on(t.corpId, t.externalUserid, t.userid)],
);
