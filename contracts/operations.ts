import { z } from 'zod';
import { ExpressionFields } from './audiences.js';
import { Id, Timestamp } from './common.js';

// ---- input ----

/**
 * Which customers a batch acts on: exactly one of `externalUserids` (an explicit list), an
 * audience (`expression` / `text`), or `everyone: true` (every customer within the caller's data
 * scope, the console's unfiltered "select all"), evaluated when the job runs.
 * One object rather than a union, so every bad field is reported at its own path.
 */
export const BatchSelection = z
  .strictObject({
    externalUserids: z.array(Id).min(1).max(100_000).optional(),
    ...ExpressionFields,
    everyone: z.literal(true).optional().meta({ description: 'Every customer within your data scope.' }),
  })
  .superRefine((s, issue) => {
    const given = [s.externalUserids, s.expression, s.text, s.everyone].filter((v) => v !== undefined).length;
    if (given !== 1) issue.addIssue({ code: 'custom', path: [], message: 'give exactly one of externalUserids, expression, text and everyone' });
  });

/**
 * `POST /operations/batch`: tag (`tagIds` on), untag (`tagIds` off) or move (take off the
 * customer's tags of `move.groupId`, put `move.tagId` on) on the chosen follow relations.
 */
export const BatchBody = z
  .strictObject({
    action: z.enum(['tag', 'untag', 'move']),
    tagIds: z.array(Id).min(1).max(100).optional().meta({ description: 'For tag and untag: the tags to put on or take off.' }),
    move: z
      .strictObject({ groupId: Id, tagId: Id })
      .optional()
      .meta({ description: 'For move: the group whose tags are replaced, and the tag of that group that stays or goes on.' }),
    selection: BatchSelection,
    relations: z
      .strictObject({ userid: Id })
      .optional()
      .meta({ description: "Only the relations of this employee; by default every follower of each customer within the caller's reach." }),
  })
  .superRefine((b, issue) => {
    if (b.action === 'move') {
      if (!b.move) issue.addIssue({ code: 'custom', path: ['move'], message: 'move needs { groupId, tagId }' });
      if (b.tagIds) issue.addIssue({ code: 'custom', path: ['tagIds'], message: 'move takes move.tagId, not tagIds' });
    } else {
      if (!b.tagIds) issue.addIssue({ code: 'custom', path: ['tagIds'], message: `${b.action} needs tagIds` });
      if (b.move) issue.addIssue({ code: 'custom', path: ['move'], message: `move is only for action "move"` });
    }
  });

/** A batch request as validated. */
export type BatchInput = z.infer<typeof BatchBody>;

/** What an operation is: a batch job, an import, an undo or redo of another, a rule run, or a tag deletion. */
export const OperationKind = z.enum(['batch', 'import', 'undo', 'redo', 'rule', 'deletion', 'smart_sync', 'wecom_pull']);

/** `:operationId` in a path. */
export const OperationParams = z.strictObject({ operationId: Id });

/** `GET /operations`: newest first, keyset-paged, optionally filtered. */
export const ListOperationsQuery = z.strictObject({
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
  kind: OperationKind.optional(),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only operations created at or after this instant.' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only operations created before this instant.' }),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---- output ----

/** Where an operation stands, with its live progress. */
export const OperationProgress = z.object({
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  done: z.int(),
  total: z.int(),
  ratePerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
});

/** One operation: what was asked, by whom, how far it got and what it did. */
export const Operation = OperationProgress.extend({
  operationId: z.string(),
  kind: OperationKind,
  params: z.record(z.string(), z.unknown()),
  actor: z.string().meta({ description: '`user:ID`, `app:ID` or `system:NAME`.' }),
  actorName: z
    .string()
    .nullable()
    .meta({ description: "The employee's name when the actor is `user:ID` and the employee is known; null for apps and the system." }),
  source: z.string(),
  result: z.looseObject({ added: z.int(), removed: z.int(), conflicts: z.unknown().optional() }).nullable().meta({
    description:
      'Marks put on (`added`) and taken off (`removed`), with what the kind adds: an import its rows and created customers, an undo or redo its conflicts, a batch its relations and outOfRange.',
  }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  attempts: z.int(),
  cancelRequested: z.boolean(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  undoneBy: z.string().nullable(),
  targetOperationId: z.string().nullable(),
  abilities: z.object({ undo: z.boolean(), redo: z.boolean(), cancel: z.boolean() }).meta({
    description:
      'What the caller may do with this operation now (`POST /operations/:id/undo`, `/redo`, `/cancel`), so a client shows only those buttons. The server checks again when asked.',
  }),
});

/** `POST /operations/batch` (202) and `POST /operations/:id/cancel`. */
export const OperationEnvelope = z.object({ operation: Operation });

/** `GET /operations`: a page, newest first. */
export const OperationPage = z.object({ operations: z.array(Operation), nextCursor: z.string().nullable() });
