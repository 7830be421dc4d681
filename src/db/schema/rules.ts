import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
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
