import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { recordEvent } from '../../events/record.js';
import { newId } from '../../ids.js';
import { recordInlineOperation } from '../marks/mark-operation.js';
import { applyMarkChanges, type MarkChange, type RelationArrays, relationsTable } from '../marks/write-marks.js';

/**
 * Puts the smart tags a customer already carries onto its newly created follow relations, in the
 * caller's transaction. A smart tag belongs to the customer (its rule selects customers), so every
 * relation carries it; the maintainer only sees customers gaining or losing a tag, never a member's
 * new relation, so the command that creates the relation extends the tag. The marks go through the
 * mark writer as one `smart_sync` operation made by the smart groups (not the caller), with one
 * `smart_tag.synced` event per tag extended.
 */
export async function extendSmartTags(ctx: TxCtx, relations: RelationArrays): Promise<number> {
  if (relations.userids.length === 0) return 0;
  const due = await queryRows<{ tag_id: string; external_userid: string; userid: string }>(
    ctx.tx,
    sql`
    select distinct r.external_userid, r.userid, m.tag_id
    from ${relationsTable(relations)}
    join marks m on m.corp_id = ${ctx.corpId} and m.external_userid = r.external_userid and m.userid <> r.userid
    join tags t on t.corp_id = m.corp_id and t.tag_id = m.tag_id and t.deleted_at is null
    join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id and g.kind = 'smart' and g.deleted_at is null
    order by m.tag_id, r.external_userid, r.userid`,
  );
  if (due.length === 0) return 0;
  const smart: TxCtx = { ...ctx, actor: { kind: 'system', name: 'smart-groups' } };
  const operationId = newId.operation();
  const changes: MarkChange[] = due.map((d) => ({ externalUserid: d.external_userid, userid: d.userid, tagId: d.tag_id, change: 'add' }));
  const applied = await applyMarkChanges(smart, operationId, changes, { source: 'rule' });
  if (applied.added === 0) return 0;
  const byTag = new Map<string, Set<string>>();
  for (const row of due) byTag.set(row.tag_id, (byTag.get(row.tag_id) ?? new Set()).add(row.external_userid));
  await recordInlineOperation(smart, { operationId, kind: 'smart_sync', params: { tagIds: [...byTag.keys()], newRelations: true }, applied });
  for (const [tagId, customers] of byTag) {
    const added = [...customers];
    await recordEvent(smart, {
      type: 'smart_tag.synced',
      subjectType: 'tag',
      subjectId: tagId,
      operationId,
      payload: { added, removed: [], externalUserids: added, newRelations: true },
    });
  }
  return applied.added;
}
