import { and, eq } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { apps } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { unknownDepartments, unknownEmployees } from '../org/org.repo.js';

/** An app row as stored (only the secret's hash). */
export type AppRow = typeof apps.$inferSelect;

/** Loads and locks one app of the corp, or throws `not_found`. */
export async function lockApp(ctx: TxCtx, appId: string): Promise<AppRow> {
  const [row] = await ctx.tx
    .select()
    .from(apps)
    .where(and(eq(apps.corpId, ctx.corpId), eq(apps.appId, appId)))
    .for('update');
  if (!row) throw new AppError('not_found', { message: `No app "${appId}".` });
  return row;
}

/** Throws `validation_failed` naming every department and member of a range that does not exist. */
export async function requireRange(ctx: TxCtx, range: { departments: number[]; userids: string[] }): Promise<void> {
  const details = [
    ...(await unknownDepartments(ctx, range.departments, 'body.range.departments')),
    ...(await unknownEmployees(ctx, range.userids, 'body.range.userids')),
  ];
  if (details.length > 0) throw new AppError('validation_failed', { message: 'The range names departments or members that do not exist.', details });
}

/** An app as the audit log records it: never the secret or its hash. */
export function appSnapshot(row: AppRow) {
  return { name: row.name, kind: row.kind, range: row.kind === 'app' ? { departments: row.rangeDepartments, userids: row.rangeUserids } : null };
}
