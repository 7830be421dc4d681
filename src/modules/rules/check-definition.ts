import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { RuleAction, RuleDefinition } from '../../../contracts/rules.js';
import type { TxCtx } from '../../context.js';
import { type CorpSettings, tagGroups, tags } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { nameKey } from '../../names/name-policy.js';
import { authorizeRuleActions, authorizeTemplateGroup, type GroupForPolicy, policyFor, type RuleActionTarget } from '../../policies/index.js';
import { loadCatalog, usesPersonalTags } from '../audiences/service/catalog.js';
import { readExpression } from '../audiences/service/read-expression.js';
import { readCorpSettings } from '../corps/settings.js';
import { checkName as checkGroupName } from '../tags/names.js';
import { checkCron } from './engine/schedule.js';
import { checkTemplate } from './engine/template.js';
import { triggerFields } from './engine/trigger.js';

/** A definition as a request gives it: the audience may still be text. */
export type DefinitionInput = Omit<RuleDefinition, 'conditions'> & {
  conditions: { audience?: { expression?: unknown; text?: string }; filters?: RuleDefinition['conditions']['filters'] };
};

/** A checked definition and the tags its actions name (for search by tag). */
export type CheckedDefinition = { definition: RuleDefinition; tagIds: string[] };

type TagInfo = { tagId: string; groupId: string; group: GroupForPolicy };

const groupOf = (g: { kind: GroupForPolicy['kind']; scope: GroupForPolicy['scope']; strategyId: number | null }): GroupForPolicy => ({
  kind: g.kind,
  scope: g.scope,
  strategyId: g.strategyId,
});

async function loadTags(ctx: TxCtx, ids: string[]): Promise<Map<string, TagInfo>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.tx
    .select({ tagId: tags.tagId, groupId: tags.groupId, kind: tagGroups.kind, scope: tagGroups.scope, strategyId: tagGroups.strategyId })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.corpId, tags.corpId), eq(tagGroups.groupId, tags.groupId)))
    .where(and(eq(tags.corpId, ctx.corpId), inArray(tags.tagId, ids), isNull(tags.deletedAt), isNull(tagGroups.deletedAt)));
  return new Map(rows.map((r) => [r.tagId, { tagId: r.tagId, groupId: r.groupId, group: groupOf(r) }]));
}

async function loadGroup(ctx: TxCtx, where: { groupId: string } | { nameKey: string }) {
  const match = 'groupId' in where ? eq(tagGroups.groupId, where.groupId) : and(eq(tagGroups.nameKey, where.nameKey), isNull(tagGroups.strategyId));
  const [row] = await ctx.tx
    .select()
    .from(tagGroups)
    .where(and(eq(tagGroups.corpId, ctx.corpId), match, isNull(tagGroups.deletedAt)));
  return row;
}

const notFound = (path: string, what: string, id: string) =>
  new AppError('tag_not_found', { message: `${path}: no ${what} "${id}" in this corp.`, details: [{ path, message: `unknown ${what}`, id }] });
const invalid = (path: string, message: string) => new AppError('validation_failed', { message: `${path}: ${message}`, details: [{ path, message }] });

