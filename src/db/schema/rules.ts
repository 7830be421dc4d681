import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { RuleDefinition } from '../../../contracts/rules.js';
import { corps } from './org.js';

/**
 * Tagging rules (智能打标签): the rule's identity and switch; what it does lives in its versions.
 * `trigger_kind` and `tag_ids` copy the current version's trigger kind and the tags its actions
 * name, so the list filters and searches by tag without reading every definition.
 */
export const rules = pgTable(
  'rules',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    ruleId: text('rule_id').notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    currentVersion: integer('current_version').notNull(),
    triggerKind: text('trigger_kind').notNull(),
    tagIds: text('tag_ids').array().notNull().default(sql`'{}'::text[]`),
    createdBy: text('created_by').notNull(),
    copiedFrom: text('copied_from'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // When the rule was last switched on (or created on): a schedule's runs count from here, so
    // resuming a paused rule does not run the times it was paused for.
    enabledAt: timestamp('enabled_at', { withTimezone: true }).notNull().defaultNow(),
    // Soft delete: marks keep pointing at the rule and version that made them.
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.ruleId] }), index('rules_live_idx').on(t.corpId, t.triggerKind).where(sql`${t.deletedAt} is null`)],
);

/** Every saved definition of a rule; editing appends a version, so marks can name the one that made them. */
export const ruleVersions = pgTable(
  'rule_versions',
  {
    corpId: text('corp_id').notNull(),
    ruleId: text('rule_id').notNull(),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<RuleDefinition>().notNull(),
    author: text('author').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.ruleId, t.version] })],
);

/**
 * Every run of a rule that changed marks, failed, or was a schedule's due time: the version that
 * ran, its counts and the operation to undo it. A schedule's run is claimed by inserting its
 * `(rule, due_at)` row: the unique index lets exactly one process (and one attempt) have it.
 */
export const ruleRuns = pgTable(
  'rule_runs',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    runId: text('run_id').notNull(),
    ruleId: text('rule_id').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['applied', 'nothing', 'failed'] }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    events: integer('events').notNull().default(0),
    customers: integer('customers').notNull().default(0),
    added: integer('added').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    operationId: text('operation_id'),
    error: text('error'),
    eventSeq: bigint('event_seq', { mode: 'number' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.id] }),
    uniqueIndex('rule_runs_run_uq').on(t.corpId, t.runId),
    uniqueIndex('rule_runs_due_uq').on(t.corpId, t.ruleId, t.dueAt).where(sql`${t.dueAt} is not null`),
    index('rule_runs_rule_idx').on(t.corpId, t.ruleId, t.id),
  ],
);
