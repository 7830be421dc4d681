import type { Ctx } from '../../context.js';
import { type AuditFilters, type AuditPageRows, pageAuditEvents } from './audit.queries.js';
import type { AuditEntry } from './audit.redaction.js';

/** Rows fetched per query while exporting: the keyset page size, so memory stays flat. */
export const exportPageSize = 500;

/** Excel (notably in China) reads a CSV as the local code page unless it starts with this. */
export const utf8Bom = '\uFEFF';

/** The export's columns, in order; JSON columns hold the event's before, after and payload. */
export const auditCsvColumns = [
  'seq',
  'at',
  'type',
  'actor',
  'source',
  'subject_type',
  'subject_id',
  'reason',
  'operation_id',
  'request_id',
  'redacted',
  'before',
  'after',
  'payload',
] as const;

// A cell starting with one of these is run as a formula by Excel and other spreadsheets; reasons,
// remarks and tag names are user input, so such a cell gets a leading apostrophe (OWASP's advice).
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One CSV cell per RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled.
 * @example csvCell('说 "你好", 再见') // → '"说 ""你好"", 再见"'
 */
export function csvCell(value: string): string {
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record (CRLF-terminated) from raw cell values. */
export function csvRecord(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

/** An audit entry as one CSV record, columns as `auditCsvColumns`. */
export function auditCsvRecord(e: AuditEntry): string {
  return csvRecord([
    String(e.seq),
    e.at.toISOString(),
    e.type,
    e.actor,
    e.source,
    e.subjectType,
    e.subjectId ?? '',
    e.reason ?? '',
    e.operationId ?? '',
    e.requestId ?? '',
    e.redacted ? 'true' : 'false',
    json(e.before),
    json(e.after),
    json(e.payload),
  ]);
}

/**
 * The export as CSV chunks: BOM and header, then one chunk per keyset page, fetched only when the
 * consumer asks for more (so a slow download holds back the queries, and nothing is built whole in
 * memory). `first` is the first page, fetched by the caller so a refusal answers before streaming.
 */
export async function* auditCsvChunks(ctx: Ctx, filters: AuditFilters, first: AuditPageRows): AsyncGenerator<string> {
  yield utf8Bom + csvRecord(auditCsvColumns);
  let page = first;
  for (;;) {
    if (page.entries.length > 0) yield page.entries.map(auditCsvRecord).join('');
    if (!page.nextCursor) return;
    page = await pageAuditEvents(ctx, filters, { cursor: page.nextCursor, limit: exportPageSize });
  }
}
