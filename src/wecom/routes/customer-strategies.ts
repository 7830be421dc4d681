import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withTx } from '../../context.js';
import { createStrategy } from '../../modules/strategies/commands/create-strategy.js';
import { deleteStrategy } from '../../modules/strategies/commands/delete-strategy.js';
import { editStrategy } from '../../modules/strategies/commands/edit-strategy.js';
import { optionalPrivileges, type PrivilegeInput } from '../../modules/strategies/privileges.js';
import type { RangeNode } from '../../modules/strategies/range.js';
import { getStrategy, listStrategyIds, pageStrategyRange } from '../../modules/strategies/strategies.queries.js';
import { customerContactCtx } from '../customer-contact.js';
import { optionalStrategyId, optionalText, parseBody, postMethods, requiredText, strategyId } from '../parse.js';
import { wecomOk } from '../presenters.js';
import { presentRangeNode, presentStrategy } from '../strategy-presenters.js';
import { WecomRangeNode, WecomStrategy, wecomReply, wecomSchema } from '../wecom.openapi.js';

/** WeCom's page size for rule-group listings: the default and the ceiling (doc 94883). */
const maxLimit = 1000;

// 0 or absent means the default; over 1000 clamps to 1000, as batch/get_by_user's limit does.
const limit = z
  .number()
  .int()
  .min(0)
  .nullish()
  .transform((n) => Math.min(n || maxLimit, maxLimit));

// Go SDKs send both `userid` and `partyid` on every node, zero-valued; `type` says which counts.
const rangeNode = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal(1), userid: requiredText }),
    z.object({
      type: z.literal(2),
      partyid: z
        .number()
        .int()
        .min(1)
        .max(2 ** 31 - 1),
    }),
  ])
  .transform((n): RangeNode => (n.type === 1 ? { type: 1, userid: n.userid } : { type: 2, deptId: n.partyid }));
const rangeList = z
  .array(rangeNode)
  .nullish()
  .transform((nodes) => nodes ?? []);

// Unknown flags are dropped; the base five are forced on by the command.
const privilege = z
  .object(Object.fromEntries(optionalPrivileges.map((key) => [key, z.boolean().nullish()])))
  .nullish()
  .transform((p) => (p ?? undefined) as PrivilegeInput | undefined);

const listBody = z.object({ cursor: optionalText, limit });
const getBody = z.object({ strategy_id: strategyId });
const rangeBody = z.object({ strategy_id: strategyId, cursor: optionalText, limit });
const createBody = z.object({
  parent_id: optionalStrategyId.transform((id) => id ?? 0),
  strategy_name: z.string().min(1),
  admin_list: z.array(requiredText).min(1),
  privilege,
  range: rangeList,
});
const editBody = z.object({
  strategy_id: strategyId,
  strategy_name: optionalText,
  admin_list: z
    .array(requiredText)
    .nullish()
    .transform((ids) => ids ?? []),
  privilege,
  range_add: rangeList,
  range_del: rangeList,
});

/**
 * Customer rule-group endpoints (wecom-api.md §3.2) under `externalcontact/customer_strategy/`:
 * list, get, get_range, create, edit and del, for the customer-contact secret only. Unknown
 * strategy ids are 40068, unknown members 40003, unknown departments 60123, other bad input 40058.
 */
export async function customerStrategyRoutes(app: FastifyInstance): Promise<void> {
  const base = '/externalcontact/customer_strategy';

  app.route({
    method: postMethods,
    url: `${base}/list`,
    schema: wecomSchema({
      summary: 'List rule groups',
      description: 'wecom-api.md §3.2 (doc 94883); customer-contact secret only. `limit` default and ceiling 1000; `next_cursor` absent on the last page.',
      body: listBody,
      reply: wecomReply({ strategy: z.array(z.object({ strategy_id: z.int() })), next_cursor: z.string().optional() }),
    }),
    config: { wecomEmpty: { strategy: [] } },
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, listBody);
      const page = await listStrategyIds(ctx, { cursor: body.cursor, limit: body.limit });
      return wecomOk({ strategy: page.items.map((id) => ({ strategy_id: id })), ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) });
    },
  });

  app.route({
    method: postMethods,
    url: `${base}/get`,
    schema: wecomSchema({
      summary: 'Get a rule group',
      description: 'wecom-api.md §3.2; unknown: 40068.',
      body: getBody,
      reply: wecomReply({ strategy: WecomStrategy }),
    }),
    config: { wecomEmpty: { strategy: {} } },
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, getBody);
      const found = await getStrategy(ctx, body.strategy_id);
      return wecomOk({ strategy: presentStrategy(found.strategy, found.privilege) });
    },
  });

  app.route({
    method: postMethods,
    url: `${base}/get_range`,
    schema: wecomSchema({
      summary: "Page a rule group's range",
      description: 'wecom-api.md §3.2: members and departments, `limit` ≤ 1000.',
      body: rangeBody,
      reply: wecomReply({ range: z.array(WecomRangeNode), next_cursor: z.string().optional() }),
    }),
    config: { wecomEmpty: { range: [] } },
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, rangeBody);
      const page = await pageStrategyRange(ctx, body.strategy_id, { cursor: body.cursor, limit: body.limit });
      return wecomOk({ range: page.items.map(presentRangeNode), ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) });
    },
  });

  app.route({
    method: postMethods,
    url: `${base}/create`,
    schema: wecomSchema({
      summary: 'Create a rule group',
      description: "wecom-api.md §3.2: a name, admins and a range (a child's range within its parent's, depth ≤ 5). Unknown members 40003, departments 60123.",
      body: createBody,
      reply: wecomReply({ strategy_id: z.int() }),
    }),
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, createBody);
      const created = await withTx(ctx, (tx) =>
        createStrategy(tx, { parentId: body.parent_id, name: body.strategy_name, adminList: body.admin_list, privilege: body.privilege, range: body.range }),
      );
      return wecomOk({ strategy_id: created.strategyId });
    },
  });

  app.route({
    method: postMethods,
    url: `${base}/edit`,
    schema: wecomSchema({
      summary: 'Edit a rule group',
      description: 'wecom-api.md §3.2: name, admins (non-empty replaces), privileges, range nodes added and removed.',
      body: editBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, editBody);
      await withTx(ctx, (tx) =>
        editStrategy(tx, {
          strategyId: body.strategy_id,
          name: body.strategy_name,
          adminList: body.admin_list,
          privilege: body.privilege,
          rangeAdd: body.range_add,
          rangeDel: body.range_del,
        }),
      );
      return wecomOk();
    },
  });

  app.route({
    method: postMethods,
    url: `${base}/del`,
    schema: wecomSchema({
      summary: 'Delete a rule group',
      description:
        'wecom-api.md §3.2: with its range and its tag groups (their marks archived). A rule group with child groups is refused (40058): delete them first.',
      body: getBody,
      reply: wecomReply(),
    }),
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, getBody);
      await withTx(ctx, (tx) => deleteStrategy(tx, { strategyId: body.strategy_id }));
      return wecomOk();
    },
  });
}
