import { expect, it } from 'vitest';
import { withTx } from '../../context.js';
import { events } from '../../db/schema/index.js';
import { recordEvent } from '../../events/record.js';
import { apiClient, buildApiScene, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { auditCsvChunks, auditCsvColumns } from './audit.csv.js';
import { pageAuditEvents } from './audit.queries.js';
import { exportCsv, parseCsv, readAllAudit } from './test-support.js';

const header = auditCsvColumns.join(',');

describeDb('audit export', (db) => {
  const app = useTestApp(db);

  it('answers text/csv with a BOM; commas, quotes, line breaks, Chinese and formulas survive exactly', async () => {
    const s = await buildApiScene(db().db);
    const reason = '离职交接, 见 "王五" 的邮件\n第二行';
    await withTx(s.ctx, (tx) =>
      recordEvent(tx, {
        type: 'corp.settings_changed',
        subjectType: 'corp',
        subjectId: s.corpId,
        before: { note: '旧' },
        after: { note: 'a,"b"' },
        reason,
        operationId: 'opQUOTES',
      }),
    );
    await withTx(s.ctx, (tx) =>
      recordEvent(tx, {
        type: 'corp.settings_changed',
        subjectType: 'corp',
        subjectId: s.corpId,
        reason: '=HYPERLINK("http://evil")',
        operationId: 'opFORMULA',
      }),
    );

    const res = await exportCsv(app, s.key, s.admin, 'operationId=opQUOTES');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="audit-${s.corpId}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const [event] = await readAllAudit(app, s.key, s.admin, 'operationId=opQUOTES');
    const expected =
      `\uFEFF${header}\r\n` +
      `${event.seq},${event.at},corp.settings_changed,app:customer_contact,api,corp,${s.corpId},"离职交接, 见 ""王五"" 的邮件\n第二行",opQUOTES,,false,` +
      `"{""note"":""旧""}","{""note"":""a,\\""b\\""""}",\r\n`;
    expect(res.text).toBe(expected);
    expect(parseCsv(res.text.slice(1))[1]).toEqual([
      String(event.seq),
      event.at,
      'corp.settings_changed',
      'app:customer_contact',
      'api',
      'corp',
      s.corpId,
      reason,
      'opQUOTES',
      '',
      'false',
      '{"note":"旧"}',
      '{"note":"a,\\"b\\""}',
      '',
    ]);

    const formula = parseCsv((await exportCsv(app, s.key, s.admin, 'operationId=opFORMULA')).text.slice(1));
    expect(formula[1]![7]).toBe('\'=HYPERLINK("http://evil")');
    // No match: the header alone, still with its BOM.
    expect((await exportCsv(app, s.key, s.admin, 'operationId=opNONE')).text).toBe(`\uFEFF${header}\r\n`);
  });

  it('streams every matching event page by page, newest first, the same as GET /audit', async () => {
    const s = await buildApiScene(db().db);
    // 1,200 synthetic events: more than two export pages of 500.
    await db()
      .db.insert(events)
      .values(
        Array.from({ length: 1200 }, (_, i) => ({
          corpId: s.corpId,
          type: 'follow.remarked',
          actor: 'user:bulk',
          source: 'import',
          subjectType: 'follow',
          subjectId: `u${i % 7}|${s.customer}`,
          after: { remark: `备注 ${i}, "引号"` },
        })),
      );
    const json = await readAllAudit(app, s.key, undefined, `customer=${s.customer}`);
    const res = await exportCsv(app, s.key, undefined, `customer=${s.customer}`);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0]).toEqual([...auditCsvColumns]);
    expect(rows.length - 1).toBe(json.length);
    expect(json.length).toBe(1201); // the 1,200 and the customer's creation
    rows.slice(1).forEach((row, i) => {
      const e = json[i];
      expect(row).toEqual([
        String(e.seq),
        e.at,
        e.type,
        e.actor,
        e.source,
        e.subject.type,
        e.subject.id ?? '',
        e.reason ?? '',
        e.operationId ?? '',
        e.requestId ?? '',
        String(e.redacted),
        ...[e.before, e.after, e.payload].map((v) => (v === null ? '' : JSON.stringify(v))),
      ]);
    });

    // The body is produced page by page: BOM + header, then one chunk per keyset page.
    const ctx = s.ctx;
    const filters = { customer: s.customer };
    const chunks: string[] = [];
    for await (const chunk of auditCsvChunks(ctx, filters, await pageAuditEvents(ctx, filters, { limit: 500 }))) chunks.push(chunk);
    expect(chunks.length).toBe(1 + 3);
    expect(chunks.join('')).toBe(res.text);
  });

  it('refuses before streaming: a bad filter or a missing right answers a JSON error', async () => {
    const s = await buildApiScene(db().db);
    const bad = await exportCsv(app, s.key, s.admin, 'limit=5');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.details[0].path).toBe('query.limit');
    const denied = await exportCsv(app, s.key, s.staffA);
    expect({ status: denied.status, type: denied.headers['content-type'], code: JSON.parse(denied.text).error.code }).toEqual({
      status: 403,
      type: 'application/json; charset=utf-8',
      code: 'forbidden',
    });
    expect((await apiClient(app, null).get('/audit/export')).status).toBe(401);
  });
});
