import { sql } from 'drizzle-orm';
import { actorLabel, type Ctx, reader, type TxCtx } from '../../../context.js';
import { preparedRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { eventInsertSql } from '../../../events/record.js';
import { forbidden, loadOrgSnapshot, policyFor, strategyCovers } from '../../../policies/index.js';
import { lockFollow, resolveMarkTargets } from '../follows.repo.js';

/** Tags to put on and take off one follow relation (employee × customer). */
export type MarkTagsInput = { userid: string; externalUserid: string; add?: string[]; remove?: string[] };

/** The tag ids that actually changed (already-present adds and absent removes are no-ops). */
export type MarkTagsResult = { added: string[]; removed: string[] };

/**
 * Marks and unmarks tags on one follow relation with WeCom's semantics: several tags of one group
 * may coexist. Enterprise tags need `tag.apply` / `tag.remove` on the relation; a personal tag can
 * only be used by its owner on the owner's own relations, and to anyone else it does not exist.
 *
 * mark_tag is the hottest write (DESIGN.md P4), so it runs in two round trips instead of a
 * transaction: resolve and authorize, then one statement that re-checks the relation and the tags
 * under lock and writes the marks and the event together, or writes nothing. (Grouping concurrent
 * statements into one transaction with a savepoint each was tried and measured slower: PostgreSQL
 * already flushes concurrent commits together, and the savepoints cost round trips.)
 */
export async function markTags(ctx: Ctx | TxCtx, input: MarkTagsInput): Promise<MarkTagsResult> {
  const add = [...new Set(input.add ?? [])];
  const remove = [...new Set(input.remove ?? [])];
  if (add.length === 0 && remove.length === 0)
    throw new AppError('validation_failed', { message: 'add_tag and remove_tag are both empty.', details: [{ path: 'add_tag', message: 'empty' }] });
  const both = add.filter((id) => remove.includes(id));
  if (both.length > 0)
    throw new AppError('validation_failed', {
      message: `A tag cannot be added and removed at once: ${both.join(', ')}.`,
      details: both.map((id) => ({ path: 'remove_tag', message: 'also in add_tag', id })),
    });

  for (let attempt = 0; ; attempt += 1) {
    const personal = await checkTargets(ctx, input, add, remove);
    const written = await writeMarks(ctx, input, add, remove, personal);
    if (written) return written;
    // The relation or a tag changed between the check and the write: check again, which either
    // reports the precise error or succeeds on the second go.
    if (attempt > 0) throw new AppError('conflict', { message: 'The relation or a tag changed during the request; try again.' });
  }
}

/** Resolves the ids, reports unknown ones, authorizes; returns the owner's personal tag ids. */
async function checkTargets(ctx: Ctx | TxCtx, input: MarkTagsInput, add: string[], remove: string[]): Promise<string[]> {
  const ids = [...add, ...remove];
  // A personal tag exists only for its owner acting on their own relation. For anyone else its id
  // falls through to the enterprise-tag lookup and is reported unknown, never as forbidden, so a
  // caller cannot probe which personal tag ids exist.
  const ownerActing = ctx.actor.kind === 'employee' && ctx.actor.userid === input.userid;
  const found = await resolveMarkTargets(ctx, input.userid, input.externalUserid, ids, ownerActing);
  if (!found.follow) await lockFollow(ctx, input.userid, input.externalUserid); // throws the precise 40003 / 40096 / 84061
  const known = new Set(found.tags.map((t) => t.tagId));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) {
    const path = add.some((id) => missing.includes(id)) ? 'add_tag' : 'remove_tag';
    throw new AppError('tag_not_found', {
      message: `Unknown tag id: ${missing.join(', ')}.`,
      details: missing.map((id) => ({ path, message: 'unknown tag id', id })),
    });
  }
  if (found.tags.some((t) => t.kind === 'smart'))
    throw new AppError('validation_failed', { message: 'Tags of a smart group are kept by its rules and cannot be marked by hand.' });
  const personal = found.tags.filter((t) => t.kind === 'personal').map((t) => t.tagId);
  const policy = await policyFor(ctx);
  if (personal.length > 0) policy.authorize('personalTag.manage', { type: 'personalTag', ownerUserid: input.userid });
  const snapshot = found.tags.some((t) => t.kind === 'strategy') ? await loadOrgSnapshot(ctx) : null;
  for (const target of found.tags) {
    if (target.kind === 'personal') continue;
    const group = { kind: target.kind, scope: target.scope, strategyId: target.strategyId };
    // The group's apply scope (e.g. 协议价客户 only for 华东 sales), and a rule-group tag goes on
    // only where the member is inside the rule group's range, as in WeCom (removing stays
    // possible, so marks can be cleaned up after a range shrinks).
    policy.authorize(add.includes(target.tagId) ? 'tag.apply' : 'tag.remove', { type: 'tagGroup', group });
    if (snapshot && target.kind === 'strategy' && add.includes(target.tagId) && !strategyCovers(snapshot, target.strategyId, input.userid)) {
      throw forbidden(`${input.userid} is outside the range of the rule group of tag ${target.tagId}.`);
    }
  }
  if (add.some((id) => !personal.includes(id))) policy.authorize('tag.apply', { type: 'follow', userid: input.userid });
  if (remove.some((id) => !personal.includes(id))) policy.authorize('tag.remove', { type: 'follow', userid: input.userid });
  return personal;
}

