import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../contracts/errors.js';
import { CustomerGrowth, CustomerGrowthQuery, TagStats, TagStatsQuery } from '../../../contracts/stats.js';
import { apiCtx } from '../../api/api-context.js';
import { policyFor } from '../../policies/index.js';
import { loadCatalog } from '../audiences/service/catalog.js';
import type { AudienceEngine } from '../audiences/service/engine.js';
import { customerGrowth } from './customer-growth.js';
import { tagStats } from './tag-stats.js';

const tags = ['Statistics'];

/**
 * Statistics for the console's 数据统计 page: customers per tag of a group and new customers per
 * day, answered from the in-memory audience index and always within the caller's data scope.
 */
export const statsRoutes: FastifyPluginAsyncZod<{ engine: AudienceEngine }> = async (app, { engine }) => {
  app.get(
    '/stats/tags',
    {
      schema: {
        tags,
        summary: 'Customers per tag of a group',
        description:
          "For each tag of a group the caller may see: how many customers within their data scope carry it; plus how many carry none of the group's tags, and how many they may see in all.",
        querystring: TagStatsQuery,
        response: withErrors({ 200: TagStats }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('customer.view');
      return tagStats(engine, ctx, await loadCatalog(ctx), request.query.groupId);
    },
  );

  app.get(
    '/stats/customers',
    {
      schema: {
        tags,
        summary: 'New customers per day',
        description:
          "For each of the last `days` days (UTC+8, today included): how many customers within the caller's data scope were first added that day (the earliest of their follow relations).",
        querystring: CustomerGrowthQuery,
        response: withErrors({ 200: CustomerGrowth }, 403),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('customer.view');
      return customerGrowth(engine, ctx, await loadCatalog(ctx), request.query.days);
    },
  );
};
