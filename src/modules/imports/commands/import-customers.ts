import { actorLabel, type Ctx, type TxCtx, withTx } from '../../../context.js';
import { operations } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { nameKey } from '../../../names/name-policy.js';
import { lockCorpSettings } from '../../corps/settings.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { addFollows } from '../../customers/commands/add-follows.js';
import { applyMarkChanges, type MarkChange } from '../../marks/write-marks.js';
import { addTags } from '../../tags/commands/add-tags.js';
import { type CsvEncoding, decodeCsv, findNulCharacters } from '../csv/decode.js';
import { CsvSyntaxError, parseCsv } from '../csv/parse-csv.js';
import { type ImportIssue, type ImportRow, readImportRows } from '../import-rows.js';
import { type ImportPlan, newTagKey, planImport } from './plan-import.js';

/** How to run an import. `onProgress` hears how much of the write is done (the CLI's progress bar). */
export type ImportOptions = { fileName?: string; createTags?: boolean; onProgress?: (done: number, total: number) => void };

/** A dry run's answer: what the import would do, or every problem by line and column. */
export type ImportReport = {
  valid: boolean;
  encoding: CsvEncoding;
  rows: number;
  customersNew: number;
  relationsNew: number;
  marks: number;
  tagsToCreate: string[];
  errors: ImportIssue[];
};

/** What a real import did, under its operation id (which undo takes). */
export type ImportOutcome = {
  operationId: string;
  result: { rows: number; customersCreated: number; relationsCreated: number; tagsCreated: number; added: number; removed: 0 };
};

/** At most this many problems are listed; a file wrong throughout says so once it is reached. */
export const maxIssues = 500;

/**
 * Checks an import file without writing anything: the whole import runs in a transaction that is
 * then rolled back, so the report's counts (new customers, relations, marks actually added) are
 * exactly what the real import would do, quotas included.
 */