/** Resolves one action's tags and groups to what the author's policy is checked against. */
async function targetsOf(
  ctx: TxCtx,
  action: RuleAction,
  path: string,
  known: Map<string, TagInfo>,
  settings: CorpSettings,
  fieldsOk: (typeof triggerFields)[keyof typeof triggerFields],
): Promise<RuleActionTarget[]> {
  const tag = (id: string, at: string) => {
    const info = known.get(id);
    if (!info) throw notFound(at, 'tag', id);
    if (info.group.kind === 'smart') throw invalid(at, `tag "${id}" is a smart tag; its audience decides who carries it, not a rule`);
    return info;
  };
  switch (action.kind) {
    case 'add':
      return action.tagIds.map((id, i) => ({
        permission: 'tag.apply',
        label: `tag ${id}`,
        group: tag(id, `${path}.tagIds.${i}`).group,
        path: `${path}.tagIds.${i}`,
      }));
    case 'remove':
      return action.tagIds.map((id, i) => ({
        permission: 'tag.remove',
        label: `tag ${id}`,
        group: tag(id, `${path}.tagIds.${i}`).group,
        path: `${path}.tagIds.${i}`,
      }));
    case 'move': {
      const info = tag(action.tagId, `${path}.tagId`);
      if (info.groupId !== action.groupId) throw invalid(`${path}.tagId`, `tag "${action.tagId}" is not in group "${action.groupId}"`);
      // Moving takes the group's other tags off and puts this one on.
      return [
        { permission: 'tag.apply', label: `tag ${action.tagId}`, group: info.group, path: `${path}.tagId` },
        { permission: 'tag.remove', label: `the tags of group ${action.groupId}`, group: info.group, path: `${path}.groupId` },
      ];
    }
    case 'addTemplate': {
      checkTemplate(action.template, fieldsOk, settings.nameMaxLength, `${path}.template`);
      const groupPath = 'groupId' in action.group ? `${path}.group.groupId` : `${path}.group.groupName`;
      let row: Awaited<ReturnType<typeof loadGroup>>;
      if ('groupId' in action.group) {
        row = await loadGroup(ctx, { groupId: action.group.groupId });
        if (!row) throw notFound(groupPath, 'tag group', action.group.groupId);
      } else {
        const name = checkGroupName(action.group.groupName, settings, 'tag group', groupPath);
        action.group = { groupName: name };
        row = await loadGroup(ctx, { nameKey: nameKey(name) });
      }
      if (row?.kind === 'smart') throw invalid(groupPath, 'a smart group’s tags follow its audience, not a rule');
      authorizeTemplateGroup(await policyFor(ctx), row !== undefined, groupPath);
      // A group yet to be created is an ordinary corp group with no scope: anyone may apply it.
      return [
        {
          permission: 'tag.apply',
          label: `tags of group ${'groupId' in action.group ? action.group.groupId : action.group.groupName}`,
          group: row ? groupOf(row) : { kind: 'corp', scope: {}, strategyId: null },
          path: groupPath,
        },
      ];
    }
  }
}

/**
 * Checks a definition at save time, as its author: the schedule, templates against the corp's
 * tag-name limit and the trigger's fields, the audience (parsed and held to what the author may
 * see), every tag and group in this corp and live, and the author's right to apply and remove each
 * of them. Throws a coded error naming the field; returns the definition to store.
 */
export async function checkDefinition(ctx: TxCtx, input: DefinitionInput, prefix = 'body.definition'): Promise<CheckedDefinition> {
  const policy = await policyFor(ctx);
  policy.authorize('rule.manage');
  const { trigger } = input;
  if (trigger.kind === 'schedule') checkCron(trigger.cron, trigger.timezone, `${prefix}.trigger`);
  const conditions: RuleDefinition['conditions'] = {};
  if (input.conditions.audience) {
    const catalog = await loadCatalog(ctx);
    const expression = readExpression(input.conditions.audience, catalog, `${prefix}.conditions.audience`);
    if (usesPersonalTags(expression, catalog))
      throw invalid(`${prefix}.conditions.audience`, 'a rule runs for the whole corp, so its audience may not use personal tags');
    conditions.audience = { expression };
  }
  const fields = triggerFields[trigger.kind];
  for (const [i, filter] of (input.conditions.filters ?? []).entries()) {
    if (fields !== 'any' && !fields.includes(filter.field))
      throw invalid(`${prefix}.conditions.filters.${i}.field`, `a ${trigger.kind} event has no field "${filter.field}"; it has ${fields.join(', ') || 'none'}`);
  }
  if (input.conditions.filters?.length) conditions.filters = input.conditions.filters;
  const actions = structuredClone(input.actions);
  const ids = [...new Set(actions.flatMap((a) => (a.kind === 'add' || a.kind === 'remove' ? a.tagIds : a.kind === 'move' ? [a.tagId] : [])))];
  const known = await loadTags(ctx, ids);
  const settings = await readCorpSettings(ctx);
  const targets: RuleActionTarget[] = [];
  for (const [i, action] of actions.entries()) targets.push(...(await targetsOf(ctx, action, `${prefix}.actions.${i}`, known, settings, fields)));
  authorizeRuleActions(policy, targets);
  return { definition: { trigger, conditions, actions }, tagIds: ids };
}
