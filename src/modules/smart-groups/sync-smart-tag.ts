import { type SQL, sql } from 'drizzle-orm';
import type { TxCtx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { recordEvent } from '../../events/record.js';
import { newId } from '../../ids.js';
import { policyFor } from '../../policies/index.js';
import { journaledCustomers, recordInlineOperation } from '../marks/mark-operation.js';
import { applyToRelations, type RelationArrays } from '../marks/write-marks.js';

/** Who smart-tag marks are made by (their `created_by`). */
export const smartGroupsActor = 'system:smart-groups';

/** Customers (by index seq) who gain and who lose a smart tag. */
export type SmartTagChange = { tagId: string; gain: number[]; lose: number[] };

/** What a sync wrote: customers (external_userids) that gained and lost the tag. */
export type SmartTagSync = { tagId: string; added: string[]; removed: string[]; operationId: string } | null;

/**
 * Brings one smart tag's marks to what its rule selects: marks (source `rule`) on every follow
 * relation of each gaining customer, and off every relation of each losing one, through the mark
 * writer as one `smart_sync` operation (journaled, listed, undoable) with one event. Skipped (null)
 * when the tag was deleted meanwhile or nothing changes. Undoing a sync reverses exactly its
 * journal; the group then re-converges: the next maintenance round puts the rule's members back
 * (as a new sync), so an undo only sticks for customers the rule no longer selects.
 */
export async function syncSmartTag(ctx: TxCtx, change: SmartTagChange): Promise<SmartTagSync> {
  (await policyFor(ctx)).authorize('rule.manage');
  // The tag row is locked so a concurrent deletion either waits for these marks (and archives
  // them) or has already happened (and nothing is written).
  const [live] = await queryRows<{ tag_id: string; name: string }>(
    ctx.tx,
    sql`
    select t.tag_id, t.name from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    where t.corp_id = ${ctx.corpId} and t.tag_id = ${change.tagId} and t.deleted_at is null and g.deleted_at is null and g.kind = 'smart'
    for share of t`,
  );
  if (!live) return null;
  const operationId = newId.operation();
  const losing =
    change.lose.length === 0
      ? null
      : await relationArrays(
          ctx,
          sql`
    select m.external_userid, m.userid from marks m join customers c on c.corp_id = m.corp_id and c.external_userid = m.external_userid
    where m.corp_id = ${ctx.corpId} and m.tag_id = ${change.tagId} and c.seq = any(${sql.param(change.lose)}::bigint[])`,
        );
  const gaining =
    change.gain.length === 0
      ? null
      : await relationArrays(
          ctx,
          sql`
    select f.external_userid, f.userid from customers c join follows f on f.corp_id = c.corp_id and f.external_userid = c.external_userid
    where c.corp_id = ${ctx.corpId} and c.seq = any(${sql.param(change.gain)}::bigint[])`,
        );
  const origin = { source: 'rule' } as const;
  const removed = losing
    ? await applyToRelations(ctx, operationId, losing, { add: [], remove: [change.tagId], personal: new Set() }, origin)
    : { added: 0, removed: 0 };
  const added = gaining
    ? await applyToRelations(ctx, operationId, gaining, { add: [change.tagId], remove: [], personal: new Set() }, origin)
    : { added: 0, removed: 0 };
  const applied = { added: added.added, removed: removed.removed };
  if (applied.added === 0 && applied.removed === 0) return null;
  const customers = await journaledCustomers(ctx, operationId);
  await recordInlineOperation(ctx, { operationId, kind: 'smart_sync', params: { tagId: change.tagId, tagName: live.name }, applied });
  await recordEvent(ctx, {
    type: 'smart_tag.synced',
    subjectType: 'tag',
    subjectId: change.tagId,
    operationId,
    payload: { ...customers, externalUserids: [...customers.added, ...customers.removed] },
  });
  return { tagId: change.tagId, ...customers, operationId };
}

async function relationArrays(ctx: TxCtx, query: SQL): Promise<RelationArrays | null> {
  const rows = await queryRows<{ external_userid: string; userid: string }>(ctx.tx, query);
  if (rows.length === 0) return null;
  return { externalUserids: rows.map((r) => r.external_userid), userids: rows.map((r) => r.userid) };
}
