import { and, eq, inArray, sql } from 'drizzle-orm';
import { actorLabel, type TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { personalTags } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { recordEvent } from '../../../events/record.js';
import { newId } from '../../../ids.js';
import { forbidden, policyFor } from '../../../policies/index.js';
import { lockLiveTags } from '../../tags/tags.repo.js';

/** One mark to put on: a tag on the relation of `userid` with `externalUserid`. */
export type MarkEntry = { userid: string; externalUserid: string; tagId: string };

/**
 * Puts many marks on at once as one operation with one event (imports and demo seeding; issue 5
 * builds batch jobs with undo on top). Every relation must exist and every tag be live, else
 * nothing is written. Personal tags may only go on their owner's relations.
 */
export async function bulkMark(ctx: TxCtx, entries: MarkEntry[], source: 'import' | 'batch' = 'import'): Promise<{ operationId: string; added: number }> {
  const operationId = newId.operation();
  if (entries.length === 0) return { operationId, added: 0 };
  const tagIds = [...new Set(entries.map((e) => e.tagId))];
  const personal = await ctx.tx.select().from(personalTags).where(and(eq(personalTags.corpId, ctx.corpId), inArray(personalTags.tagId, tagIds)));
  const ownerOf = new Map(personal.map((p) => [p.tagId, p.ownerUserid]));
  const corpTagIds = tagIds.filter((id) => !ownerOf.has(id));
  if (corpTagIds.length > 0) (await policyFor(ctx)).authorize('tag.apply');
  await lockLiveTags(ctx, corpTagIds, 'tagId', 'share');
  // Personal tags stay their owner's: only the owner may apply them, and only on their own relations.
  for (const owner of new Set(ownerOf.values())) (await policyFor(ctx)).authorize('personalTag.manage', { type: 'personalTag', ownerUserid: owner });
  const misplaced = entries.filter((e) => ownerOf.has(e.tagId) && ownerOf.get(e.tagId) !== e.userid);
  if (misplaced.length > 0) throw forbidden('A personal tag can only go on its owner’s customers.');

  let added = 0;
  for (let i = 0; i < entries.length; i += 5000) {
    const chunk = entries.slice(i, i + 5000);
    const rows = await queryRows<{ inserted: number; matched: number }>(ctx.tx, sql`
      with input as (
        select * from unnest(${sql.param(chunk.map((e) => e.userid))}::text[], ${sql.param(chunk.map((e) => e.externalUserid))}::text[], ${sql.param(chunk.map((e) => e.tagId))}::text[]) as i(userid, external_userid, tag_id)
      ), matched as (
        select i.* from input i join follows f on f.corp_id = ${ctx.corpId} and f.userid = i.userid and f.external_userid = i.external_userid
      ), inserted as (
        insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, operation_id)
        select ${ctx.corpId}, m.external_userid, m.userid, m.tag_id, case when m.tag_id = any(${sql.param([...ownerOf.keys()])}::text[]) then 1 else 0 end, ${source}, ${actorLabel(ctx.actor)}, ${operationId}
        from matched m
        on conflict do nothing
        returning 1
      )
      select (select count(*)::int from inserted) as inserted, (select count(*)::int from matched) as matched`);
    const result = rows[0]!;
    if (result.matched !== chunk.length) throw new AppError('no_relation', { message: `${chunk.length - result.matched} entries name a relation that does not exist; nothing was written.` });
    added += result.inserted;
  }
  await recordEvent(ctx, { type: 'follow.tags_changed', subjectType: 'corp', subjectId: ctx.corpId, payload: { bulk: true, entries: entries.length, added }, operationId });
  return { operationId, added };
}
