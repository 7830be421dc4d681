import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../../contracts/errors.js';
import { MomentAnalytics, MomentParams, MomentsSummary, MomentsSummaryQuery } from '../../../../contracts/moments.js';
import { apiCtx } from '../../../api/api-context.js';
import { policyFor } from '../../../policies/index.js';
import { presentMomentAnalytics, presentMomentsSummary } from './moment-analytics.presenter.js';
import { momentFunnels } from './moment-analytics.queries.js';
import { summarize } from './moments-summary.js';
import { postFunnels } from './moments-summary.queries.js';
import { summaryPeriod } from './summary-period.js';

const tags = ['Moments'];

/**
 * Moments analytics: one post's funnel (in total, per include tag, per variant) and the corp's
 * targeted-against-broadcast summary over a period. Read-only; anyone who may publish Moments
 * may read them.
 */
export const momentAnalyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/moments/analytics',
    {
      schema: {
        tags,
        summary: 'Targeted posts against broadcast posts over a period',
        description:
          'Posts scheduled in `[from, to)` (default: the last 30 days; at most 366), drafts and posts cancelled before any delivery left out. ' +
          'Targeted posts have an include expression, broadcast posts none; each cohort’s `conversionRate` is converted / delivered, ' +
          '`lift` the targeted rate over the broadcast rate, and `weeks` both rates per week (Monday 00:00 Asia/Shanghai).',
        querystring: MomentsSummaryQuery,
        response: withErrors({ 200: MomentsSummary }, 403),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('moment.publish');
      const { from, to } = summaryPeriod(request.query, Date.now());
      return presentMomentsSummary(summarize(await postFunnels(ctx, from, to), from.getTime(), to.getTime()), from, to);
    },
  );

  app.get(
    '/moments/:momentId/analytics',
    {
      schema: {
        tags,
        summary: 'A post’s funnel, per include tag and per variant',
        description:
          'Distinct customers: targeted (deliveries not cancelled), delivered (sent), then those with a `moment.viewed`, `moment.liked`, ' +
          '`moment.commented`, `moment.clicked` or `moment.not_interested` fact on the post, and converted: an `order.placed` fact within ' +
          '`attributionDays` after their first view. Rates: `delivered` over targeted, each later step over delivered, `conversion` = converted / viewed. ' +
          '`byVariant` -1 is the main content.',
        params: MomentParams,
        response: withErrors({ 200: MomentAnalytics }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('moment.publish');
      return presentMomentAnalytics(await momentFunnels(ctx, request.params.momentId));
    },
  );
};