export async function dryRunImport(ctx: Ctx, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportReport> {
  const file = readFile(bytes);
  const report: ImportReport = {
    valid: false,
    encoding: file.encoding,
    rows: file.rows.length,
    customersNew: 0,
    relationsNew: 0,
    marks: 0,
    tagsToCreate: [],
    errors: capped(file.issues),
  };
  if (file.rows.length === 0) return report;
  try {
    await withTx(ctx, async (tx) => {
      const { issues, plan } = await planImport(tx, file.rows, { createTags: opts.createTags ?? false }, file.issues);
      report.tagsToCreate = [...plan.tagsToCreate.values()].flatMap((group) => [...group.tags.values()].map((name) => `${group.name}/${name}`));
      report.errors = capped(issues);
      if (issues.length > 0) throw rollback;
      const { result } = await writeImport(tx, plan, file.rows.length, opts);
      Object.assign(report, { valid: true, customersNew: result.customersCreated, relationsNew: result.relationsCreated, marks: result.added });
      throw rollback;
    });
  } catch (error) {
    if (error === rollback) return report;
    // A check only the write makes (a quota, a name taken meanwhile) is a problem with the file too.
    if (error instanceof AppError && error.status < 500 && error.code !== 'forbidden')
      return { ...report, valid: false, errors: [{ line: 0, column: '', message: error.message }] };
    throw error;
  }
  return report;
}

/**
 * Imports customers, follow relations and tags as one undoable operation, in one transaction:
 * any problem in any row refuses the whole file (400 with every problem by line and column) and
 * nothing is written.
 */
export async function importCustomers(ctx: Ctx, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportOutcome> {
  const file = readFile(bytes);
  if (file.rows.length === 0) throw invalid(file.issues);
  return withTx(ctx, async (tx) => {
    // Imports of one corp run one at a time, so two files creating the same external_userid, tag or
    // group cannot both pass the checks (the second sees what the first wrote).
    await lockCorpSettings(tx);
    const { issues, plan } = await planImport(tx, file.rows, { createTags: opts.createTags ?? false }, file.issues);
    if (issues.length > 0) throw invalid(issues);
    return writeImport(tx, plan, file.rows.length, opts);
  });
}

const rollback = Symbol('dry run');

function readFile(bytes: Uint8Array): { encoding: CsvEncoding; rows: ImportRow[]; issues: ImportIssue[] } {
  const { text, encoding } = decodeCsv(bytes);
  // No row is read, and nothing looked up, while the file holds characters PostgreSQL refuses.
  const nul = findNulCharacters(text);
  if (nul.length > 0)
    return { encoding, rows: [], issues: nul.map(({ line, column }) => ({ line, column, message: 'a NUL character (U+0000): save the file as CSV text' })) };
  try {
    return { encoding, ...readImportRows(parseCsv(text)) };
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      return {
        encoding,
        rows: [],
        issues: [{ line: error.line, column: error.column, message: `malformed CSV: ${error.message.replace(/^line \d+, column \d+: /, '')}` }],
      };
    throw error;
  }
}

function capped(issues: ImportIssue[]): ImportIssue[] {
  if (issues.length <= maxIssues) return issues;
  return [...issues.slice(0, maxIssues), { line: 0, column: '', message: `…and ${issues.length - maxIssues} more problems` }];
}

/** The 400 of a refused import: one detail per problem, `path` as `line 7: tags`. */
function invalid(issues: ImportIssue[]): AppError {
  const details = capped(issues).map((i) => ({
    path:
      i.line === 0
        ? ''
        : i.column === ''
          ? `line ${i.line}`
          : typeof i.column === 'number'
            ? `line ${i.line}, column ${i.column}`
            : `line ${i.line}: ${i.column}`,
    message: i.message,
    line: i.line,
    column: i.column,
  }));
  return new AppError('validation_failed', {
    message: `The file has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was imported.`,
    details,
  });
}

/** Writes a checked plan: tags to create, customers, relations, then the marks through the operation journal. */
async function writeImport(ctx: TxCtx, plan: ImportPlan, rows: number, opts: ImportOptions): Promise<ImportOutcome> {
  const operationId = newId.operation();
  const total = plan.newCustomers.length + plan.newFollows.length + plan.marks.length;
  let done = 0;
  const progress = (n: number) => opts.onProgress?.((done += n), total);

  const tagIdOf = new Map<string, string>();
  let tagsCreated = 0;
  for (const [groupKey, group] of plan.tagsToCreate) {
    const added = await addTags(ctx, { groupName: group.name, tags: [...group.tags.values()].map((name) => ({ name })), onExistingName: 'merge' });
    for (const tag of added.tags) tagIdOf.set(newTagKey(groupKey, nameKey(tag.name)), tag.tagId);
    tagsCreated += added.tags.length;
  }

  const idOf = new Map<string, string>();
  let relationsCreated = 0;
  for (let i = 0; i < plan.newCustomers.length; i += 2000) {
    const chunk = plan.newCustomers.slice(i, i + 2000);
    const ids = await addCustomers(
      ctx,
      chunk.map((c) => ({
        externalUserid: c.externalUserid,
        name: c.name,
        gender: c.gender,
        province: c.province,
        city: c.city,
        corpName: c.corpName,
        follows: c.follows,
      })),
    );
    chunk.forEach((c, j) => idOf.set(c.key, ids[j]!));
    relationsCreated += chunk.reduce((n, c) => n + c.follows.length, 0);
    progress(chunk.length);
  }
  relationsCreated += await addFollows(ctx, plan.newFollows);
  progress(plan.newFollows.length);

  const changes: MarkChange[] = plan.marks.map((m) => ({
    externalUserid: idOf.get(m.customerKey) ?? m.customerKey,
    userid: m.userid,
    tagId: tagIdOf.get(m.tag) ?? m.tag,
    change: 'add',
  }));
  let added = 0;
  for (let i = 0; i < changes.length; i += 5000) {
    const chunk = changes.slice(i, i + 5000);
    added += (await applyMarkChanges(ctx, operationId, chunk, { source: 'import' })).added;
    progress(chunk.length);
  }

  const result = { rows, customersCreated: plan.newCustomers.length, relationsCreated, tagsCreated, added, removed: 0 as const };
  const now = new Date();
  await ctx.tx.insert(operations).values({
    corpId: ctx.corpId,
    operationId,
    kind: 'import',
    status: 'succeeded',
    params: { fileName: opts.fileName ?? '', rows, createTags: opts.createTags ?? false },
    actor: ctx.actor as unknown as Record<string, unknown>,
    actorLabel: actorLabel(ctx.actor),
    source: 'import',
    total: rows,
    done: rows,
    result,
    startedAt: now,
    finishedAt: now,
  });
  const tagIds = [...new Set(changes.map((c) => c.tagId))];
  await recordEvent(ctx, {
    type: 'operation.applied',
    subjectType: 'operation',
    subjectId: operationId,
    operationId,
    payload: { tagIds, added, removed: 0, import: true },
  });
  return { operationId, result };
}
