import type { CustomerDetailDto } from '../../api/customers.js';

/** A tag on a follow relation as the detail receives it, with its origin. */
export type OriginTag = CustomerDetailDto['follows'][number]['tags'][number];

/** The parts of an origin line, before translation: who, how (source or operation kind) and which operation. */
export type OriginParts = { by: string | null; source: string | null; operationKind: string | null; operationId: string | null; at: string | null };

/**
 * What the origin line says about one mark: the employee's name (else the actor label such as
 * `app:crm`), the operation that put it there (batch / import / rule / undo) or the source for a
 * single mark, and when. A mark without an origin (an old server) gives nulls, shown as "unknown".
 */
export function originParts(tag: OriginTag): OriginParts {
  const o = tag.origin;
  if (!o) return { by: null, source: null, operationKind: null, operationId: null, at: null };
  return { by: o.byName ?? (o.by || null), source: o.source || null, operationKind: o.operationKind, operationId: o.operationId, at: o.at };
}
