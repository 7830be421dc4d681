import type { TxCtx } from '../../../context.js';
import { AppError } from '../../../errors.js';
import type { SyncCounts } from './types.js';

/**
 * Runs one item of a sync in a savepoint: a coded refusal (a name Tagloom's rules refuse, a quota)
 * rolls back that item only, counts it skipped and notes the problem, so one odd item never stops
 * a pull. Anything else (a bug, the database gone) still throws.
 */
export async function attempt<T>(ctx: TxCtx, counts: SyncCounts, label: string, fn: (ctx: TxCtx) => Promise<T>): Promise<T | undefined> {
  try {
    return await ctx.tx.transaction((sp) => fn({ ...ctx, tx: sp }));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    counts.skipped += 1;
    if (counts.problems.length < 100) counts.problems.push(`${label}: ${error.code} ${error.message}`);
    return undefined;
  }
}
