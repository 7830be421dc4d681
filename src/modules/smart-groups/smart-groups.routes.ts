import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  AddSmartTagsBody,
  CreateSmartGroupBody,
  PreviewBody,
  PreviewResult,
  SmartGroup,
  SmartGroupList,
  SmartGroupParams,
  SmartTagParams,
  UpdateSmartGroupBody,
  UpdateSmartTagBody,
} from '../../../contracts/smart-groups.js';
import { apiCtx } from '../../api/api-context.js';
import { type Ctx, withTx } from '../../context.js';
import type { Audience } from '../../db/schema/index.js';
import { policyFor } from '../../policies/index.js';
import { loadCatalog } from '../audiences/service/catalog.js';
import type { AudienceEngine } from '../audiences/service/engine.js';
import { addTags } from '../tags/commands/add-tags.js';
import { deleteTags } from '../tags/commands/delete-tags.js';
import { updateTag } from '../tags/commands/update-tag.js';
import { updateTagGroup } from '../tags/commands/update-tag-group.js';
import { listTagGroups } from '../tags/tags.queries.js';
import { readRule } from './rules.js';
import { setSmartRule } from './set-smart-rule.js';
import { presentSmartGroups, previewRules } from './smart-groups.presenter.js';

const tags = ['Smart groups'];
const scopeOf = (audience: Audience | undefined) => (audience ? { view: audience, apply: audience } : undefined);

/**
 * Rule-configured tag groups: each tag carries an audience expression and the engine keeps its
 * marks (source `rule`) equal to what the rule selects, within a second of any change. Deleting
 * works as for enterprise tags (marks archived, restorable for 30 days).
 */
export const smartGroupRoutes: FastifyPluginAsyncZod<{ engine: AudienceEngine }> = async (app, { engine }) => {
  const groupsOf = async (ctx: Ctx, groupIds?: string[]) => presentSmartGroups(engine, ctx, await listTagGroups(ctx, { kind: 'smart', groupIds }));
  const one = async (ctx: Ctx, groupId: string) => {
    const [group] = (await groupsOf(ctx, [groupId])).groups;
    return group!;
  };

  app.get(
    '/smart-groups',
    {
      schema: {
        tags,
        summary: 'List smart groups',
        description: "Each tag with its rule (JSON and text) and how many customers carry it, within the caller's data scope.",
        response: withErrors({ 200: SmartGroupList }, 403),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('customer.view');
      return groupsOf(ctx);
    },
  );

  app.post(
    '/smart-groups',
    {
      schema: {
        tags,
        summary: 'Create a smart group',
        description: 'A group whose tags are applied by rules. Needs `rule.manage`. A rule may not use personal or smart tags.',
        body: CreateSmartGroupBody,
        response: withErrors({ 201: SmartGroup }, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const { name, order, scope, tags: input } = request.body;
      const groupId = await withTx(ctx, async (tx) => {
        const catalog = await loadCatalog(tx);
        const newTags = input.map((t, i) => ({
          name: t.name,
          order: t.order,
          color: t.color,
          description: t.description,
          rule: readRule(t, catalog, `body.tags.${i}`),
        }));
        const created = await addTags(tx, { groupName: name, order, tags: newTags, onExistingName: 'create', smart: true });
        if (scope) await updateTagGroup(tx, { groupId: created.group.groupId, scope: scopeOf(scope), kind: 'smart' });
        return created.group.groupId;
      });
      return reply.code(201).send(await one(ctx, groupId));
    },
  );

  app.post(
    '/smart-groups/:groupId/tags',
    {
      schema: {
        tags,
        summary: 'Add smart tags to a group',
        params: SmartGroupParams,
        body: AddSmartTagsBody,
        response: withErrors({ 200: SmartGroup }, 403, 404, 409, 422),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      await withTx(ctx, async (tx) => {
        const catalog = await loadCatalog(tx);
        const newTags = request.body.tags.map((t, i) => ({
          name: t.name,
          order: t.order,
          color: t.color,
          description: t.description,
          rule: readRule(t, catalog, `body.tags.${i}`),
        }));
        await addTags(tx, { groupId: request.params.groupId, tags: newTags, smart: true });
      });
      return one(ctx, request.params.groupId);
    },
  );

  app.patch(
    '/smart-groups/:groupId',
    {
      schema: {
        tags,
        summary: 'Rename a smart group or change who sees it',
        params: SmartGroupParams,
        body: UpdateSmartGroupBody,
        response: withErrors({ 200: SmartGroup }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const { name, order, scope } = request.body;
      await withTx(ctx, (tx) => updateTagGroup(tx, { groupId: request.params.groupId, name, order, scope: scopeOf(scope), kind: 'smart' }));
      return one(ctx, request.params.groupId);
    },
  );

  app.patch(
    '/smart-groups/:groupId/tags/:tagId',
    {
      schema: {
        tags,
        summary: "Change a smart tag's rule or fields",
        description: 'Membership follows the new rule within a second.',
        params: SmartTagParams,
        body: UpdateSmartTagBody,
        response: withErrors({ 200: SmartGroup }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const { groupId, tagId } = request.params;
      const { expression, text, ...fields } = request.body;
      await withTx(ctx, async (tx) => {
        if (expression !== undefined || text !== undefined)
          await setSmartRule(tx, { groupId, tagId, rule: readRule({ expression, text }, await loadCatalog(tx), 'body') });
        if (Object.values(fields).some((v) => v !== undefined)) await updateTag(tx, { tagId, ...fields, kind: 'smart' });
      });
      return one(ctx, groupId);
    },
  );

  app.delete(
    '/smart-groups/:groupId',
    {
      schema: {
        tags,
        summary: 'Delete a smart group',
        description: 'Its marks are archived and restorable for 30 days, as for enterprise groups.',
        params: SmartGroupParams,
        response: withErrors({ 204: z.null() }, 403, 404),
      },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (tx) => deleteTags(tx, { groupIds: [request.params.groupId], kind: 'smart' }));
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/smart-groups/:groupId/tags/:tagId',
    {
      schema: { tags, summary: 'Delete a smart tag', params: SmartTagParams, response: withErrors({ 204: z.null() }, 403, 404) },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (tx) => deleteTags(tx, { tagIds: [request.params.tagId], kind: 'smart' }));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/smart-groups/preview',
    {
      schema: {
        tags,
        summary: 'Preview rules before saving',
        description:
          "For each rule: how many customers it selects, and — for an existing tag (`tagId`) — how many would gain and lose the tag. Within the caller's data scope.",
        body: PreviewBody,
        response: withErrors({ 200: PreviewResult }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('rule.manage');
      return previewRules(engine, ctx, request.body.tags);
    },
  );
};