/** The atomic write: `null` when the re-check under lock failed and nothing was written. */
async function writeMarks(ctx: Ctx | TxCtx, input: MarkTagsInput, add: string[], remove: string[], personal: string[]): Promise<MarkTagsResult | null> {
  const all = [...add, ...remove];
  const corpIds = all.filter((id) => !personal.includes(id));
  const [row] = await preparedRows<{ ok: boolean; added: string[] | null; removed: string[] | null }>(
    reader(ctx),
    'mark_tags_write',
    sql`
    with f as (
      select 1 from follows where corp_id = ${ctx.corpId} and userid = ${input.userid} and external_userid = ${input.externalUserid} for key share
    ), t as (
      select t.tag_id from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
      where t.corp_id = ${ctx.corpId} and t.tag_id = any(${sql.param(corpIds)}::text[]) and t.deleted_at is null and g.kind <> 'smart'
      order by t.tag_id
      for share of t
    ), p as (
      select tag_id from personal_tags
      where corp_id = ${ctx.corpId} and owner_userid = ${input.userid} and tag_id = any(${sql.param(personal)}::text[])
      for share
    ), ok as (
      select exists (select 1 from f) and (select count(*) from t) = ${corpIds.length} and (select count(*) from p) = ${personal.length} as ok
    ), added as (
      insert into marks (corp_id, external_userid, userid, tag_id, personal, source, created_by)
      select ${ctx.corpId}, ${input.externalUserid}, ${input.userid}, a.tag_id, case when a.tag_id = any(${sql.param(personal)}::text[]) then 1 else 0 end, ${markSource(ctx)}, ${actorLabel(ctx.actor)}
      from unnest(${sql.param(add)}::text[]) as a(tag_id)
      where (select ok from ok)
      on conflict do nothing
      returning tag_id
    ), removed as (
      delete from marks
      where (select ok from ok) and corp_id = ${ctx.corpId} and external_userid = ${input.externalUserid} and userid = ${input.userid} and tag_id = any(${sql.param(remove)}::text[])
      returning tag_id
    ), event as (
      ${eventInsertSql(
        ctx,
        { type: 'follow.tags_changed', subjectType: 'follow', subjectId: `${input.userid}|${input.externalUserid}` },
        sql`json_build_object('userid', ${input.userid}::text, 'externalUserid', ${input.externalUserid}::text,
              'added', coalesce((select json_agg(tag_id) from added), '[]'::json), 'removed', coalesce((select json_agg(tag_id) from removed), '[]'::json))`,
        sql`exists (select 1 from added) or exists (select 1 from removed)`,
      )}
    )
    select (select ok from ok) as ok, (select array_agg(tag_id) from added) as added, (select array_agg(tag_id) from removed) as removed`,
  );
  if (!row?.ok) return null;
  return { added: row.added ?? [], removed: row.removed ?? [] };
}

function markSource(ctx: Ctx) {
  if (ctx.source === 'wecom-api') return 'wecom-api' as const;
  if (ctx.source === 'api') return 'api' as const;
  if (ctx.source === 'import') return 'import' as const;
  if (ctx.source === 'rule') return 'rule' as const;
  if (ctx.source === 'wecom-sync') return 'wecom-sync' as const;
  return 'manual' as const;
}
