import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTx } from '../../context.js';
import { AppError } from '../../errors.js';
import { addStrategyTags } from '../../modules/strategies/commands/add-strategy-tags.js';
import { findStrategyTagOrGroup, listStrategyTagGroups, requireStrategy } from '../../modules/strategies/strategies.queries.js';
import { deleteTags } from '../../modules/tags/commands/delete-tags.js';
import { updateTag } from '../../modules/tags/commands/update-tag.js';
import { updateTagGroup } from '../../modules/tags/commands/update-tag-group.js';
import { cachedByTagVersion } from '../../modules/tags/tag-version-cache.js';
import { customerContactCtx } from '../customer-contact.js';
import { addTagsBody, deleteTagsBody, editTagBody, idList, optionalStrategyId, parseBody, postMethods, refuseBlankRename, strategyId } from '../parse.js';
import { presentAddedTagGroup, wecomOk } from '../presenters.js';
import { sendCachedJson } from '../send-cached.js';
import { presentStrategyTagGroup } from '../strategy-presenters.js';
import { WecomStrategyTagGroup, WecomTagGroup, wecomReply, wecomSchema } from '../wecom.openapi.js';

const listBody = z.object({ strategy_id: optionalStrategyId, tag_id: idList, group_id: idList });

const addBody = addTagsBody.extend({ strategy_id: strategyId });

/**
 * Rule-group (strategy) tag endpoints (wecom-api.md §3.1): get_strategy_tag_list,
 * add_strategy_tag, edit_strategy_tag and del_strategy_tag. They are the corp-tag endpoints'
 * shells over the same tag-library commands, in the strategy library, for the customer-contact secret only.
 */
export async function strategyTagRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: postMethods,
    url: '/externalcontact/get_strategy_tag_list',
    schema: wecomSchema({
      summary: 'List rule-group tag groups and tags',
      description: 'wecom-api.md §3.1 (doc 94882); customer-contact secret only (else 48002). Filters as get_corp_tag_list, plus `strategy_id`.',
      body: listBody,
      reply: wecomReply({ tag_group: z.array(WecomStrategyTagGroup) }),
    }),
    config: { wecomEmpty: { tag_group: [] } },
    handler: async (request, reply) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, listBody);
      // Checked outside the cache: deleting an empty rule group does not move the tag version.
      if (body.strategy_id !== undefined) await requireStrategy(ctx, body.strategy_id);
      const key = `wecom:get_strategy_tag_list:${JSON.stringify([body.strategy_id ?? null, body.tag_id, body.group_id])}`;
      const rendered = await cachedByTagVersion(ctx, key, async () => {
        const groups = await listStrategyTagGroups(ctx, { strategyId: body.strategy_id, tagIds: body.tag_id, groupIds: body.group_id });
        return JSON.stringify(wecomOk({ tag_group: groups.map(({ group, tags }) => presentStrategyTagGroup(group, tags)) }));
      });
      return sendCachedJson(request, reply, rendered);
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/add_strategy_tag',
    schema: wecomSchema({
      summary: 'Add rule-group tags',
      description: 'wecom-api.md §3.1: as add_corp_tag, in a top-level rule group (`strategy_id` required); customer-contact secret only.',
      body: addBody,
      reply: wecomReply({ tag_group: WecomTagGroup }),
    }),
    config: { wecomEmpty: { tag_group: {} } },
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, addBody, { 'tag.*.name': 'name_missing' });
      // group_id wins: group_name and order are then ignored, as with add_corp_tag.
      const input = body.group_id ? { groupId: body.group_id } : { groupName: body.group_name, order: body.order };
      const result = await withTx(ctx, (tx) =>
        addStrategyTags(tx, { ...input, strategyId: body.strategy_id, tags: body.tag.map((t) => ({ name: t.name, order: t.order })) }),
      );
      return wecomOk({ tag_group: presentAddedTagGroup(result.group, result.tags) });
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/edit_strategy_tag',
    schema: wecomSchema({
      summary: 'Rename or reorder a rule-group tag or group',
      description: 'wecom-api.md §3.1; customer-contact secret only.',
      body: editTagBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, editTagBody, { id: 'id_missing' });
      refuseBlankRename(body.name);
      // One endpoint edits tags and groups; the id says which. The commands re-check under lock.
      const kind = await findStrategyTagOrGroup(ctx, body.id);
      if (!kind) throw new AppError('tag_not_found', { message: `invalid tag id ${body.id}` });
      await withTx(ctx, async (tx) => {
        if (kind === 'tag') await updateTag(tx, { tagId: body.id, name: body.name, order: body.order, kind: 'strategy' });
        else await updateTagGroup(tx, { groupId: body.id, name: body.name, order: body.order, kind: 'strategy' });
      });
      return wecomOk();
    },
  });

  app.route({
    method: postMethods,
    url: '/externalcontact/del_strategy_tag',
    schema: wecomSchema({
      summary: 'Delete rule-group tags and groups',
      description: 'wecom-api.md §3.1; customer-contact secret only.',
      body: deleteTagsBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, deleteTagsBody);
      await withTx(ctx, (tx) => deleteTags(tx, { tagIds: body.tag_id, groupIds: body.group_id, kind: 'strategy' }));
      return wecomOk();
    },
  });
}
