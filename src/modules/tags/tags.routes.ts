import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  AddTagsBody,
  CreatedTags,
  CreateTagGroupBody,
  DeleteTagsBody,
  DeletionResult,
  GroupIdParams,
  ListTagGroupsQuery,
  RestoreResult,
  Tag,
  TagDependents,
  TagGroup,
  TagGroupHeader,
  TagGroupList,
  TagIdParams,
  UpdateTagBody,
  UpdateTagGroupBody,
} from '../../../contracts/tags.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { policyFor } from '../../policies/index.js';
import { addTags } from './commands/add-tags.js';
import { deleteTags } from './commands/delete-tags.js';
import { restoreTags } from './commands/restore-tags.js';
import { updateTag } from './commands/update-tag.js';
import { updateTagGroup } from './commands/update-tag-group.js';
import { tagDependents } from './tag-dependents.js';
import {
  presentCreatedTags,
  presentDeletion,
  presentRestore,
  presentTag,
  presentTagGroup,
  presentTagGroupHeader,
  presentTagGroupList,
} from './tags.presenter.js';
import { getTagGroup, listTagGroups } from './tags.queries.js';

const tags = ['Tag library'];

/**
 * The enterprise tag library over REST: tag groups and their tags, with WeCom's rules (no empty
 * groups, names unique, corp limits) enforced by the same commands the WeCom surface uses.
 */
export const tagRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/tag-groups',
    {
      schema: {
        tags,
        summary: 'List tag groups with their tags',
        description:
          "Without filters: every live group. Filtered by `groupId` or `tagId`: those, deleted ones included and flagged `deleted: true`. Each group carries the caller's `abilities`.",
        querystring: ListTagGroupsQuery,
        response: withErrors({ 200: TagGroupList }),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentTagGroupList(await listTagGroups(ctx, { groupIds: request.query.groupId, tagIds: request.query.tagId }), await policyFor(ctx));
    },
  );

  app.post(
    '/tag-groups',
    {
      schema: { tags, summary: 'Create a tag group with its tags', body: CreateTagGroupBody, response: withErrors({ 201: TagGroup }, 403, 409, 422) },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const { name, order, tags: newTags } = request.body;
      const created = await withTx(ctx, (tx) => addTags(tx, { groupName: name, order, tags: newTags, onExistingName: 'create' }));
      return reply.code(201).send(presentTagGroup(created.group, created.tags, await policyFor(ctx)));
    },
  );

  app.get(
    '/tag-groups/:groupId',
    {
      schema: {
        tags,
        summary: 'Get one tag group',
        description: 'A deleted group (restorable for 30 days) is returned flagged `deleted: true`.',
        params: GroupIdParams,
        response: withErrors({ 200: TagGroup }, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const found = await getTagGroup(ctx, request.params.groupId);
      return presentTagGroup(found.group, found.tags, await policyFor(ctx));
    },
  );

  app.get(
    '/tag-groups/:groupId/dependents',
    {
      schema: {
        tags,
        summary: 'What deleting a tag group would take away',
        description: 'Customers and marks of its tags, smart-tag rules and saved audiences naming them. Needs the right to delete the group.',
        params: GroupIdParams,
        response: withErrors({ 200: TagDependents }, 403, 404),
      },
    },
    async (request) => tagDependents(apiCtx(request), { groupId: request.params.groupId }),
  );

  app.get(
    '/tags/:tagId/dependents',
    {
      schema: {
        tags,
        summary: 'What deleting a tag would take away',
        description: 'Customers and marks carrying it, smart-tag rules and saved audiences naming it. Needs the right to delete the tag.',
        params: TagIdParams,
        response: withErrors({ 200: TagDependents }, 403, 404),
      },
    },
    async (request) => tagDependents(apiCtx(request), { tagId: request.params.tagId }),
  );

  app.patch(
    '/tag-groups/:groupId',
    {
      schema: {
        tags,
        summary: 'Rename or reorder a tag group',
        description: 'Answers the group without its tags.',
        params: GroupIdParams,
        body: UpdateTagGroupBody,
        response: withErrors({ 200: TagGroupHeader }, 403, 404, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentTagGroupHeader(await withTx(ctx, (tx) => updateTagGroup(tx, { groupId: request.params.groupId, ...request.body })), await policyFor(ctx));
    },
  );

  app.delete(
    '/tag-groups/:groupId',
    {
      schema: {
        tags,
        summary: 'Delete a tag group and its tags',
        description: 'Removes its tags from every customer; restorable for 30 days.',
        params: GroupIdParams,
        response: withErrors({ 200: DeletionResult }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentDeletion(await withTx(ctx, (tx) => deleteTags(tx, { groupIds: [request.params.groupId] })));
    },
  );

  app.post(
    '/tag-groups/:groupId/restore',
    {
      schema: {
        tags,
        summary: 'Restore a deleted tag group',
        description: 'Brings back the group, the tags deleted with it and exactly the marks the deletion removed.',
        params: GroupIdParams,
        response: withErrors({ 200: RestoreResult }, 403, 404, 409, 410, 422),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentRestore(await withTx(ctx, (tx) => restoreTags(tx, { groupId: request.params.groupId })));
    },
  );

  app.post(
    '/tag-groups/:groupId/tags',
    {
      schema: {
        tags,
        summary: 'Add tags to a group',
        params: GroupIdParams,
        body: AddTagsBody,
        response: withErrors({ 201: CreatedTags }, 403, 404, 409, 422),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const created = await withTx(ctx, (tx) => addTags(tx, { groupId: request.params.groupId, tags: request.body.tags }));
      return reply.code(201).send(presentCreatedTags(created.tags));
    },
  );

  app.patch(
    '/tags/:tagId',
    {
      schema: { tags, summary: 'Edit a tag', params: TagIdParams, body: UpdateTagBody, response: withErrors({ 200: Tag }, 403, 404, 409) },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentTag(await withTx(ctx, (tx) => updateTag(tx, { tagId: request.params.tagId, ...request.body })));
    },
  );

  app.delete(
    '/tags/:tagId',
    {
      schema: {
        tags,
        summary: 'Delete a tag',
        description: "Removes it from every customer; deleting a group's last tag deletes the group. Restorable for 30 days.",
        params: TagIdParams,
        response: withErrors({ 200: DeletionResult }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentDeletion(await withTx(ctx, (tx) => deleteTags(tx, { tagIds: [request.params.tagId] })));
    },
  );

  app.post(
    '/tags/:tagId/restore',
    {
      schema: {
        tags,
        summary: 'Restore a deleted tag',
        description: 'Revives its group too when that went with it.',
        params: TagIdParams,
        response: withErrors({ 200: RestoreResult }, 403, 404, 409, 410, 422),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentRestore(await withTx(ctx, (tx) => restoreTags(tx, { tagId: request.params.tagId })));
    },
  );

  app.post(
    '/tags/delete',
    {
      schema: {
        tags,
        summary: 'Delete tags and groups in one go',
        description: 'All or nothing: one unknown id refuses the whole request.',
        body: DeleteTagsBody,
        response: withErrors({ 200: DeletionResult }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentDeletion(await withTx(ctx, (tx) => deleteTags(tx, request.body)));
    },
  );
};
