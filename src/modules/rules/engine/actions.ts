import { sql } from 'drizzle-orm';
import { defaultRuleTimezone, type RuleAction } from '../../../../contracts/rules.js';
import type { TxCtx } from '../../../context.js';
import { queryRows } from '../../../db/client.js';
import { AppError } from '../../../errors.js';
import { nameKey } from '../../../names/name-policy.js';
import type { MarkChange } from '../../marks/write-marks.js';
import { addTags } from '../../tags/commands/add-tags.js';
import type { Firing } from './fire.js';
import type { LiveRule } from './live-rules.js';
import { renderTagName } from './template.js';

/** A template tag a dry run would create (it does not exist yet). */
export type PlannedTag = { key: string; name: string; groupName: string };

/** The changes a rule's firings make, the failures met on the way, and (dry run) tags to be created. */
export type ActionPlan = { changes: MarkChange[]; failures: Map<string, number>; plannedTags: Map<string, PlannedTag> };

/** Resolves (and, unless planning, creates) the tag a template names; remembers answers for one run. */
type TemplateResolver = (action: Extract<RuleAction, { kind: 'addTemplate' }>, name: string) => Promise<string>;

/**
 * Turns firings into mark changes. A firing that names an employee (a message, an add through a
 * 活码) changes that relation only; any other changes every relation the customer has. `move` takes
 * the group's other tags off and puts the tag on; `addTemplate` renders the name (dates in the
 * rule's timezone, Asia/Shanghai unless a schedule names another) and uses the group's tag of that
 * name, creating it on first use within the corp's limits. A template that fails (a field missing,
 * a name over the limit, a full group) skips that action for that firing and is counted as a
 * failure, which the run records and shows. With `plan`, nothing is written and new template tags
 * are reported instead of created.
 */
export async function planActions(ctx: TxCtx, rule: LiveRule, firings: readonly Firing[], options: { plan: boolean; nameMax: number }): Promise<ActionPlan> {
  const failures = new Map<string, number>();
  const fail = (reason: string) => failures.set(reason, (failures.get(reason) ?? 0) + 1);
  const plannedTags = new Map<string, PlannedTag>();
  const changes: MarkChange[] = [];
  if (firings.length === 0) return { changes, failures, plannedTags };
  const relations = await relationsOf(ctx, [...new Set(firings.map((f) => f.externalUserid))]);
  const groupTags = await liveTagsOfGroups(
    ctx,
    rule.definition.actions.flatMap((a) => (a.kind === 'move' ? [a.groupId] : [])),
  );
  const resolve = templateResolver(ctx, options.plan, plannedTags);
  const timezone = rule.definition.trigger.kind === 'schedule' ? rule.definition.trigger.timezone : defaultRuleTimezone;
  for (const firing of firings) {
    const followers = relations.get(firing.externalUserid) ?? [];
    const userids = firing.userid === undefined ? followers : followers.filter((u) => u === firing.userid);
    if (userids.length === 0) {
      fail(firing.userid === undefined ? 'the customer has no follow relation' : `the customer is not followed by ${firing.userid}`);
      continue;
    }
    const put = (tagId: string, change: 'add' | 'remove') => {
      for (const userid of userids) changes.push({ externalUserid: firing.externalUserid, userid, tagId, change, evidenceSeq: firing.seq });
    };
    for (const action of rule.definition.actions) {
      if (action.kind === 'add') for (const id of action.tagIds) put(id, 'add');
      else if (action.kind === 'remove') for (const id of action.tagIds) put(id, 'remove');
      else if (action.kind === 'move') {
        for (const id of groupTags.get(action.groupId) ?? []) if (id !== action.tagId) put(id, 'remove');
        put(action.tagId, 'add');
      } else {
        const rendered = renderTagName(action.template, { at: firing.at, timezone, fields: firing.fields }, options.nameMax);
        if (!rendered.ok) {
          fail(templateFailure(action.template, rendered));
          continue;
        }
        try {
          put(await resolve(action, rendered.name), 'add');
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          fail(`template ${action.template}: cannot create tag ${rendered.name}: ${error.message}`);
        }
      }
    }
  }
  return { changes, failures, plannedTags };
}

function templateFailure(template: string, r: Exclude<ReturnType<typeof renderTagName>, { ok: true }>): string {
  switch (r.reason) {
    case 'too_long':
      return `template ${template}: the name ${r.name} has ${r.length} characters, over the limit of ${r.max}`;
    case 'missing_field':
      return `template ${template}: the event has no ${r.field}`;
    case 'invalid_name':
      return `template ${template}: the name ${r.name} ${r.message}`;
    case 'invalid_template':
      return `template ${template}: ${r.message}`;
  }
}

/** Every follow relation of the customers: customer → employees. */
async function relationsOf(ctx: TxCtx, ids: string[]): Promise<Map<string, string[]>> {
  const rows = await queryRows<{ external_userid: string; userid: string }>(
    ctx.tx,
    sql`select external_userid, userid from follows where corp_id = ${ctx.corpId} and external_userid = any(${sql.param(ids)}::text[]) order by userid`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.external_userid, [...(out.get(r.external_userid) ?? []), r.userid]);
  return out;
}

/** The live tags of each group. */
export async function liveTagsOfGroups(ctx: TxCtx, groupIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (groupIds.length === 0) return out;
  const rows = await queryRows<{ group_id: string; tag_id: string }>(
    ctx.tx,
    sql`select group_id, tag_id from tags where corp_id = ${ctx.corpId} and group_id = any(${sql.param(groupIds)}::text[]) and deleted_at is null`,
  );
  for (const r of rows) out.set(r.group_id, [...(out.get(r.group_id) ?? []), r.tag_id]);
  return out;
}

function templateResolver(ctx: TxCtx, plan: boolean, planned: Map<string, PlannedTag>): TemplateResolver {
  const known = new Map<string, string>();
  return async (action, name) => {
    const groupRef = 'groupId' in action.group ? `id:${action.group.groupId}` : `name:${nameKey(action.group.groupName)}`;
    const key = `${groupRef}\u0000${nameKey(name)}`;
    const hit = known.get(key);
    if (hit) return hit;
    const [row] = await queryRows<{ tag_id: string }>(
      ctx.tx,
      sql`select t.tag_id from tags t join tag_groups g on g.corp_id = t.corp_id and g.group_id = t.group_id
        where t.corp_id = ${ctx.corpId} and t.deleted_at is null and g.deleted_at is null and t.name_key = ${nameKey(name)}
          and ${'groupId' in action.group ? sql`g.group_id = ${action.group.groupId}` : sql`g.name_key = ${nameKey(action.group.groupName)} and g.strategy_id is null and g.kind = 'corp'`}
        limit 1`,
    );
    let tagId = row?.tag_id;
    if (!tagId && plan) {
      // A placeholder id for the diff; it never reaches the database as a tag.
      tagId = `new:${planned.size + 1}`;
      planned.set(tagId, { key: tagId, name, groupName: 'groupName' in action.group ? action.group.groupName : action.group.groupId });
    } else if (!tagId) {
      // In a savepoint: a refused creation (a full group) leaves nothing behind and the run goes on.
      const made = await ctx.tx.transaction((sp) =>
        addTags(
          { ...ctx, tx: sp },
          {
            ...('groupId' in action.group ? { groupId: action.group.groupId } : { groupName: action.group.groupName }),
            onExistingName: 'merge',
            tags: [{ name }],
          },
        ),
      );
      tagId = made.tags[0]!.tagId;
    }
    known.set(key, tagId);
    return tagId;
  };
}
