import { eq, sql } from 'drizzle-orm';
import { settingBounds as contractBounds } from '../../../contracts/settings.js';
import { type Ctx, reader, type TxCtx } from '../../context.js';
import { type CorpSettings, corps } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** DESIGN.md §4 defaults; a corp's stored settings override them one by one. */
export const defaultSettings: CorpSettings = { nameMaxLength: 16, tagsPerGroup: 3000, corpTagsMax: 10000 };

/** Upper bounds a corp may raise its settings to; defined in the contracts so the console shares them. */
export const settingBounds: CorpSettings = contractBounds;

/**
 * Locks the corp row and returns its settings. Every command that creates or renames tags takes
 * this lock first, so quota and name checks cannot race with another writer in the same corp.
 */
export async function lockCorpSettings(ctx: TxCtx): Promise<CorpSettings> {
  const [row] = await ctx.tx.select({ settings: corps.settings }).from(corps).where(eq(corps.corpId, ctx.corpId)).for('update');
  if (!row) throw new AppError('not_found', { message: `Corp ${ctx.corpId} does not exist.` });
  return { ...defaultSettings, ...row.settings };
}

/** Reads the corp's settings without locking (for queries). */
export async function readCorpSettings(ctx: Ctx | TxCtx): Promise<CorpSettings> {
  const [row] = await reader(ctx).select({ settings: corps.settings }).from(corps).where(eq(corps.corpId, ctx.corpId));
  if (!row) throw new AppError('not_found', { message: `Corp ${ctx.corpId} does not exist.` });
  return { ...defaultSettings, ...row.settings };
}

/** Marks the tag library as changed so cached tag lists (in any process) are rebuilt. */
export async function bumpTagVersion(ctx: TxCtx): Promise<void> {
  await ctx.tx
    .update(corps)
    .set({ tagVersion: sql`${corps.tagVersion} + 1` })
    .where(eq(corps.corpId, ctx.corpId));
}

/** Marks the organization (departments, employees, roles, app ranges, rule groups) as changed, so every process reloads its policy snapshot. */
export async function bumpOrgVersion(ctx: TxCtx): Promise<void> {
  await ctx.tx
    .update(corps)
    .set({ orgVersion: sql`${corps.orgVersion} + 1` })
    .where(eq(corps.corpId, ctx.corpId));
}
