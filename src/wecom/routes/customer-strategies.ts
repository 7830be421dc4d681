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
import { optionalText, parseBody, postMethods, optionalStrategyId, requiredText, strategyId } from '../parse.js';
import { wecomOk } from '../presenters.js';
import { presentRangeNode, presentStrategy } from '../strategy-presenters.js';

/** WeCom's page size for rule-group listings: the default and the ceiling (doc 94883). */
const maxLimit = 1000;

// 0 or absent means the default; over 1000 clamps to 1000, as batch/get_by_user's limit does.
const limit = z.number().int().min(0).nullish().transform((n) => Math.min(n || maxLimit, maxLimit));

// Go SDKs send both `userid` and `partyid` on every node, zero-valued; `type` says which counts.
const rangeNode = z
  .discriminatedUnion('type', [z.object({ type: z.literal(1), userid: requiredText }), z.object({ type: z.literal(2), partyid: z.number().int().min(1) })])
  .transform((n): RangeNode => (n.type === 1 ? { type: 1, userid: n.userid } : { type: 2, deptId: n.partyid }));
const rangeList = z.array(rangeNode).nullish().transform((nodes) => nodes ?? []);

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
  admin_list: z.array(requiredText).nullish().transform((ids) => ids ?? []),
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
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, editBody);
      await withTx(ctx, (tx) =>
        editStrategy(tx, { strategyId: body.strategy_id, name: body.strategy_name, adminList: body.admin_list, privilege: body.privilege, rangeAdd: body.range_add, rangeDel: body.range_del }),
      );
      return wecomOk();
    },
  });

  app.route({
    method: postMethods,
    url: `${base}/del`,
    handler: async (request) => {
      const ctx = customerContactCtx(request);
      const body = parseBody(request, getBody);
      await withTx(ctx, (tx) => deleteStrategy(tx, { strategyId: body.strategy_id }));
      return wecomOk();
    },
  });
}
