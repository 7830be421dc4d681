import { and, eq, ne, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { marks, personalTags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { nameKey, normalizeName } from '../../../names/name-policy.js';
import { policyFor, requireEmployeeActor } from '../../../policies/index.js';
import { readCorpSettings } from '../../corps/settings.js';
import { checkName } from '../names.js';

/** A personal tag row as stored. */
export type PersonalTagRow = typeof personalTags.$inferSelect;

function ownerOf(ctx: TxCtx): string {
  // Checked by the policy too; this only gives the clearer message for non-employee actors.
  requireEmployeeActor(ctx.actor, 'Personal tags belong to an employee; act as one (Tagloom-Acting-User).');
  return ctx.actor.userid;
}

/** Refuses a name that looks the same as another of the owner's personal tags; returns its key. */
async function assertFreeName(ctx: TxCtx, owner: string, name: string, exceptId?: string): Promise<string> {
  const key = nameKey(name);
  // Serializes the owner's name changes, so two racing requests (VIP and ＶＩＰ) get a clean
  // name_taken rather than the unique index's error.
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`personal_tags:${ctx.corpId}:${owner}`}))`);
  const conds = [eq(personalTags.corpId, ctx.corpId), eq(personalTags.ownerUserid, owner), eq(personalTags.nameKey, key)];
  if (exceptId) conds.push(ne(personalTags.tagId, exceptId));
  const [clash] = await ctx.tx
    .select({ name: personalTags.name })
    .from(personalTags)
    .where(and(...conds))
    .for('update');
  if (clash)
    throw new AppError('name_taken', { message: `You already have a personal tag named "${clash.name}".`, details: [{ path: 'name', message: 'taken' }] });
  return key;
}

/** Loads one of the acting employee's own personal tags; anyone else's is reported as not found. */
async function lockOwn(ctx: TxCtx, tagId: string): Promise<PersonalTagRow> {
  const owner = ownerOf(ctx);
  const [row] = await ctx.tx
    .select()
    .from(personalTags)
    .where(and(eq(personalTags.corpId, ctx.corpId), eq(personalTags.tagId, tagId), eq(personalTags.ownerUserid, owner)))
    .for('update');
  if (!row) throw new AppError('tag_not_found', { message: `You have no personal tag ${tagId}.` });
  (await policyFor(ctx)).authorize('personalTag.manage', { type: 'personalTag', ownerUserid: row.ownerUserid });
  return row;
}

/** Creates a personal tag owned by the acting employee. */
export async function createPersonalTag(ctx: TxCtx, input: { name: string; groupName?: string }): Promise<PersonalTagRow> {
  const owner = ownerOf(ctx);
  (await policyFor(ctx)).authorize('personalTag.manage', { type: 'personalTag', ownerUserid: owner });
  const settings = await readCorpSettings(ctx);
  const name = checkName(input.name, settings, 'personal tag', 'name');
  // A personal tag's group is only a label and may be left out; blank or invisible-only reads as none.
  const groupName =
    input.groupName === undefined || normalizeName(input.groupName) === '' ? '' : checkName(input.groupName, settings, 'personal tag group', 'group_name');
  const key = await assertFreeName(ctx, owner, name);
  const [row] = await ctx.tx
    .insert(personalTags)
    .values({ corpId: ctx.corpId, tagId: newId.personalTag(), ownerUserid: owner, name, nameKey: key, groupName })
    .returning();
  await recordEvent(ctx, { type: 'personal_tag.created', subjectType: 'personal_tag', subjectId: row!.tagId, after: { name, groupName, owner } });
  return row!;
}

/** Renames one of the acting employee's personal tags. */
export async function renamePersonalTag(ctx: TxCtx, input: { tagId: string; name: string }): Promise<PersonalTagRow> {
  const tag = await lockOwn(ctx, input.tagId);
  const name = checkName(input.name, await readCorpSettings(ctx), 'personal tag', 'name');
  const key = await assertFreeName(ctx, tag.ownerUserid, name, tag.tagId);
  const [row] = await ctx.tx
    .update(personalTags)
    .set({ name, nameKey: key })
    .where(and(eq(personalTags.corpId, ctx.corpId), eq(personalTags.tagId, tag.tagId)))
    .returning();
  await recordEvent(ctx, { type: 'personal_tag.renamed', subjectType: 'personal_tag', subjectId: tag.tagId, before: { name: tag.name }, after: { name } });
  return row!;
}

/** Deletes one of the acting employee's personal tags and takes it off their customers. */
export async function deletePersonalTag(ctx: TxCtx, input: { tagId: string }): Promise<{ marksRemoved: number }> {
  const tag = await lockOwn(ctx, input.tagId);
  const removed = await ctx.tx
    .delete(marks)
    .where(and(eq(marks.corpId, ctx.corpId), eq(marks.tagId, tag.tagId)))
    .returning({ id: marks.externalUserid });
  await ctx.tx.delete(personalTags).where(and(eq(personalTags.corpId, ctx.corpId), eq(personalTags.tagId, tag.tagId)));
  await recordEvent(ctx, {
    type: 'personal_tag.deleted',
    subjectType: 'personal_tag',
    subjectId: tag.tagId,
    before: { name: tag.name, groupName: tag.groupName, owner: tag.ownerUserid },
    payload: { marksRemoved: removed.length },
  });
  return { marksRemoved: removed.length };
}
