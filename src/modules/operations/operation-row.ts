import type { operations } from '../../db/schema/index.js';

/**
 * An operations row as stored (batch, import, undo, redo, rule or deletion). Defined in this leaf
 * file so the queue, the worker, undo and the routes can share it without importing each other.
 */
export type OperationRow = typeof operations.$inferSelect;
