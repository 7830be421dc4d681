import type { z } from 'zod';
import type { ImportIssue } from '../../../../contracts/imports.js';
import type { ErrorDetail } from '../../api/client.js';

/** One problem of a file, as the dry run reports it and the issues table shows it. */
export type ImportIssueDto = z.infer<typeof ImportIssue>;

/** The import file's columns in the order the sample and the relations export use. */
export const importColumns = ['external_userid', 'name', 'gender', 'province', 'city', 'corp_name', 'userid', 'add_time', 'tags'] as const;

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A small valid file to start from: a new customer followed by the user, with one of their tags
 * when they have one (`group/tag`), so the sample passes the dry run as downloaded.
 * @example sampleCsv('zhangsan', { group: '客户等级', tag: 'A级重要客户' })
 */
export function sampleCsv(userid: string, tag?: { group: string; tag: string }): string {
  const tags = tag ? `${tag.group}/${tag.tag}` : '';
  const rows = [
    [...importColumns],
    ['', '王小明', '男', '广东', '深圳', '示例科技', userid, '2026-03-01', tags],
    ['', 'Li Lei', 'female', '', '', '', userid, '2026-03-01T09:30:00+08:00', tags],
  ];
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * The problems of a refused import (400, one detail per problem with its `line` and `column`) as
 * table rows, so a file that changed between the dry run and the import shows the same table.
 */
export function issuesFromDetails(details: ErrorDetail[]): ImportIssueDto[] {
  return details
    .filter((d) => typeof d.line === 'number')
    .map((d) => ({ line: d.line as number, column: typeof d.column === 'number' || typeof d.column === 'string' ? d.column : '', message: d.message }));
}

/** A whole percentage of `done` out of `total`, 100 when there was nothing to do. */
export function percentOf(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.floor((done / total) * 100));
}
