import { sql } from 'drizzle-orm';
import type { BatchInput } from '../../../../contracts/operations.js';
import { type Ctx, reader, type TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import type { TagGroupScope } from '../../../db/schema/index.js';
import { AppError, type ErrorDetail } from '../../../errors.js';
import type { Policy } from '../../../policies/index.js';
import { forbidden } from '../../../policies/index.js';

/** The tags a batch works with, checked for the actor. */
export type BatchTags = {
  /** Tags put on (tag: `tagIds`; move: the target tag). */
  add: string[];
  /** Tags taken off (untag: `tagIds`; move: every other live tag of the group). */
  remove: string[];
  /** The personal tags among them (the actor's own): the batch then acts on the actor's own relations only. */
  personalIds: string[];
  /** The added tags of rule groups, each with its rule group: they go only on relations of the group's range members. */
  strategyOf: Map<string, number>;
};

type TagRow = { tag_id: string; group_id: string; kind: 'corp' | 'strategy' | 'smart'; scope: TagGroupScope; strategy_id: number | null };

/**
 * Resolves and authorizes a batch's tags, at request time and again inside the job's transaction
 * (`lock`: share-locks the tags so they cannot be deleted under the running batch). Unknown,
 * deleted, or someone else's personal tags all read "unknown" (404) so ids cannot be probed;
 * smart tags are refused (their rules keep them); group scopes are checked as for one mark.
 */
export async function checkBatchTags(ctx: Ctx | TxCtx, policy: Policy, body: BatchInput, lock = false): Promise<BatchTags> {
  const apply = body.action !== 'untag';
  const remove = body.action !== 'tag';
  if (apply) policy.authorize('tag.apply');
  if (remove) policy.authorize('tag.remove');
  const ids = body.action === 'move' ? [body.move!.tagId] : [...new Set(body.tagIds!)];
  const paths = (id: string) => (body.action === 'move' ? ['body.move.tagId'] : body.tagIds!.flatMap((t, i) => (t === id ? [`body.tagIds.${i}`] : [])));
  const owner = ctx.actor.kind === 'employee' ? ctx.actor.userid : null;
  const forLock = lock ? sql` order by t.tag_id for share of t` : sql``;
  // A move takes off every other tag of its group: lock the whole group's tags up front, in tag_id
  // order as every command does, rather than the target first and its siblings after.
  if (lock && body.action === 'move') {
    await queryRows(
      reader(ctx),
      sql`select tag_id from tags where corp_id = ${ctx.corpId} and group_id = ${body.move!.groupId} and deleted_at is null order by tag_id for share`,
    );
  }
  const rows = await queryRows<TagRow>(
    reader(ctx),
    sql`
    select t.tag_id, t.group_id, g.kind, g.scope, g.strategy_id from tags t
    join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    where t.corp_id = ${ctx.corpId} and t.tag_id = any(${sql.param(ids)}::text[]) and t.deleted_at is null and g.deleted_at is null${forLock}`,
  );
  const personal =
    owner === null || body.action === 'move'
      ? []
      : await queryRows<{ tag_id: string }>(
          reader(ctx),
          sql`
    select tag_id from personal_tags where corp_id = ${ctx.corpId} and owner_userid = ${owner} and tag_id = any(${sql.param(ids)}::text[])${lock ? sql` for share` : sql``}`,
        );
  const known = new Set([...rows.map((r) => r.tag_id), ...personal.map((p) => p.tag_id)]);
  const missing: ErrorDetail[] = ids.filter((id) => !known.has(id)).flatMap((id) => paths(id).map((path) => ({ path, message: 'unknown tag id', id })));
  if (body.action === 'move') {
    const [group] = await queryRows<{ kind: string }>(
      reader(ctx),
      sql`select kind from tag_groups where corp_id = ${ctx.corpId} and group_id = ${body.move!.groupId} and deleted_at is null`,
    );
    if (!group) missing.unshift({ path: 'body.move.groupId', message: 'unknown tag group id', id: body.move!.groupId });
  }
  if (missing.length > 0) throw new AppError('tag_not_found', { message: `Unknown tag or group: ${missing.map((m) => m.id).join(', ')}.`, details: missing });

  const smart = rows.filter((r) => r.kind === 'smart');
  if (smart.length > 0) {
    throw new AppError('validation_failed', {
      message: 'Tags of a smart group are kept by its rules and cannot be changed in a batch.',
      details: smart.flatMap((r) => paths(r.tag_id).map((path) => ({ path, message: 'smart tag', id: r.tag_id }))),
    });
  }
  if (body.action === 'move' && rows[0]!.group_id !== body.move!.groupId) {
    throw new AppError('validation_failed', {
      message: `Tag ${body.move!.tagId} is not in group ${body.move!.groupId}.`,
      details: [{ path: 'body.move.tagId', message: 'not a tag of move.groupId' }],
    });
  }
  for (const r of rows) {
    const group = { kind: r.kind, scope: r.scope, strategyId: r.strategy_id };
    if (!policy.canApplyGroup(group)) throw forbidden(`Not allowed to apply or remove the tags of group ${r.group_id}.`);
  }
  if (personal.length > 0) {
    policy.authorize('personalTag.manage', { type: 'personalTag', ownerUserid: owner! });
    if (body.relations && body.relations.userid !== owner)
      throw forbidden('Personal tags go only on their owner’s own relations: leave relations out or set it to yourself.');
  }
  const strategyOf = new Map(apply ? rows.filter((r) => r.kind === 'strategy' && r.strategy_id !== null).map((r) => [r.tag_id, r.strategy_id!]) : []);
  if (body.action !== 'move') return { add: apply ? ids : [], remove: remove ? ids : [], personalIds: personal.map((p) => p.tag_id), strategyOf };
  // Every live tag of the group but the target comes off (the group's set is read here, under the
  // same transaction as the writes when run by the worker).
  const others = await queryRows<{ tag_id: string }>(
    reader(ctx),
    sql`
    select tag_id from tags where corp_id = ${ctx.corpId} and group_id = ${body.move!.groupId} and deleted_at is null and tag_id <> ${body.move!.tagId}`,
  );
  return { add: ids, remove: others.map((o) => o.tag_id), personalIds: [], strategyOf };
}
