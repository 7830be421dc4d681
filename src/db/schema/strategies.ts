import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/**
 * WeCom customer rule groups (规则组, wecom-api.md §3.2): a range of members and departments with
 * admins and privileges. Their strategy tag groups are visible and applicable within the range only.
 */
export const strategies = pgTable(
  'strategies',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    strategyId: integer('strategy_id').notNull(),
    parentId: integer('parent_id').notNull().default(0),
    name: text('name').notNull(),
    adminList: text('admin_list').array().notNull().default(sql`'{}'::text[]`),
    privilege: jsonb('privilege').$type<Record<string, boolean>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.strategyId] })],
);

/** One node of a rule group's range: a member (type 1) or a department (type 2). */
export const strategyRanges = pgTable(
  'strategy_ranges',
  {
    corpId: text('corp_id').notNull(),
    strategyId: integer('strategy_id').notNull(),
    type: integer('type').notNull(),
    node: text('node').notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.strategyId, t.type, t.node] })],
);
