import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const srcRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The files that may write marks besides the mark writer, each with why it is not an automatic or
 * bulk mark change in the undo sense. Anything else must go through src/modules/marks/write-marks.ts.
 */
const allowed: Record<string, string> = {
  'modules/marks/write-marks.ts': 'the mark writer itself',
  'modules/operations/undo/reverse-journal.ts': 'undo and redo: reverse a journal and journal the reversal under their own operation',
  'modules/customers/commands/mark-tags.ts': 'one relation, interactive: one statement that records its own follow.tags_changed event',
  'modules/customers/commands/transfer-customers.ts': 'a relation changing hands carries its marks along (same tags, new employee), recorded by its own event',
  'modules/tags/mark-archive.ts': 'a tag deletion archives its marks and a restore brings them back (undone through the deletion operation)',
  'modules/tags/commands/personal-tags.ts': 'deleting a personal tag takes its marks with it',
  'modules/connector/sync/personal-marks.ts':
    'WeCom is the truth for personal tags it reports: one relation, recorded by its own follow.tags_changed event (source wecom-sync)',
  'modules/connector/sync/remove-follow.ts': 'a relation WeCom deleted takes its marks with it, recorded by its follow.deleted event',
};

// Raw SQL writes (`insert into marks`, `delete from marks`, `update marks`) and Drizzle ones
// (`.insert(marks)`, `.delete(marks)`, `.update(marks)`). `archived_marks` is another table.
const writes = [/\binsert\s+into\s+marks\b/i, /\bdelete\s+from\s+marks\b/i, /\bupdate\s+marks\b/i, /\.(insert|delete|update)\(\s*marks\s*\)/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : sourceFiles(path);
    // Tests and their fixtures seed marks directly; only product code is held to the writer.
    const product = entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('test-support.ts');
    return product ? [path] : [];
  });
}

it('writes marks only through the mark writer and the files listed with their reason', () => {
  const writers = sourceFiles(srcRoot)
    .filter((path) => writes.some((pattern) => pattern.test(readFileSync(path, 'utf8'))))
    .map((path) => relative(srcRoot, path).split('\\').join('/'))
    .sort();
  expect(writers.filter((path) => !(path in allowed))).toEqual([]);
  // A listed file that stopped writing marks comes off the list, so the list stays the truth.
  expect(
    Object.keys(allowed)
      .filter((path) => !writers.includes(path))
      .sort(),
  ).toEqual([]);
});
