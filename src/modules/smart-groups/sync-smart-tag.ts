import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { recordEvent } from '../../events/record.js';
import { newId } from '../../ids.js';
import { policyFor } from '../../policies/index.js';

/** Who smart-tag marks are made by (their `created_by`). */
export const smartGroupsActor = 'system:smart-groups';

/** Customers (by index seq) who gain and who lose a smart tag. */
export type SmartTagChange = { tagId: string; gain: number[]; lose: number[] };

/** What a sync wrote: customers (external_userids) that gained and lost the tag. */
export type SmartTagSync = { tagId: string; added: string[]; removed: string[]; operationId: string } | null;

/**
 * Brings one smart tag's marks to what its rule selects: marks (source `rule`) on every follow
 * relation of each gaining customer, and off every relation of each losing one, as one operation
 * with one event. Skipped (null) when the tag was deleted meanwhile or nothing changes.
 */
export async function syncSmartTag(ctx: TxCtx, change: SmartTagChange): Promise<SmartTagSync> {
  (await policyFor(ctx)).authorize('rule.manage');
  // The tag row is locked so a concurrent deletion either waits for these marks (and archives
  // them) or has already happened (and nothing is written).
  const [live] = await queryRows<{ tag_id: string }>(ctx.tx, sql`
    select t.tag_id from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    where t.corp_id = ${ctx.corpId} and t.tag_id = ${change.tagId} and t.deleted_at is null and g.deleted_at is null and g.kind = 'smart'
    for share of t`);
  if (!live) return null;
  const operationId = newId.operation();
  const added = change.gain.length === 0 ? [] : await queryRows<{ external_userid: string }>(ctx.tx, sql`
    insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by, operation_id)
    select f.corp_id, f.external_userid, f.userid, ${change.tagId}, 0, 'rule', ${smartGroupsActor}, ${operationId}
    from customers c join follows f on f.corp_id = c.corp_id and f.external_userid = c.external_userid
    where c.corp_id = ${ctx.corpId} and c.seq = any(${sql.param(change.gain)}::bigint[])
    on conflict do nothing
    returning external_userid`);
  const removed = change.lose.length === 0 ? [] : await queryRows<{ external_userid: string }>(ctx.tx, sql`
    delete from marks m using customers c
    where m.corp_id = ${ctx.corpId} and m.tag_id = ${change.tagId} and c.corp_id = m.corp_id and c.external_userid = m.external_userid
      and c.seq = any(${sql.param(change.lose)}::bigint[])
    returning m.external_userid`);
  const result = { tagId: change.tagId, added: [...new Set(added.map((r) => r.external_userid))], removed: [...new Set(removed.map((r) => r.external_userid))], operationId };
  if (result.added.length === 0 && result.removed.length === 0) return null;
  await recordEvent(ctx, {
    type: 'smart_tag.synced',
    subjectType: 'tag',
    subjectId: change.tagId,
    operationId,
    payload: { added: result.added, removed: result.removed, externalUserids: [...result.added, ...result.removed] },
  });
  return result;
}
