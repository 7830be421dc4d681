import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Expr } from '../../../contracts/audience-expression/ast.js';
import { corps } from './org.js';

/** A set of people: departments (with their subtrees), regions and members. Empty = everyone. */
export type Audience = { departments?: number[]; regions?: string[]; userids?: string[] };

/** Per-group scope: who sees the group, who may apply its tags (e.g. 协议价客户 only by 华东 sales). */
export type TagGroupScope = { view?: Audience; apply?: Audience };

/**
 * Tag groups. `kind` is corp (enterprise), strategy (rule-group tags, issue 3) or smart (rule
 * configured, issue 4). Deleted groups keep their row for 30 days; `deletion_id` ties a group to
 * the tags deleted with it so a restore brings back exactly those.
 */
export const tagGroups = pgTable(
  'tag_groups',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull(),
    name: text('name').notNull(),
    // `nameKey(name)` (src/names): look-alike names (ＶＩＰ, VIP + U+200B, vip) share it, so the
    // unique index refuses them even when two writers race.
    nameKey: text('name_key').notNull(),
    order: bigint('order', { mode: 'number' }).notNull().default(0),
    kind: text('kind', { enum: ['corp', 'strategy', 'smart'] })
      .notNull()
      .default('corp'),
    strategyId: integer('strategy_id'),
    // Who may see and who may apply the group's tags; an empty audience means everyone.
    scope: jsonb('scope').$type<TagGroupScope>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletionId: text('deletion_id'),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.groupId] }),
    uniqueIndex('tag_groups_live_name_uq').on(t.corpId, sql`coalesce(${t.strategyId}, 0)`, t.nameKey).where(sql`${t.deletedAt} is null`),
  ],
);

/** Enterprise (and strategy / smart) tags. Names are unique among the live tags of a group. */
export const tags = pgTable(
  'tags',
  {
    corpId: text('corp_id').notNull(),
    tagId: text('tag_id').notNull(),
    groupId: text('group_id').notNull(),
    name: text('name').notNull(),
    // `nameKey(name)`: names unique among a group's live tags by what a person sees.
    nameKey: text('name_key').notNull(),
    order: bigint('order', { mode: 'number' }).notNull().default(0),
    color: text('color').notNull().default(''),
    description: text('description').notNull().default(''),
    // A smart group's tag: who carries it, as an audience expression; null for every other kind.
    rule: jsonb('rule').$type<Expr>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletionId: text('deletion_id'),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.tagId] }),
    index('tags_group_idx').on(t.corpId, t.groupId),
    uniqueIndex('tags_live_name_uq').on(t.corpId, t.groupId, t.nameKey).where(sql`${t.deletedAt} is null`),
  ],
);

/** An employee's private tags. Only the owner sees them; they survive the owner leaving. */
export const personalTags = pgTable(
  'personal_tags',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    tagId: text('tag_id').notNull(),
    ownerUserid: text('owner_userid').notNull(),
    groupName: text('group_name').notNull().default(''),
    name: text('name').notNull(),
    // `nameKey(name)`: an owner's personal tags are unique by what a person sees.
    nameKey: text('name_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.tagId] }), uniqueIndex('personal_tags_owner_name_uq').on(t.corpId, t.ownerUserid, t.nameKey)],
);

/** Where a mark came from; the audit trail and undo (issue 5) key on it. */
export const markSources = ['manual', 'batch', 'rule', 'api', 'wecom-api', 'wecom-sync', 'import', 'restore'] as const;

/**
 * A tag on one follow relation. `tag_id` names a corp tag or a personal tag (personal tags only on
 * their owner's relations). "A customer has tag T" = any of its relations carries T.
 */
export const marks = pgTable(
  'marks',
  {
    corpId: text('corp_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    userid: text('userid').notNull(),
    tagId: text('tag_id').notNull(),
    personal: integer('personal').notNull().default(0),
    source: text('source', { enum: markSources }).notNull().default('manual'),
    createdBy: text('created_by').notNull(),
    operationId: text('operation_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** For a mark a tagging rule made: the rule, its version and the event that triggered it (its `seq`), shown as evidence. */
    ruleId: text('rule_id'),
    ruleVersion: integer('rule_version'),
    evidenceSeq: bigint('evidence_seq', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.externalUserid, t.userid, t.tagId] }),
    index('marks_tag_idx').on(t.corpId, t.tagId),
    // Bulk operations are found by their id: the index reloads them, undo (issue 5) reverses them.
    index('marks_operation_idx').on(t.corpId, t.operationId).where(sql`${t.operationId} is not null`),
  ],
);

/** Marks removed by a tag or group deletion, kept so a restore within 30 days brings exactly them back. */
export const archivedMarks = pgTable(
  'archived_marks',
  {
    corpId: text('corp_id').notNull(),
    tagId: text('tag_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    userid: text('userid').notNull(),
    source: text('source').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deletionId: text('deletion_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.tagId, t.externalUserid, t.userid] })],
);
