import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  CreateStrategyBody,
  CreateStrategyTagGroupBody,
  Strategy,
  StrategyDeletion,
  StrategyList,
  StrategyParams,
  StrategyTagGroup,
  StrategyTagGroupList,
  StrategyTagGroupParams,
  StrategyTagParams,
  UpdateStrategyBody,
  UpdateStrategyTagBody,
  UpdateStrategyTagGroupBody,
} from '../../../contracts/strategies.js';
import { apiCtx } from '../../api/api-context.js';
import { type Ctx, withTx } from '../../context.js';
import { AppError } from '../../errors.js';
import { policyFor } from '../../policies/index.js';
import { deleteTags } from '../tags/commands/delete-tags.js';
import { updateTag } from '../tags/commands/update-tag.js';
import { updateTagGroup } from '../tags/commands/update-tag-group.js';
import type { TagGroupRow, TagRow } from '../tags/tags.repo.js';
import { addStrategyTags } from './commands/add-strategy-tags.js';
import { createStrategy } from './commands/create-strategy.js';
import { deleteStrategy } from './commands/delete-strategy.js';
import { editStrategy } from './commands/edit-strategy.js';
import type { Privilege } from './privileges.js';
import { nodeKey, type RangeNode } from './range.js';
import { listRuleGroupTagGroups, listStrategiesWithRanges } from './strategies.list.js';
import { requireStrategy } from './strategies.queries.js';
import { rangeOf } from './strategies.repo.js';

const tags = ['Rule groups'];

// The contract spells out the privilege flags; this fails to compile if the domain's list drifts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const privilegeKeysMatch: Same<keyof Privilege, keyof z.infer<typeof Strategy>['privilege']> = true;
void privilegeKeysMatch;

/** The contract's range (departments, members) as the commands' nodes. */
function nodesOf(range: { departments: number[]; userids: string[] }): RangeNode[] {
  return [...range.userids.map((userid) => ({ type: 1 as const, userid })), ...range.departments.map((deptId) => ({ type: 2 as const, deptId }))];
}

function presentTagGroup(group: TagGroupRow, groupTags: TagRow[]): z.infer<typeof StrategyTagGroup> {
  return {
    groupId: group.groupId,
    strategyId: group.strategyId ?? 0,
    name: group.name,
    order: group.order,
    createdAt: group.createdAt.toISOString(),
    tags: groupTags.map((t) => ({ tagId: t.tagId, name: t.name, order: t.order, createdAt: t.createdAt.toISOString() })),
  };
}

/**
 * Rule groups (规则组) on the native API for the console, over the same commands as WeCom's
 * customer_strategy/* and *_strategy_tag endpoints (one write path). Reading and changing them
 * both need `strategy.manage`: a rule group describes who may do what, which is management.
 */
