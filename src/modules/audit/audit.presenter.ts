import type { z } from 'zod';
import type { AuditEvent, AuditPage } from '../../../contracts/audit.js';
import type { AuditPageRows } from './audit.queries.js';
import type { AuditEntry } from './audit.redaction.js';

/** One audit entry as the native API shows it (already redacted for its reader). */
export function presentAuditEvent(entry: AuditEntry): z.infer<typeof AuditEvent> {
  return {
    seq: entry.seq,
    type: entry.type,
    actor: entry.actor,
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

/** One page of the audit log, newest first. */
export function presentAuditPage(page: AuditPageRows): z.infer<typeof AuditPage> {
  return { events: page.entries.map(presentAuditEvent), nextCursor: page.nextCursor };
}
