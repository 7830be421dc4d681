import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import { libraryPermission, type TagGroupRow } from './tags.repo.js';

/** What a deletion would take away: customers and marks, smart-tag rules and saved audiences naming the tags. */
export type TagDependents = {
  customers: number;
  marks: number;
  smartTags: { tagId: string; name: string; groupName: string }[];
  audiences: { audienceId: string; name: string }[];
  otherPrivateAudiences: number;
};

/**
 * Lists what depends on a live tag or on a live group's tags, for the confirmation before a
 * deletion. Deleting acts on the whole corp, so the counts are the corp's, and only someone who may
 * delete (`tag.delete` / `tagGroup.delete`, or their rule-group and smart counterparts) may ask.
 * Expressions name tags by id, so a rule or audience names a tag when its JSON holds that id.
 */
export async function tagDependents(ctx: Ctx, target: { tagId: string } | { groupId: string }): Promise<TagDependents> {
  const byTag = 'tagId' in target;
  const [group] = await queryRows<Pick<TagGroupRow, 'kind' | 'scope'> & { strategy_id: number | null; group_id: string }>(
    ctx.db,
    sql`
    select g.group_id, g.kind, g.scope, g.strategy_id from tag_groups g
    ${byTag ? sql`join tags t on t.corp_id = g.corp_id and t.group_id = g.group_id and t.tag_id = ${target.tagId} and t.deleted_at is null` : sql``}
    where g.corp_id = ${ctx.corpId} and g.deleted_at is null ${byTag ? sql`` : sql`and g.group_id = ${target.groupId}`}`,
  );
  const policy = await policyFor(ctx);
  if (!group || !policy.canSeeGroup({ kind: group.kind, scope: group.scope, strategyId: group.strategy_id })) {
    throw new AppError('tag_not_found', { message: `${byTag ? `Tag ${target.tagId}` : `Tag group ${target.groupId}`} does not exist.` });
  }
  policy.authorize(libraryPermission(group.kind, byTag ? 'tag.delete' : 'tagGroup.delete'));
  const tagIds = byTag
    ? [target.tagId]
    : (
        await queryRows<{ tag_id: string }>(
          ctx.db,
          sql`select tag_id from tags where corp_id = ${ctx.corpId} and group_id = ${group.group_id} and deleted_at is null`,
        )
      ).map((r) => r.tag_id);
  const ids = sql.param(tagIds);
  const [counts] = await queryRows<{ customers: number; marks: number }>(
    ctx.db,
    sql`
    select count(distinct external_userid)::int as customers, count(*)::int as marks from marks where corp_id = ${ctx.corpId} and tag_id = any(${ids}::text[])`,
  );
  // An id is a quoted JSON string wherever an expression names it: `{"tag":"et…"}`, `"tags":["et…"]`.
  const names = (column: ReturnType<typeof sql>) => sql`exists (select 1 from unnest(${ids}::text[]) as i(id) where ${column}::text like '%"' || i.id || '"%')`;
  const smartTags = await queryRows<{ tag_id: string; name: string; group_name: string }>(
    ctx.db,
    sql`
    select t.tag_id, t.name, g.name as group_name from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
    where t.corp_id = ${ctx.corpId} and t.deleted_at is null and g.kind = 'smart' and t.rule is not null and ${names(sql`t.rule`)}
    order by g.name, t.name`,
  );
  const me = ctx.actor.kind === 'employee' ? ctx.actor.userid : null;
  const audiences = await queryRows<{ audience_id: string; name: string; is_private: boolean; owner_userid: string }>(
    ctx.db,
    sql`
    select audience_id, name, is_private, owner_userid from audiences where corp_id = ${ctx.corpId} and ${names(sql`expression`)} order by name`,
  );
  const seen = audiences.filter((a) => !a.is_private || a.owner_userid === me);
  return {
    customers: counts?.customers ?? 0,
    marks: counts?.marks ?? 0,
    smartTags: smartTags.map((t) => ({ tagId: t.tag_id, name: t.name, groupName: t.group_name })),
    audiences: seen.map((a) => ({ audienceId: a.audience_id, name: a.name })),
    otherPrivateAudiences: audiences.length - seen.length,
  };
}
