import { sql } from 'drizzle-orm';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import type { TagGroupScope } from '../../../db/schema/index.js';
import { findNameIssue, nameKey, normalizeName } from '../../../names/name-policy.js';
import { loadOrgSnapshot, type Policy, policyFor, strategyCovers } from '../../../policies/index.js';
import { readCorpSettings } from '../../corps/settings.js';
import type { NewFollowOf } from '../../customers/commands/add-follows.js';
import type { ImportIssue, ImportRow, TagRef } from '../import-rows.js';

/** A customer the import creates, with its relations; `key` is its external_userid or `#line`. */
export type PlannedCustomer = {
  key: string;
  externalUserid?: string;
  name: string;
  gender?: number;
  province: string;
  city: string;
  corpName: string;
  follows: { userid: string; addTime?: Date }[];
};

/** A mark to put on: `customerKey` names an existing or planned customer, `tag` a tag id or `new:group/name`. */
export type PlannedMark = { customerKey: string; userid: string; tag: string };

/** Everything an import will write, once every row checked out. */
export type ImportPlan = {
  newCustomers: PlannedCustomer[];
  newFollows: NewFollowOf[];
  marks: PlannedMark[];
  /**
   * Tags to create (only with `createTags`), by group: the group's and each tag's `nameKey` lead
   * to the name as first written, so look-alike spellings (VIP, ＶＩＰ) make one tag.
   */
  tagsToCreate: Map<string, { name: string; tags: Map<string, string> }>;
  /** Live tag ids the marks name. */
  tagIds: Set<string>;
};

type LiveTag = {
  tagId: string;
  name: string;
  groupName: string;
  groupKey: string;
  kind: 'corp' | 'strategy' | 'smart';
  scope: TagGroupScope;
  strategyId: number | null;
};
type LiveGroup = { name: string; kind: 'corp' | 'strategy' | 'smart'; scope: TagGroupScope; strategyId: number | null };

/** The planned tag key of a tag to create, from the `nameKey`s of its group and name (U+0001 is in neither). */
export const newTagKey = (groupKey: string, nameKey: string) => `new:${groupKey}\u0001${nameKey}`;

/** A tag reference's part normalized and keyed as the name policy does (src/names). */
const keyOf = (part: string) => nameKey(normalizeName(part));

/**
 * Checks import rows against the database and the actor's rights, without writing: followers
 * exist, are active and in the actor's data scope; existing customers are visible; tags resolve
 * (by `group/tag` or an unambiguous name) to live tags the actor may apply, or are to be created
 * under `tag.create` / `tagGroup.create` when `createTags` is set. Returns every problem by line
 * and column (merged in line order with `formatIssues`, those found reading the file), and the
 * plan of writes.
 */
