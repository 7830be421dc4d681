import { and, eq, inArray, sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { personalTags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { forbidden, policyFor } from '../../../policies/index.js';
import { recordInlineOperation } from '../../marks/mark-operation.js';
import { applyMarkChanges, type MarkChange } from '../../marks/write-marks.js';
import { lockLiveTags } from '../../tags/tags.repo.js';

/** One mark to put on: a tag on the relation of `userid` with `externalUserid`. */
export type MarkEntry = { userid: string; externalUserid: string; tagId: string };

/**
 * Puts many marks on at once as one operation with one event (demo seeding and tests), through
 * the mark writer, so the operation is listed and undoable like a batch. Every relation must exist
 * and every tag be live, else nothing is written. Personal tags may only go on their owner's relations.
 */
export async function bulkMark(ctx: TxCtx, entries: MarkEntry[], source: 'import' | 'batch' = 'import'): Promise<{ operationId: string; added: number }> {
  const operationId = newId.operation();
  if (entries.length === 0) return { operationId, added: 0 };
  const tagIds = [...new Set(entries.map((e) => e.tagId))];
  const personal = await ctx.tx
    .select()
    .from(personalTags)
    .where(and(eq(personalTags.corpId, ctx.corpId), inArray(personalTags.tagId, tagIds)));
  const ownerOf = new Map(personal.map((p) => [p.tagId, p.ownerUserid]));
  const corpTagIds = tagIds.filter((id) => !ownerOf.has(id));
  if (corpTagIds.length > 0) (await policyFor(ctx)).authorize('tag.apply');
  await lockLiveTags(ctx, corpTagIds, 'tagId', 'share');
  // Personal tags stay their owner's: only the owner may apply them, and only on their own relations.
  for (const owner of new Set(ownerOf.values())) (await policyFor(ctx)).authorize('personalTag.manage', { type: 'personalTag', ownerUserid: owner });
  const misplaced = entries.filter((e) => ownerOf.has(e.tagId) && ownerOf.get(e.tagId) !== e.userid);
  if (misplaced.length > 0) throw forbidden('A personal tag can only go on its owner’s customers.');

  // Key-share locks keep the relations from being deleted under the new marks.
  const [found] = await queryRows<{ matched: number }>(
    ctx.tx,
    sql`
    with matched as (
      select 1 from unnest(${sql.param(entries.map((e) => e.userid))}::text[], ${sql.param(entries.map((e) => e.externalUserid))}::text[]) as i(userid, external_userid)
      join follows f on f.corp_id = ${ctx.corpId} and f.userid = i.userid and f.external_userid = i.external_userid
      for key share of f
    )
    select count(*)::int as matched from matched`,
  );
  const missing = entries.length - Number(found?.matched ?? 0);
  if (missing > 0) throw new AppError('no_relation', { message: `${missing} entries name a relation that does not exist; nothing was written.` });
  const changes: MarkChange[] = entries.map((e) => ({ ...e, change: 'add' }));
  const { added } = await applyMarkChanges(ctx, operationId, changes, { source });
  await recordInlineOperation(ctx, { operationId, kind: source, params: { bulk: true, entries: entries.length, tagIds }, applied: { added, removed: 0 } });
  await recordEvent(ctx, {
    type: 'follow.tags_changed',
    subjectType: 'corp',
    subjectId: ctx.corpId,
    payload: { bulk: true, entries: entries.length, added },
    operationId,
  });
  return { operationId, added };
}
