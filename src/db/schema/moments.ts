import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import type { MomentAttachment, MomentCounts, MomentSchedule, MomentSenders, MomentVariant } from '../../../contracts/moments.js';
import { corps } from './org.js';

/**
 * A Moments post (客户朋友圈): content, senders, the include / exclude audience (by ids, so a
 * renamed tag keeps working), the schedule and its status. `include_tag_ids` and
 * `target_group_ids` are read off the include expression when it is saved: analytics break down
 * by those tags, and those groups' suppression lists apply to the post.
 */
export const moments = pgTable(
  'moments',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    momentId: text('moment_id').notNull(),
    status: text('status', { enum: ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] }).notNull(),
    text: text('text').notNull().default(''),
    attachments: jsonb('attachments').$type<MomentAttachment[]>().notNull().default([]),
    variants: jsonb('variants').$type<MomentVariant[]>().notNull().default([]),
    senders: jsonb('senders').$type<MomentSenders>().notNull(),
    includeExpr: jsonb('include_expr').$type<Expr>(),
    excludeExpr: jsonb('exclude_expr').$type<Expr>(),
    includeTagIds: text('include_tag_ids').array().notNull().default(sql`'{}'::text[]`),
    targetGroupIds: text('target_group_ids').array().notNull().default(sql`'{}'::text[]`),
    schedule: jsonb('schedule').$type<MomentSchedule>().notNull(),
    // The audience as counted when the post was scheduled (null while a draft).
    counts: jsonb('counts').$type<MomentCounts>(),
    author: text('author').notNull(),
    origin: text('origin').notNull(),
    // The WeCom-compatible surface's `jobid` (add_moment_task), when the post came that way.
    wecomJobid: text('wecom_jobid'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.momentId] }),
    index('moments_created_idx').on(t.corpId, t.createdAt),
    uniqueIndex('moments_jobid_uq').on(t.corpId, t.wecomJobid).where(sql`${t.wecomJobid} is not null`),
  ],
);

/**
 * One customer's copy of a post: who sends it to them, which content (`variant` -1 = the main
 * one), when (`planned_at`, already outside quiet hours) and whether it went out. `seq` is the
 * customer's index number, so the frequency cap is counted without a join. `matched_tag_ids` are
 * the include expression's tags the customer carried when the post was planned (per-tag analytics).
 */
export const momentDeliveries = pgTable(
  'moment_deliveries',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    momentId: text('moment_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    senderUserid: text('sender_userid').notNull(),
    variant: integer('variant').notNull().default(-1),
    matchedTagIds: text('matched_tag_ids').array().notNull().default(sql`'{}'::text[]`),
    plannedAt: timestamp('planned_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['planned', 'sent', 'cancelled'] })
      .notNull()
      .default('planned'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.momentId, t.externalUserid] }),
    index('moment_deliveries_due_idx').on(t.corpId, t.plannedAt).where(sql`${t.status} = 'planned'`),
    index('moment_deliveries_customer_idx').on(t.corpId, t.externalUserid, t.plannedAt),
    index('moment_deliveries_sender_idx').on(t.corpId, t.momentId, t.senderUserid),
  ],
);

/**
 * A customer kept off one tag group's posts after N consecutive "not interested" on posts that
 * targeted the group. `moment_ids` is the streak that did it (the explanation). Lifting keeps
 * the row with `lifted_at`, so a later streak suppresses again.
 */
export const momentSuppressions = pgTable(
  'moment_suppressions',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    momentIds: text('moment_ids').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftedBy: text('lifted_by'),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.groupId, t.externalUserid] })],
);

/**
 * The running "not interested" streak of a customer on one tag group's posts: the posts in a row
 * they marked not interested since their last positive interaction with the group's posts.
 */
export const momentStreaks = pgTable(
  'moment_streaks',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    momentIds: text('moment_ids').array().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.groupId, t.externalUserid] })],
);