export async function planImport(
  ctx: TxCtx,
  rows: ImportRow[],
  opts: { createTags: boolean },
  formatIssues: ImportIssue[] = [],
): Promise<{ issues: ImportIssue[]; plan: ImportPlan }> {
  const policy = await policyFor(ctx);
  policy.authorize('customer.update');
  if (rows.some((r) => r.tags.length > 0)) policy.authorize('tag.apply');
  const issues: ImportIssue[] = [];
  const problem = (row: ImportRow, column: string, message: string) => issues.push({ line: row.line, column, message });
  const snapshot = await loadOrgSnapshot(ctx);
  const settings = await readCorpSettings(ctx);

  const givenIds = [...new Set(rows.flatMap((r) => (r.externalUserid ? [r.externalUserid] : [])))];
  const existing = new Map<string, string[]>();
  for (let i = 0; i < givenIds.length; i += 5000) {
    const found = await queryRows<{ external_userid: string; followers: string[] | null }>(
      ctx.tx,
      sql`
      select c.external_userid, (select array_agg(f.userid) from follows f where f.corp_id = c.corp_id and f.external_userid = c.external_userid) as followers
      from customers c where c.corp_id = ${ctx.corpId} and c.external_userid = any(${sql.param(givenIds.slice(i, i + 5000))}::text[])`,
    );
    for (const c of found) existing.set(c.external_userid, c.followers ?? []);
  }
  const { byName, groups } = await loadLibrary(ctx, policy);
  const personalNames = await actorPersonalTagNames(ctx);

  const plan: ImportPlan = { newCustomers: [], newFollows: [], marks: [], tagsToCreate: new Map(), tagIds: new Set() };
  const planned = new Map<string, PlannedCustomer & { line: number }>();
  const relations = new Set<string>();
  const markKeys = new Set<string>();

  for (const row of rows) {
    const employee = snapshot.employees.get(row.userid);
    let followerOk = row.userid !== '';
    if (row.userid !== '' && !employee) problem(row, 'userid', `unknown employee "${row.userid}"`), (followerOk = false);
    else if (employee?.status === 'left') problem(row, 'userid', `employee "${row.userid}" has left`), (followerOk = false);
    else if (employee && !policy.can('customer.update', { type: 'follow', userid: row.userid }))
      problem(row, 'userid', `employee "${row.userid}" is outside your data scope`), (followerOk = false);

    // Which customer the row is about: an existing one, one created by an earlier row, or a new one.
    const key = row.externalUserid ?? `#${row.line}`;
    const followers = row.externalUserid ? existing.get(row.externalUserid) : undefined;
    if (followers) {
      if (!policy.can('customer.view', { type: 'customer', followerUserids: followers }))
        problem(row, 'external_userid', `customer "${row.externalUserid}" is outside your data scope`);
      else if (followerOk && !followers.includes(row.userid) && !relations.has(`${key}|${row.userid}`))
        plan.newFollows.push({ externalUserid: key, userid: row.userid, addTime: row.addTime });
    } else {
      const customer = planned.get(key);
      if (!customer) {
        if (row.name === '')
          problem(
            row,
            'name',
            row.externalUserid ? `customer "${row.externalUserid}" does not exist: a name is required to create it` : 'a name is required for a new customer',
          );
        else if ([...row.name].length > 64) problem(row, 'name', 'longer than 64 characters');
        const created = {
          key,
          line: row.line,
          externalUserid: row.externalUserid,
          name: row.name,
          gender: row.gender,
          province: row.province,
          city: row.city,
          corpName: row.corpName,
          follows: [] as PlannedCustomer['follows'],
        };
        planned.set(key, created);
        plan.newCustomers.push(created);
      } else if (row.name !== '' && row.name !== customer.name)
        problem(row, 'name', `"${row.name}" differs from "${customer.name}" on line ${customer.line} for the same customer`);
      if (followerOk && !relations.has(`${key}|${row.userid}`)) planned.get(key)!.follows.push({ userid: row.userid, addTime: row.addTime });
    }
    relations.add(`${key}|${row.userid}`);

    for (const ref of row.tags) {
      const tag = resolveTag(ref, row, {
        byName,
        groups,
        personalNames,
        policy,
        createTags: opts.createTags,
        nameMax: settings.nameMaxLength,
        strategyOk: (id) => strategyCovers(snapshot, id, row.userid),
      });
      if (typeof tag !== 'string') {
        problem(row, 'tags', tag.error);
        continue;
      }
      if (tag.startsWith('new:')) {
        const [group, name] = [normalizeName(ref.group!), normalizeName(ref.name)];
        const entry = plan.tagsToCreate.get(nameKey(group)) ?? { name: group, tags: new Map<string, string>() };
        if (!entry.tags.has(nameKey(name))) entry.tags.set(nameKey(name), name);
        plan.tagsToCreate.set(nameKey(group), entry);
      } else plan.tagIds.add(tag);
      const markKey = `${key}|${row.userid}|${tag}`;
      if (followerOk && !markKeys.has(markKey)) markKeys.add(markKey), plan.marks.push({ customerKey: key, userid: row.userid, tag });
    }
  }
  // A stable sort: per line, format problems first, then the rest in column order of checking.
  return { issues: [...formatIssues, ...issues].sort((a, b) => a.line - b.line), plan };
}

type Resolver = {
  byName: Map<string, LiveTag[]>;
  groups: Map<string, LiveGroup>;
  personalNames: Set<string>;
  policy: Policy;
  createTags: boolean;
  nameMax: number;
  strategyOk: (strategyId: number | null) => boolean;
};

