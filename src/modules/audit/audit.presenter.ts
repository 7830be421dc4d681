import type { z } from 'zod';
import type { AuditEvent, AuditPage } from '../../../contracts/audit.js';
import type { AuditPageRows } from './audit.queries.js';
import type { AuditEntry } from './audit.redaction.js';

/** One audit entry as the native API shows it (already redacted for its reader), with the actor's name from `names`. */
export function presentAuditEvent(entry: AuditEntry, names: ReadonlyMap<string, string> = new Map()): z.infer<typeof AuditEvent> {
  return {
    seq: entry.seq,
    type: entry.type,
    actor: entry.actor,
    actorName: names.get(entry.actor) ?? null,
    source: entry.source,
    subject: { type: entry.subjectType, id: entry.subjectId },
    before: entry.before ?? null,
    after: entry.after ?? null,
    payload: entry.payload ?? null,
    reason: entry.reason,
    operationId: entry.operationId,
    requestId: entry.requestId,
    at: entry.at.toISOString(),
    redacted: entry.redacted,
  };
}

/** One page of the audit log, newest first; `names` are the actors' (`actorNames`). */
export function presentAuditPage(page: AuditPageRows, names: ReadonlyMap<string, string>): z.infer<typeof AuditPage> {
  return { events: page.entries.map((entry) => presentAuditEvent(entry, names)), nextCursor: page.nextCursor };
}
