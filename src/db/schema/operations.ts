import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, pgView, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { corps } from './org.js';

/** Where an operation stands. `queued` → `running` → `succeeded` | `failed` | `cancelled`. */
export const operationStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/**
 * One user-visible operation: a batch (tag / untag / move many customers), an import, an undo or
 * redo of another operation, a rule run, a deletion. Batches and imports run as jobs: a worker
 * claims a queued row with `FOR UPDATE SKIP LOCKED`, applies everything in one transaction that
 * also marks the row succeeded, so a crash leaves none of it and the row is resumed or failed.
 */
export const operations = pgTable(
  'operations',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => corps.corpId, { onDelete: 'cascade' }),
    operationId: text('operation_id').notNull(),
    kind: text('kind', { enum: ['batch', 'import', 'undo', 'redo', 'rule', 'deletion', 'smart_sync', 'wecom_pull'] }).notNull(),
    status: text('status', { enum: operationStatuses }).notNull().default('queued'),
    /** The request as validated: action, tags, selection (for a job, everything needed to run it again). */
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    /** The actor as `Ctx.actor` (so the worker acts, and is authorized, as the requester). */
    actor: jsonb('actor').$type<Record<string, unknown>>().notNull(),
    actorLabel: text('actor_label').notNull(),
    source: text('source').notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    /** Counts and conflicts once finished: `{ added, removed, conflicts: [...] }`. */
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    attempts: smallint('attempts').notNull().default(0),
    /** For an undo / redo: the operation it reverses or re-applies. */
    targetOperationId: text('target_operation_id'),
    /** Set on an operation once undone (the undo's id); cleared by a redo. */
    undoneBy: text('undone_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.operationId] }),
    index('operations_corp_created_idx').on(t.corpId, t.createdAt),
    index('operations_queue_idx').on(t.corpId, t.createdAt).where(sql`${t.status} in ('queued', 'running')`),
  ],
);

/** A journal row's columns: which mark, which way (+1 on, -1 off, 0 off and on again), and how a removed mark had been made. */
const journalRowColumns = () => ({
  corpId: text('corp_id').notNull(),
  operationId: text('operation_id').notNull(),
  externalUserid: text('external_userid').notNull(),
  userid: text('userid').notNull(),
  tagId: text('tag_id').notNull(),
  change: smallint('change').notNull(),
  /** For a removed mark: how it had been made, so undo restores it as it was. */
  priorSource: text('prior_source'),
  priorCreatedBy: text('prior_created_by'),
  priorOperationId: text('prior_operation_id'),
  priorCreatedAt: timestamp('prior_created_at', { withTimezone: true }),
  /** For a removed mark a tagging rule had made: its rule, version and evidence event, restored with it. */
  priorRuleId: text('prior_rule_id'),
  priorRuleVersion: integer('prior_rule_version'),
  priorEvidenceSeq: bigint('prior_evidence_seq', { mode: 'number' }),
});

/**
 * The journal of an operation: every mark it put on (+1) or took off (-1), written in the same
 * transaction as the marks. Undo reverses exactly these rows; a mark changed again since is a
 * conflict and is left alone.
 */
export const operationChanges = pgTable(
  'operation_changes',
  { ...journalRowColumns(), seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity() },
  // Only the primary key: every reader goes by operation, and a second index on each journal row
  // cost a batch of 100,000 marks about 0.3 s.
  (t) => [primaryKey({ columns: [t.corpId, t.operationId, t.externalUserid, t.userid, t.tagId] })],
);

/**
 * The journal of a batch, compact: one row per chunk and direction, the marks as parallel arrays
 * (`external_userids[i]`, `userids[i]`, `tag_ids[i]`, and for removals the prior provenance). A
 * row per mark with its own index entry cost a 100,000-customer batch as much as the marks did; a
 * batch never removes and re-adds one mark, so it needs no per-mark merge. Read both journals
 * through the `operation_journal` view.
 */
export const operationChangeSets = pgTable(
  'operation_change_sets',
  {
    corpId: text('corp_id').notNull(),
    operationId: text('operation_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    change: smallint('change').notNull(),
    externalUserids: text('external_userids').array().notNull(),
    userids: text('userids').array().notNull(),
    tagIds: text('tag_ids').array().notNull(),
    priorSources: text('prior_sources').array(),
    priorCreatedBys: text('prior_created_bys').array(),
    priorOperationIds: text('prior_operation_ids').array(),
    priorCreatedAts: timestamp('prior_created_ats', { withTimezone: true }).array(),
    priorRuleIds: text('prior_rule_ids').array(),
    priorRuleVersions: integer('prior_rule_versions').array(),
    priorEvidenceSeqs: bigint('prior_evidence_seqs', { mode: 'number' }).array(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.operationId, t.seq] })],
);

/** Both journals, a row per mark (a view, created by migration 0008, rule columns since 0017): `seq` then `item` is journal order. */
export const operationJournal = pgView('operation_journal', {
  ...journalRowColumns(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  item: bigint('item', { mode: 'number' }).notNull(),
}).existing();
