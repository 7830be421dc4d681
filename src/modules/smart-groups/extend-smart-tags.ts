import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { recordEvent } from '../../events/record.js';
import { newId } from '../../ids.js';
import { relationsTable, type RelationArrays } from '../operations/apply-changes.js';
import { smartGroupsActor } from './sync-smart-tag.js';

/**
 * Puts the smart tags a customer already carries onto its newly created follow relations, in the
 * caller's transaction. A smart tag belongs to the customer (its rule selects customers), so every
 * relation carries it; the maintainer only sees customers gaining or losing a tag, never a member's
 * new relation, so the command that creates the relation extends the tag. One `smart_tag.synced`
 * event per tag extended, all under one operation id.
 */
export async function extendSmartTags(ctx: TxCtx, relations: RelationArrays): Promise<number> {
  if (relations.userids.length === 0) return 0;
  const operationId = newId.operation();
  const rows = await queryRows<{ tag_id: string; external_userid: string }>(ctx.tx, sql`
    insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, operation_id)
    select distinct ${ctx.corpId}, r.external_userid, r.userid, m.tag_id, 0, 'rule', ${smartGroupsActor}, ${operationId}
    from ${relationsTable(relations)}
    join marks m on m.corp_id = ${ctx.corpId} and m.external_userid = r.external_userid and m.userid <> r.userid
    join tags t on t.corp_id = m.corp_id and t.tag_id = m.tag_id and t.deleted_at is null
    join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id and g.kind = 'smart' and g.deleted_at is null
    on conflict do nothing
    returning tag_id, external_userid`);
  const byTag = new Map<string, Set<string>>();
  for (const row of rows) byTag.set(row.tag_id, (byTag.get(row.tag_id) ?? new Set()).add(row.external_userid));
  for (const [tagId, customers] of byTag) {
    const added = [...customers];
    await recordEvent(ctx, {
      type: 'smart_tag.synced',
      subjectType: 'tag',
      subjectId: tagId,
      operationId,
      payload: { added, removed: [], externalUserids: added, newRelations: true },
    });
  }
  return rows.length;
}
