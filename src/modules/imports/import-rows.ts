import type { CsvRecord } from './csv/parse-csv.js';

/** The columns an import file may have; `userid` is required, and `name` for new customers. */
export const importColumns = ['external_userid', 'name', 'gender', 'province', 'city', 'corp_name', 'userid', 'add_time', 'tags'] as const;

/** One of the import columns. */
export type ImportColumn = (typeof importColumns)[number];

/** One problem with the file: its line, the column (a header name, or a character position for malformed CSV) and what. */
export type ImportIssue = { line: number; column: string | number; message: string };

/** A tag as the file names it: `group/tag`, or a bare tag name. */
export type TagRef = { group?: string; name: string; text: string };

/** One data row: a follow relation (customer × employee) with the tags to put on it. */
export type ImportRow = {
  line: number;
  externalUserid?: string;
  name: string;
  gender?: number;
  province: string;
  city: string;
  corpName: string;
  userid: string;
  addTime?: Date;
  tags: TagRef[];
};

const genders: Record<string, number> = { unknown: 0, '0': 0, 未知: 0, male: 1, '1': 1, 男: 1, female: 2, '2': 2, 女: 2 };
// ISO 8601: a date, or a date and time with an optional offset (no offset = UTC, as JavaScript reads it).
const isoTime = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const idPattern = /^[A-Za-z0-9_\-@.]{1,64}$/;

/** Splits a tags cell: `;` (or the full-width `；`) between tags, `/` between group and tag. */
export function parseTagRefs(cell: string): TagRef[] {
  return cell
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text) => {
      const slash = text.indexOf('/');
      if (slash < 0) return { name: text, text };
      return { group: text.slice(0, slash).trim(), name: text.slice(slash + 1).trim(), text };
    });
}

/**
 * Reads parsed CSV records into import rows, checking what needs no database: the header (known
 * columns, no repeats, `userid` present), the cell count of each row, and the format of gender,
 * add_time, external_userid and tags. Every problem is reported with its line and column.
 */
export function readImportRows(records: CsvRecord[]): { rows: ImportRow[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const [header, ...data] = records;
  if (!header) return { rows: [], issues: [{ line: 1, column: '', message: 'the file is empty: a header row is required' }] };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const position = new Map<ImportColumn, number>();
  names.forEach((name, i) => {
    if (!(importColumns as readonly string[]).includes(name))
      issues.push({ line: header.line, column: name || i + 1, message: `unknown column "${header.cells[i]}" (known: ${importColumns.join(', ')})` });
    else if (position.has(name as ImportColumn)) issues.push({ line: header.line, column: name, message: 'the column appears twice' });
    else position.set(name as ImportColumn, i);
  });
  if (!position.has('userid'))
    issues.push({ line: header.line, column: 'userid', message: 'the userid column (the employee who follows the customer) is required' });
  if (!position.has('name') && !position.has('external_userid'))
    issues.push({ line: header.line, column: 'name', message: 'a name column (or external_userid for existing customers) is required' });
  if (issues.length > 0) return { rows: [], issues };
  if (data.length === 0) return { rows: [], issues: [{ line: header.line + 1, column: '', message: 'the file has a header but no data rows' }] };

  const rows: ImportRow[] = [];
  for (const record of data) {
    if (record.cells.length !== names.length) {
      issues.push({ line: record.line, column: '', message: `the row has ${record.cells.length} cells; the header has ${names.length}` });
      continue;
    }
    const cell = (column: ImportColumn) => {
      const i = position.get(column);
      return i === undefined ? '' : record.cells[i]!.trim();
    };
    const problem = (column: ImportColumn, message: string) => issues.push({ line: record.line, column, message });
    const row: ImportRow = {
      line: record.line,
      name: cell('name'),
      province: cell('province'),
      city: cell('city'),
      corpName: cell('corp_name'),
      userid: cell('userid'),
      tags: parseTagRefs(cell('tags')),
    };
    const externalUserid = cell('external_userid');
    if (externalUserid !== '') {
      if (idPattern.test(externalUserid)) row.externalUserid = externalUserid;
      else problem('external_userid', `"${externalUserid}" is not an external_userid (letters, digits, _-@. and at most 64)`);
    }
    const gender = cell('gender');
    if (gender !== '') {
      const value = genders[gender.toLowerCase()];
      if (value === undefined) problem('gender', `"${gender}" is not a gender (male, female, unknown or 1, 2, 0)`);
      else row.gender = value;
    }
    const addTime = cell('add_time');
    if (addTime !== '') {
      const at = isoTime.test(addTime) ? new Date(addTime.replace(' ', 'T')) : undefined;
      if (!at || Number.isNaN(at.getTime())) problem('add_time', `"${addTime}" is not an ISO date or time (2026-03-01 or 2026-03-01T09:30:00+08:00)`);
      else row.addTime = at;
    }
    if (row.userid === '') problem('userid', 'the follower (an employee userid) is required');
    for (const ref of row.tags) if (ref.group === '' || ref.name === '') problem('tags', `"${ref.text}" is not a tag: write group/tag or a tag name`);
    rows.push(row);
  }
  return { rows, issues };
}
