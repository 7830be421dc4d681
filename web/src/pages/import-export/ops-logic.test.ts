import { describe, expect, it } from 'vitest';
import { auditSearch } from '../../api/audit.js';
import { fileNameOf } from '../../api/transfer.js';
import { actorText, conflictsOf, resultCounts } from '../operations/operation-logic.js';
import { importColumns, issuesFromDetails, percentOf, sampleCsv } from './import-logic.js';

describe('the import sample', () => {
  it('has the import header and rows followed by the user, with their tag as group/tag, quoted where needed', () => {
    const lines = sampleCsv('d12u1', { group: '客户等级', tag: 'A级,重要' }).split('\r\n');
    expect(lines[0]).toBe(importColumns.join(','));
    expect(lines).toHaveLength(4);
    expect(lines[1]!.split(',')[6]).toBe('d12u1');
    expect(lines[1]).toContain('"客户等级/A级,重要"');
    expect(lines[3]).toBe('');
    expect(sampleCsv('u1').split('\r\n')[1]!.endsWith(',u1,2026-03-01,')).toBe(true);
  });
});

describe('a refused import as table rows', () => {
  it('keeps the details that have a line, with their column and message', () => {
    const details = [
      { path: 'line 7: tags', message: 'unknown tag "x"', line: 7, column: 'tags' },
      { path: 'body', message: 'not a CSV body' },
      { path: 'line 2', message: 'unclosed quote', line: 2, column: 14 },
    ];
    expect(issuesFromDetails(details)).toEqual([
      { line: 7, column: 'tags', message: 'unknown tag "x"' },
      { line: 2, column: 14, message: 'unclosed quote' },
    ]);
  });
});

describe('progress percentages', () => {
  it('floors, caps at 100 and treats nothing to do as done', () => {
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(0, 0)).toBe(100);
    expect(percentOf(0, 10)).toBe(0);
  });
});

describe('download file names', () => {
  it('keeps the server’s name from Content-Disposition, UTF-8 form first', () => {
    expect(fileNameOf('attachment; filename="customers-ww-demo-2026-12-06.csv"', 'x.csv')).toBe('customers-ww-demo-2026-12-06.csv');
    expect(fileNameOf('attachment; filename="a.csv"; filename*=UTF-8\'\'%E5%AE%A2%E6%88%B7.csv', 'x.csv')).toBe('客户.csv');
    expect(fileNameOf('attachment; filename=plain.csv', 'x.csv')).toBe('plain.csv');
    expect(fileNameOf(null, 'x.csv')).toBe('x.csv');
    expect(fileNameOf('attachment', 'x.csv')).toBe('x.csv');
  });
});

describe('the audit query string', () => {
  it('leaves empty filters out and joins event types, so the export asks exactly what the table shows', () => {
    expect(auditSearch({ actor: ' user:d12u1 ', type: ['tag.created', 'tag.deleted'], customer: '', tag: undefined }).toString()).toBe(
      'actor=user%3Ad12u1&type=tag.created%2Ctag.deleted',
    );
    expect(auditSearch({ type: [] }).toString()).toBe('');
    expect(auditSearch({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' }).get('to')).toBe('2026-12-02T00:00:00.000Z');
  });
});

describe('an operation’s result', () => {
  it('lists the counts with added and removed first, leaving lists out', () => {
    expect(resultCounts({ rows: 3, added: 5, removed: 0, customersCreated: 1, conflicts: [], zeta: 2 })).toEqual([
      ['added', 5],
      ['removed', 0],
      ['rows', 3],
      ['customersCreated', 1],
      ['zeta', 2],
    ]);
    expect(resultCounts(null)).toEqual([]);
  });

  it('reads an undo’s stored conflicts and ignores anything else', () => {
    const conflict = { tagId: 'et1', externalUserid: 'wm1', userid: 'u1', reason: 'removed_since' };
    expect(conflictsOf({ added: 0, removed: 1, conflicts: [conflict, { nope: true }], conflictCount: 1 })).toEqual([conflict]);
    expect(conflictsOf({ added: 1, removed: 0 })).toEqual([]);
    expect(actorText('user:d12u1')).toBe('d12u1');
    expect(actorText('user:d12u1', '周敏')).toBe('周敏');
    expect(actorText('system:cli', null)).toBe('system:cli');
  });
});

describe('the import progress stream', () => {
  it('reads complete events as they arrive and leaves a cut-off one for the next read', async () => {
    const { readEvents } = await import('../../api/transfer.js');
    const full =
      'event: progress\ndata: {"done":2000,"total":5000}\n\nevent: progress\ndata: {"done":5000,"total":5000}\n\nevent: outcome\ndata: {"operationId":"op1"}\n\n';
    const cut = full.length - 10;
    const first = readEvents(full.slice(0, cut), 0);
    expect(first.events).toEqual([
      { event: 'progress', data: { done: 2000, total: 5000 } },
      { event: 'progress', data: { done: 5000, total: 5000 } },
    ]);
    const rest = readEvents(full, first.next);
    expect(rest.events).toEqual([{ event: 'outcome', data: { operationId: 'op1' } }]);
    expect(rest.next).toBe(full.length);
    // A message whose text holds a colon keeps it.
    expect(readEvents('event: error\ndata: {"status":500,"error":{"message":"a: b"}}\n\n', 0).events[0]!.data).toEqual({
      status: 500,
      error: { message: 'a: b' },
    });
  });
});
