import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../contracts/errors.js';
import { Settings, UpdateSettingsBody } from '../../../contracts/settings.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { readMomentSettings } from '../moments/moment-settings.js';
import { readCorpSettings } from './settings.js';
import { presentSettings } from './settings.presenter.js';
import { updateCorpSettings } from './update-settings.js';

const tags = ['Settings'];

/** The corp's limits (DESIGN.md §4): name length, tags per group, tags per corp; and its Moments settings. */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/settings',
    {
      schema: { tags, summary: "Read the corp's limits and Moments settings", response: withErrors({ 200: Settings }) },
    },
    async (request) => {
      const ctx = apiCtx(request);
      return presentSettings(await readCorpSettings(ctx), await readMomentSettings(ctx));
    },
  );

  app.patch(
    '/settings',
    {
      schema: {
        tags,
        summary: "Change the corp's limits or Moments settings",
        description:
          'The shape GET answers: `{ limits?: { nameMaxLength?, tagsPerGroup?, corpTagsMax? }, moments?: { weeklyCap?, quietHours?: { start?, end? }, notInterestedStreak?, fallbackHour?, attributionDays? } }` (`bounds` may be sent back unchanged). Lowering a limit below what exists only refuses new tags beyond it. Quiet hours are whole hours (Asia/Shanghai) and must not start and end at the same hour.',
        body: UpdateSettingsBody,
        response: withErrors({ 200: Settings }, 403),
      },
    },
    async (request) => {
      const { limits, moments } = await withTx(apiCtx(request), (tx) => updateCorpSettings(tx, { limits: request.body.limits, moments: request.body.moments }));
      return presentSettings(limits, moments);
    },
  );
};