/** A tag reference → a live tag id, `new:group/name` for one to create, or why not. */
function resolveTag(ref: TagRef, row: ImportRow, r: Resolver): string | { error: string } {
  // By what a person sees: ＶＩＰ in the file is the tag VIP, 客户等级 + U+200B the group 客户等级.
  const matches = (r.byName.get(keyOf(ref.name)) ?? []).filter((t) => ref.group === undefined || t.groupKey === keyOf(ref.group));
  if (matches.length > 1) return { error: `"${ref.text}" is ambiguous: write it as ${matches.map((t) => `${t.groupName}/${t.name}`).join(' or ')}` };
  const tag = matches[0];
  if (tag) {
    const group = { kind: tag.kind, scope: tag.scope, strategyId: tag.strategyId };
    if (tag.kind === 'smart') return { error: `"${ref.text}" is a smart tag, kept by its rules; it cannot be imported` };
    if (!r.policy.can('tag.apply', { type: 'tagGroup', group })) return { error: `you may not apply tags of group "${tag.groupName}"` };
    if (tag.kind === 'strategy' && !r.strategyOk(tag.strategyId)) return { error: `${row.userid} is outside the range of the rule group of "${ref.text}"` };
    return tag.tagId;
  }
  if (ref.group === undefined) {
    if (r.personalNames.has(keyOf(ref.name))) return { error: `"${ref.text}" is a personal tag; personal tags cannot be imported` };
    return { error: `unknown tag "${ref.text}"${r.createTags ? ' (to create it, write it as group/tag)' : ''}` };
  }
  if (!r.createTags) return { error: `unknown tag "${ref.text}" (pass createTags to create it)` };
  if (!r.policy.can('tag.create')) return { error: `unknown tag "${ref.text}", and you may not create tags` };
  for (const [what, part] of [
    ['tag name', ref.name],
    ['group name', ref.group],
  ] as const) {
    const issue = findNameIssue(normalizeName(part), { max: r.nameMax });
    if (issue?.kind === 'too_long') return { error: `${what} "${part}" is longer than ${r.nameMax} characters` };
    if (issue?.kind === 'character') return { error: `${what} "${ref.text}" contains ${issue.problem.reason} at character ${issue.problem.position}` };
    if (issue) return { error: `${what} in "${ref.text}" is blank` };
  }
  const group = r.groups.get(keyOf(ref.group));
  if (group?.kind === 'smart') return { error: `"${ref.group}" is a smart group; its tags cannot be created by an import` };
  if (group && !r.policy.can('tag.apply', { type: 'tagGroup', group })) return { error: `you may not apply tags of group "${ref.group}"` };
  if (!group && !r.policy.can('tagGroup.create')) return { error: `unknown group "${ref.group}", and you may not create tag groups` };
  return newTagKey(keyOf(ref.group), keyOf(ref.name));
}

/**
 * The live library as the actor sees it: tags of visible groups by name key, and every live
 * enterprise group (strategy groups aside) by name key, visible or not, since creating a tag in a
 * group merges into an existing group of that name.
 */
async function loadLibrary(ctx: TxCtx, policy: Policy) {
  const rows = await queryRows<{
    tag_id: string | null;
    name: string | null;
    name_key: string | null;
    group_name: string;
    group_key: string;
    kind: LiveTag['kind'];
    scope: TagGroupScope;
    strategy_id: number | null;
  }>(
    ctx.tx,
    sql`
    select t.tag_id, t.name, t.name_key, g.name as group_name, g.name_key as group_key, g.kind, g.scope, g.strategy_id
    from tag_groups g left join tags t on t.corp_id = g.corp_id and t.group_id = g.group_id and t.deleted_at is null
    where g.corp_id = ${ctx.corpId} and g.deleted_at is null`,
  );
  const byName = new Map<string, LiveTag[]>();
  const groups = new Map<string, LiveGroup>();
  for (const r of rows) {
    const group = { name: r.group_name, kind: r.kind, scope: r.scope ?? {}, strategyId: r.strategy_id === null ? null : Number(r.strategy_id) };
    if (group.strategyId === null) groups.set(r.group_key, group);
    // Tags of groups the actor may not see do not exist for them (no probing by import).
    if (!r.tag_id || !r.name || !r.name_key || !policy.canSeeGroup(group)) continue;
    byName.set(r.name_key, [...(byName.get(r.name_key) ?? []), { ...group, tagId: r.tag_id, name: r.name, groupName: r.group_name, groupKey: r.group_key }]);
  }
  return { byName, groups };
}

async function actorPersonalTagNames(ctx: TxCtx): Promise<Set<string>> {
  if (ctx.actor.kind !== 'employee') return new Set();
  const rows = await queryRows<{ name_key: string }>(
    ctx.tx,
    sql`select name_key from personal_tags where corp_id = ${ctx.corpId} and owner_userid = ${ctx.actor.userid}`,
  );
  return new Set(rows.map((r) => r.name_key));
}
