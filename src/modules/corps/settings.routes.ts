import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../contracts/errors.js';
import { Settings, UpdateSettingsBody } from '../../../contracts/settings.js';
import { apiCtx } from '../../api/api-context.js';
import { withTx } from '../../context.js';
import { readCorpSettings } from './settings.js';
import { presentSettings } from './settings.presenter.js';
import { updateCorpSettings } from './update-settings.js';

const tags = ['Settings'];

/** The corp's limits (DESIGN.md §4): name length, tags per group, tags per corp. */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/settings',
    {
      schema: { tags, summary: "Read the corp's limits", response: withErrors({ 200: Settings }) },
    },
    async (request) => {
      return presentSettings(await readCorpSettings(apiCtx(request)));
    },
  );

  app.patch(
    '/settings',
    {
      schema: {
        tags,
        summary: "Change the corp's limits",
        description:
          'The shape GET answers: `{ limits: { nameMaxLength?, tagsPerGroup?, corpTagsMax? } }` (`bounds` may be sent back unchanged). Lowering a limit below what exists only refuses new tags beyond it.',
        body: UpdateSettingsBody,
        response: withErrors({ 200: Settings }, 403),
      },
    },
    async (request) => {
      return presentSettings(await withTx(apiCtx(request), (tx) => updateCorpSettings(tx, request.body.limits)));
    },
  );
};
