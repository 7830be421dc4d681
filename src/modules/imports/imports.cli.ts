import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, eq } from 'drizzle-orm';
import type { Actor, Ctx } from '../../context.js';
import type { Db } from '../../db/client.js';
import { corps, employees } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { dryRunImport, type ImportReport, importCustomers } from './commands/import-customers.js';
import { exportCustomersCsv } from './export/customers-csv.js';
import { exportRelationsCsv } from './export/relations-csv.js';
import { createProgress } from './progress.js';

type Out = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } };

/**
 * The context the CLI acts in: the system actor (`system:cli`), or an active employee with `--as`,
 * who is then held to their own role and data scope like anywhere else.
 */
export async function cliContext(db: Db, corpId: string, as?: string): Promise<Ctx> {
  const [corp] = await db.select({ id: corps.corpId }).from(corps).where(eq(corps.corpId, corpId));
  if (!corp) throw new AppError('not_found', { message: `No corp "${corpId}" in this database (use --corp).` });
  let actor: Actor = { kind: 'system', name: 'cli' };
  if (as !== undefined) {
    const [employee] = await db
      .select({ role: employees.role, status: employees.status })
      .from(employees)
      .where(and(eq(employees.corpId, corpId), eq(employees.userid, as)));
    if (employee?.status !== 'active') throw new AppError('employee_not_found', { message: `No active employee "${as}" in ${corpId}.` });
    actor = { kind: 'employee', userid: as, role: employee.role };
  }
  return { corpId, actor, source: 'cli', db };
}

/** `tagloom import FILE`: a dry run prints its report; an import prints its operation. Exit 1 on problems. */
export async function runImport(ctx: Ctx, file: string, opts: { dryRun: boolean; createTags: boolean }, out: Out): Promise<number> {
  const bytes = await readFile(file);
  const progress = createProgress(opts.dryRun ? 'checking' : 'importing', out.stderr);
  const common = { fileName: basename(file), createTags: opts.createTags, onProgress: progress.update };
  try {
    if (opts.dryRun) {
      const report = await dryRunImport(ctx, bytes, common);
      progress.finish();
      printReport(report, out);
      return report.valid ? 0 : 1;
    }
    const { operationId, result } = await importCustomers(ctx, bytes, common);
    progress.finish();
    out.stdout.write(
      `Imported ${result.rows} rows as operation ${operationId}: ${result.customersCreated} customers, ${result.relationsCreated} relations, ${result.tagsCreated} tags created, ${result.added} marks added.\n`,
    );
    return 0;
  } catch (error) {
    progress.finish();
    if (!(error instanceof AppError)) throw error;
    out.stderr.write(`${error.message}\n`);
    for (const d of error.details ?? []) out.stderr.write(`  ${d.path ? `${d.path}: ` : ''}${d.message}\n`);
    return 1;
  }
}

function printReport(report: ImportReport, out: Out): void {
  if (report.valid) {
    out.stdout.write(
      `Dry run (${report.encoding}): ${report.rows} rows would create ${report.customersNew} customers and ${report.relationsNew} relations, and add ${report.marks} marks.${report.tagsToCreate.length > 0 ? ` Tags to create: ${report.tagsToCreate.join(', ')}.` : ''} Nothing was written.\n`,
    );
    return;
  }
  out.stderr.write(`Dry run (${report.encoding}): ${report.errors.length} problems; nothing would be imported.\n`);
  for (const e of report.errors) out.stderr.write(`  line ${e.line}${e.column === '' ? '' : `, column ${e.column}`}: ${e.message}\n`);
}

/** `tagloom export`: customers with their tags as CSV to `--out` (or stdout), a page at a time. */
export async function runExport(ctx: Ctx, outFile: string | undefined, out: Out, layout: 'customers' | 'relations' = 'customers'): Promise<number> {
  const progress = createProgress('exporting', out.stderr);
  const { total, chunks } = await (layout === 'relations' ? exportRelationsCsv : exportCustomersCsv)(ctx, { onPage: progress.update });
  const target = outFile ? createWriteStream(outFile) : out.stdout;
  await pipeline(Readable.from(chunks, { objectMode: false }), target, { end: outFile !== undefined });
  progress.finish();
  out.stderr.write(`Exported ${total.toLocaleString('en-US')} ${layout}${outFile ? ` to ${outFile}` : ''}.\n`);
  return 0;
}
