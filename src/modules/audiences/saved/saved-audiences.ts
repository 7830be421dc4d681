import { and, eq, sql } from 'drizzle-orm';
import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import { actorLabel, type Ctx, reader, type TxCtx } from '../../../context.js';
import { audiences } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { checkName, checkText } from '../../../names/check-name.js';
import { nameKey } from '../../../names/name-policy.js';
import { describedThings, namedThings } from '../../../names/named-things.js';
import { policyFor } from '../../../policies/index.js';
import { loadCatalog, usesPersonalTags } from '../service/catalog.js';
import { type ExpressionInput, readExpression } from '../service/read-expression.js';

/** A saved audience row. */
export type AudienceRow = typeof audiences.$inferSelect;

/** Who owns what a command creates: the employee's userid, else the actor label (`app:…`). */
const ownerOf = (ctx: Ctx) => (ctx.actor.kind === 'employee' ? ctx.actor.userid : actorLabel(ctx.actor));

/** Whether the actor may see the audience: shared ones, and private ones of their own. */
function visibleTo(ctx: Ctx, row: AudienceRow): boolean {
  return !row.isPrivate || row.ownerUserid === ownerOf(ctx);
}

/** The saved audiences the actor may see, by name. */
export async function listAudiences(ctx: Ctx): Promise<AudienceRow[]> {
  (await policyFor(ctx)).authorize('customer.view');
  const rows = await reader(ctx).select().from(audiences).where(eq(audiences.corpId, ctx.corpId)).orderBy(audiences.name);
  return rows.filter((r) => visibleTo(ctx, r));
}

/** One saved audience; someone else's private one reads as not found. */
export async function getAudience(ctx: Ctx, audienceId: string, lock = false): Promise<AudienceRow> {
  (await policyFor(ctx)).authorize('customer.view');
  const query = reader(ctx)
    .select()
    .from(audiences)
    .where(and(eq(audiences.corpId, ctx.corpId), eq(audiences.audienceId, audienceId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row || !visibleTo(ctx, row)) throw new AppError('not_found', { message: `No audience "${audienceId}".` });
  return row;
}

const checkAudienceName = (name: string) => checkName(name, { ...namedThings.audience, path: 'body.name' });
const checkDescription = (text: string | undefined) => checkText(text, { ...describedThings.audienceDescription, path: 'body.description' });

/** Refuses a name that looks the same as another audience's (by `nameKey`); returns the key. */
async function assertNameFree(ctx: TxCtx, name: string, except?: string): Promise<string> {
  const key = nameKey(name);
  const [taken] = await ctx.tx
    .select({ id: audiences.audienceId, name: audiences.name })
    .from(audiences)
    .where(and(eq(audiences.corpId, ctx.corpId), eq(audiences.nameKey, key)));
  if (taken && taken.id !== except)
    throw new AppError('name_taken', { message: `An audience is already called "${taken.name}".`, details: [{ path: 'body.name', message: 'name taken' }] });
  return key;
}

/** Checks the expression against what the actor may use; returns it with its privacy. */
async function checked(ctx: TxCtx, input: ExpressionInput): Promise<{ expression: Expr; isPrivate: boolean }> {
  const catalog = await loadCatalog(ctx);
  const expression = readExpression(input, catalog);
  return { expression, isPrivate: usesPersonalTags(expression, catalog) };
}

/** Saves a named audience. One using the actor's personal tags becomes private to them. */
export async function createAudience(ctx: TxCtx, input: { name: string; description?: string } & ExpressionInput): Promise<AudienceRow> {
  (await policyFor(ctx)).authorize('audience.manage');
  const name = checkAudienceName(input.name);
  const description = checkDescription(input.description) ?? '';
  const { expression, isPrivate } = await checked(ctx, input);
  // Serializes creations per corp, so two requests cannot both pass the name check.
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`audiences:${ctx.corpId}`}))`);
  const key = await assertNameFree(ctx, name);
  const [row] = await ctx.tx
    .insert(audiences)
    .values({ corpId: ctx.corpId, audienceId: newId.audience(), name, nameKey: key, description, expression, ownerUserid: ownerOf(ctx), isPrivate })
    .returning();
  await recordEvent(ctx, { type: 'audience.created', subjectType: 'audience', subjectId: row!.audienceId, after: { name: row!.name, expression, isPrivate } });
  return row!;
}

/** Renames, re-describes or redefines a saved audience. */
export async function updateAudience(ctx: TxCtx, audienceId: string, patch: { name?: string; description?: string } & ExpressionInput): Promise<AudienceRow> {
  (await policyFor(ctx)).authorize('audience.manage');
  const before = await getAudience(ctx, audienceId, true);
  const name = patch.name === undefined ? before.name : checkAudienceName(patch.name);
  const description = checkDescription(patch.description) ?? before.description;
  const next =
    patch.expression !== undefined || patch.text !== undefined ? await checked(ctx, patch) : { expression: before.expression, isPrivate: before.isPrivate };
  let key = before.nameKey;
  if (name !== before.name) {
    await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`audiences:${ctx.corpId}`}))`);
    key = await assertNameFree(ctx, name, audienceId);
  }
  const [row] = await ctx.tx
    .update(audiences)
    .set({ name, nameKey: key, description, expression: next.expression, isPrivate: next.isPrivate, updatedAt: new Date() })
    .where(and(eq(audiences.corpId, ctx.corpId), eq(audiences.audienceId, audienceId)))
    .returning();
  await recordEvent(ctx, {
    type: 'audience.updated',
    subjectType: 'audience',
    subjectId: audienceId,
    before: { name: before.name, description: before.description, expression: before.expression },
    after: { name: row!.name, description: row!.description, expression: row!.expression },
  });
  return row!;
}

/** Deletes a saved audience (the definition only; no customer data changes). */
export async function deleteAudience(ctx: TxCtx, audienceId: string): Promise<void> {
  (await policyFor(ctx)).authorize('audience.manage');
  const before = await getAudience(ctx, audienceId, true);
  await ctx.tx.delete(audiences).where(and(eq(audiences.corpId, ctx.corpId), eq(audiences.audienceId, audienceId)));
  await recordEvent(ctx, {
    type: 'audience.deleted',
    subjectType: 'audience',
    subjectId: audienceId,
    before: { name: before.name, expression: before.expression },
  });
}