export const strategyRoutes: FastifyPluginAsyncZod = async (app) => {
  const one = async (ctx: Ctx, strategyId: number) => {
    const found = (await listStrategiesWithRanges(ctx)).find((s) => s.strategyId === strategyId);
    if (!found) throw new AppError('strategy_not_found', { message: `Rule group ${strategyId} does not exist.` });
    return found;
  };

  app.get(
    '/strategies',
    {
      schema: {
        tags,
        summary: 'List rule groups',
        description: 'Every rule group of the corp with its range, admins and the privilege in force, parents before children. Needs `strategy.manage`.',
        response: withErrors({ 200: StrategyList }, 403),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('strategy.manage');
      return { strategies: await listStrategiesWithRanges(ctx) };
    },
  );

  app.post(
    '/strategies',
    {
      schema: {
        tags,
        summary: 'Create a rule group',
        description: "As customer_strategy/create: 1–20 admins, at most 100 range nodes per call, nested at most 5 deep, a child inside its parent's range.",
        body: CreateStrategyBody,
        response: withErrors({ 201: Strategy }, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const { parentId, name, adminList, privilege, range } = request.body;
      const row = await withTx(ctx, (tx) => createStrategy(tx, { parentId, name, adminList, privilege, range: nodesOf(range) }));
      return reply.code(201).send(await one(ctx, row.strategyId));
    },
  );

  app.patch(
    '/strategies/:strategyId',
    {
      schema: {
        tags,
        summary: 'Change a rule group',
        description: 'Name, admins, privilege (top-level groups only; children inherit) and the whole range, which replaces the old one.',
        params: StrategyParams,
        body: UpdateStrategyBody,
        response: withErrors({ 200: Strategy }, 403, 404, 409, 422),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const { strategyId } = request.params;
      const { name, adminList, privilege, range } = request.body;
      await withTx(ctx, async (tx) => {
        let rangeAdd: RangeNode[] | undefined;
        let rangeDel: RangeNode[] | undefined;
        if (range) {
          const wanted = nodesOf(range);
          const before = await rangeOf(tx, strategyId);
          const wantedKeys = new Set(wanted.map(nodeKey));
          const beforeKeys = new Set(before.map(nodeKey));
          rangeAdd = wanted.filter((n) => !beforeKeys.has(nodeKey(n)));
          rangeDel = before.filter((n) => !wantedKeys.has(nodeKey(n)));
        }
        await editStrategy(tx, { strategyId, name, adminList, privilege, rangeAdd, rangeDel });
      });
      return one(ctx, strategyId);
    },
  );

  app.delete(
    '/strategies/:strategyId',
    {
      schema: {
        tags,
        summary: 'Delete a rule group',
        description:
          'With its range and its tag groups (restorable for 30 days, as deleted tags are). A group with child groups is refused (409): delete them first.',
        params: StrategyParams,
        response: withErrors({ 200: StrategyDeletion }, 403, 404, 409),
      },
    },
    async (request) => withTx(apiCtx(request), (tx) => deleteStrategy(tx, { strategyId: request.params.strategyId })),
  );

  app.get(
    '/strategies/:strategyId/tag-groups',
    {
      schema: { tags, summary: "List a rule group's tag groups", params: StrategyParams, response: withErrors({ 200: StrategyTagGroupList }, 403, 404) },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('strategy.manage');
      await requireStrategy(ctx, request.params.strategyId);
      const groups = await listRuleGroupTagGroups(ctx, request.params.strategyId);
      return { groups: groups.map(({ group, tags: groupTags }) => presentTagGroup(group, groupTags)) };
    },
  );

  app.post(
    '/strategies/:strategyId/tag-groups',
    {
      schema: {
        tags,
        summary: 'Add tags to a rule group',
        description: "As add_strategy_tag: into the rule group's group of that name (created if new); top-level rule groups only.",
        params: StrategyParams,
        body: CreateStrategyTagGroupBody,
        response: withErrors({ 201: StrategyTagGroup }, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const { name, order, tags: newTags } = request.body;
      const result = await withTx(ctx, (tx) =>
        addStrategyTags(tx, { strategyId: request.params.strategyId, groupName: name, order, tags: newTags.map((t) => ({ name: t.name, order: t.order })) }),
      );
      const [listed] = await listRuleGroupTagGroups(ctx, request.params.strategyId, [result.group.groupId]);
      return reply.code(201).send(presentTagGroup(listed!.group, listed!.tags));
    },
  );

  /** The group of this rule group's library holding `tagId`; another library's tag is as unknown here as on WeCom's. */
  const groupOfTag = async (ctx: Ctx, strategyId: number, tagId: string) => {
    (await policyFor(ctx)).authorize('strategy.manage');
    await requireStrategy(ctx, strategyId);
    const owner = (await listRuleGroupTagGroups(ctx, strategyId)).find(({ tags: groupTags }) => groupTags.some((t) => t.tagId === tagId));
    if (!owner)
      throw new AppError('tag_not_found', {
        message: `Rule group ${strategyId} has no tag ${tagId}.`,
        details: [{ path: 'tagId', message: 'not a tag of this rule group' }],
      });
    return owner.group.groupId;
  };

  app.patch(
    '/strategies/:strategyId/tags/:tagId',
    {
      schema: {
        tags,
        summary: "Rename or reorder a rule group's tag",
        description: "As edit_strategy_tag for a tag: the name stays unique within its group. Answers the tag's group.",
        params: StrategyTagParams,
        body: UpdateStrategyTagBody,
        response: withErrors({ 200: StrategyTagGroup }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const { strategyId, tagId } = request.params;
      const groupId = await groupOfTag(ctx, strategyId, tagId);
      await withTx(ctx, (tx) => updateTag(tx, { tagId, name: request.body.name, order: request.body.order, kind: 'strategy' }));
      const [listed] = await listRuleGroupTagGroups(ctx, strategyId, [groupId]);
      return presentTagGroup(listed!.group, listed!.tags);
    },
  );

  app.delete(
    '/strategies/:strategyId/tags/:tagId',
    {
      schema: {
        tags,
        summary: "Delete a rule group's tag",
        description: "As del_strategy_tag for one tag: its marks are archived and restorable for 30 days; deleting a group's last tag deletes the group.",
        params: StrategyTagParams,
        response: withErrors({ 204: z.null() }, 403, 404),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      await groupOfTag(ctx, request.params.strategyId, request.params.tagId);
      await withTx(ctx, (tx) => deleteTags(tx, { tagIds: [request.params.tagId], kind: 'strategy' }));
      return reply.code(204).send(null);
    },
  );

  /** Refuses a tag group of another rule group's library (or none) as unknown, as WeCom's own API does. */
  const requireOwnTagGroup = async (ctx: Ctx, strategyId: number, groupId: string) => {
    (await policyFor(ctx)).authorize('strategy.manage');
    await requireStrategy(ctx, strategyId);
    const owned = await listRuleGroupTagGroups(ctx, strategyId, [groupId]);
    if (owned.length === 0)
      throw new AppError('tag_not_found', {
        message: `Rule group ${strategyId} has no tag group ${groupId}.`,
        details: [{ path: 'groupId', message: 'not a tag group of this rule group' }],
      });
  };

  app.patch(
    '/strategies/:strategyId/tag-groups/:groupId',
    {
      schema: {
        tags,
        summary: "Rename or reorder a rule group's tag group",
        description: "As edit_strategy_tag for a group: the name stays unique among the rule group's tag groups. Answers the group with its tags.",
        params: StrategyTagGroupParams,
        body: UpdateStrategyTagGroupBody,
        response: withErrors({ 200: StrategyTagGroup }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const { strategyId, groupId } = request.params;
      await requireOwnTagGroup(ctx, strategyId, groupId);
      await withTx(ctx, (tx) => updateTagGroup(tx, { groupId, name: request.body.name, order: request.body.order, kind: 'strategy' }));
      const [listed] = await listRuleGroupTagGroups(ctx, strategyId, [groupId]);
      return presentTagGroup(listed!.group, listed!.tags);
    },
  );

  app.delete(
    '/strategies/:strategyId/tag-groups/:groupId',
    {
      schema: {
        tags,
        summary: "Delete a rule group's tag group",
        description: 'With its tags; their marks are archived and restorable for 30 days.',
        params: StrategyTagGroupParams,
        response: withErrors({ 204: z.null() }, 403, 404),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const { strategyId, groupId } = request.params;
      await requireOwnTagGroup(ctx, strategyId, groupId);
      await withTx(ctx, (tx) => deleteTags(tx, { groupIds: [groupId], kind: 'strategy' }));
      return reply.code(204).send(null);
    },
  );
};
