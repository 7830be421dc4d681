import { z } from 'zod';
import { Id, Timestamp } from './common.js';

// ---- input ----

/** `:operationId` in the path of `POST /operations/:operationId/undo` and `/redo`. */
export const UndoParams = z.strictObject({ operationId: Id });

// ---- output ----

/**
 * Why one change of the operation was left alone:
 * - `removed_since`: a mark the operation put on has been taken off since;
 * - `changed_since`: a mark the operation put on has been removed and put on again since (by someone else);
 * - `readded_since`: a mark the operation took off has been put on again since;
 * - `relation_gone`: the follow relation no longer exists;
 * - `tag_deleted`: the tag (or its group) has been deleted since;
 * - `restored_since`: (a deletion) the tag has already been restored;
 * - `out_of_range`: a rule-group tag would go back on a relation whose employee has left the rule group's range since.
 */
export const ConflictReason = z.enum(['removed_since', 'changed_since', 'readded_since', 'relation_gone', 'tag_deleted', 'restored_since', 'out_of_range']);

/** One change left alone because the state moved on since the operation. */
export const UndoConflict = z.object({
  tagId: z.string(),
  externalUserid: z.string().nullable().meta({ description: 'Null for a conflict about a whole tag (a deletion).' }),
  userid: z.string().nullable(),
  reason: ConflictReason,
});

/** The undo or redo operation just recorded. */
export const UndoOperation = z.object({
  operationId: z.string(),
  kind: z.enum(['undo', 'redo']),
  status: z.literal('succeeded'),
  targetOperationId: z.string(),
  actor: z.string().meta({ description: '`user:ID`, `app:ID` or `system:NAME`.' }),
  source: z.string(),
  result: z.looseObject({ added: z.int(), removed: z.int(), conflictCount: z.int() }),
  createdAt: Timestamp,
  finishedAt: Timestamp,
});

/** `POST /operations/:operationId/undo` and `/redo`: the new operation and what was left alone (at most 1,000 listed). */
export const UndoResponse = z.object({
  operation: UndoOperation,
  conflicts: z.array(UndoConflict),
  conflictCount: z.int().meta({ description: 'Every conflict, including those beyond the listed 1,000.' }),
});

/** A conflict as the console receives it. */
export type UndoConflict = z.infer<typeof UndoConflict>;
