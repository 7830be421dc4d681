import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTx } from '../../context.js';
import { AppError } from '../../errors.js';
import { addTags } from '../../modules/tags/commands/add-tags.js';
import { deleteTags } from '../../modules/tags/commands/delete-tags.js';
import { updateTag } from '../../modules/tags/commands/update-tag.js';
import { updateTagGroup } from '../../modules/tags/commands/update-tag-group.js';
import { cachedByTagVersion } from '../../modules/tags/tag-version-cache.js';
import { findTagOrGroup, listTagGroups } from '../../modules/tags/tags.queries.js';
import { addTagsBody, deleteTagsBody, editTagBody, parseBody, postMethods, refuseBlankRename, tagFilterBody } from '../parse.js';
import { presentAddedTagGroup, presentTagGroup, wecomOk } from '../presenters.js';
import { sendCachedJson } from '../send-cached.js';
import { WecomTagGroup, wecomReply, wecomSchema } from '../wecom.openapi.js';
import { wecomCtx } from '../wecom-context.js';

/**
 * Corp tag endpoints (wecom-api.md §2.1–2.4): get_corp_tag_list, add_corp_tag, edit_corp_tag and
 * del_corp_tag, each a thin shell over a tag-library query or command.
 */
export async function corpTagRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: postMethods,
    url: '/externalcontact/get_corp_tag_list',
    schema: wecomSchema({
      summary: 'List corp tag groups and tags',
      description:
        'wecom-api.md §2.1 (doc 92117). Both filters empty: every group; `group_id` given: those groups (`tag_id` ignored); `tag_id` alone: the groups of those tags with only them. Asked by id, deleted tags and groups come with `deleted: true`.',
      body: tagFilterBody,
      reply: wecomReply({ tag_group: z.array(WecomTagGroup) }),
    }),
    config: { wecomEmpty: { tag_group: [] } },
    handler: async (request, reply) => {
      const body = parseBody(request, tagFilterBody);
      const ctx = wecomCtx(request);
      // The whole library is read far more often than it changes; serve the rendered reply from memory.
      const key = `wecom:get_corp_tag_list:${JSON.stringify([body.tag_id, body.group_id])}`;
      const rendered = await cachedByTagVersion(ctx, key, async () => {
        const listing = await listTagGroups(ctx, { tagIds: body.tag_id, groupIds: body.group_id });
        return JSON.stringify(wecomOk({ tag_group: listing.groups.map(({ group, tags }) => presentTagGroup(group, tags, listing.filtered)) }));
      });
      return sendCachedJson(request, reply, rendered);
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/add_corp_tag',
    schema: wecomSchema({
      summary: 'Add corp tags (to a group, or a new or same-named group)',
      description:
        "wecom-api.md §2.2. `group_id` wins over `group_name` and `order`; a `group_name` that exists merges into it. Names ≤ 30 characters (the corp's limit, default 16, is 40072); a clash is 40071. Replies with the group holding the tags created.",
      body: addTagsBody,
      reply: wecomReply({ tag_group: WecomTagGroup }),
    }),
    config: { wecomEmpty: { tag_group: {} } },
    handler: async (request) => {
      const body = parseBody(request, addTagsBody, { 'tag.*.name': 'name_missing' });
      // group_id wins: group_name and order are then ignored, as WeCom documents.
      const input = body.group_id ? { groupId: body.group_id } : { groupName: body.group_name, order: body.order };
      const result = await withTx(wecomCtx(request), (ctx) =>
        addTags(ctx, { ...input, tags: body.tag.map((t) => ({ name: t.name, order: t.order })), onExistingName: 'merge' }),
      );
      return wecomOk({ tag_group: presentAddedTagGroup(result.group, result.tags) });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/edit_corp_tag',
    schema: wecomSchema({
      summary: 'Rename or reorder a corp tag or group',
      description: 'wecom-api.md §2.3. `id` is a tag id or a group id; unknown is 40068.',
      body: editTagBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, editTagBody, { id: 'id_missing' });
      refuseBlankRename(body.name);
      const ctx = wecomCtx(request);
      // One endpoint edits tags and groups; the id says which. The command re-checks under lock.
      const kind = await findTagOrGroup(ctx, body.id);
      if (!kind) throw new AppError('tag_not_found', { message: `invalid tag id ${body.id}` });
      await withTx(ctx, async (tx) => {
        if (kind === 'tag') await updateTag(tx, { tagId: body.id, name: body.name, order: body.order });
        else await updateTagGroup(tx, { groupId: body.id, name: body.name, order: body.order });
      });
      return wecomOk();
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/del_corp_tag',
    schema: wecomSchema({
      summary: 'Delete corp tags and groups',
      description:
        "wecom-api.md §2.4. Deleting a group deletes its tags; deleting a group's last tag deletes the group. Marks go with them (restorable for 30 days through the native API).",
      body: deleteTagsBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const body = parseBody(request, deleteTagsBody);
      await withTx(wecomCtx(request), (ctx) => deleteTags(ctx, { tagIds: body.tag_id, groupIds: body.group_id }));
      return wecomOk();
    },
  });
}
