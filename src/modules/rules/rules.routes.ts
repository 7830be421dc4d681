import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withErrors } from '../../../contracts/errors.js';
import {
  CopyRuleBody,
  CreateRuleBody,
  DryRunBody,
  DryRunResult,
  ListRulesQuery,
  Rule,
  RuleList,
  RuleParams,
  RuleRunPage,
  RuleRunsQuery,
  RuleVersion,
  RuleVersionParams,
  SchedulePreview,
  SchedulePreviewBody,
  UpdateRuleBody,
} from '../../../contracts/rules.js';
import { apiCtx } from '../../api/api-context.js';
import { type Ctx, withTx } from '../../context.js';
import { policyFor } from '../../policies/index.js';
import { checkDefinition } from './check-definition.js';
import { copyRule } from './commands/copy-rule.js';
import { createRule } from './commands/create-rule.js';
import { deleteRule } from './commands/delete-rule.js';
import { setRuleEnabled } from './commands/set-rule-enabled.js';
import { updateRule } from './commands/update-rule.js';
import { dryRun } from './engine/dry-run.js';
import { checkCron, localTime, nextRuns, previewRuns } from './engine/schedule.js';
import { listRuleRuns } from './rule-runs.queries.js';
import { presentRule, presentVersion } from './rules.presenter.js';
import { getRule, getRuleVersion, listRules } from './rules.queries.js';
import { loadRule, loadVersion } from './rules.repo.js';

const tags = ['Tagging rules'];

/** A rule as answered after a change: current definition and version headers. */
async function answer(ctx: Ctx, ruleId: string) {
  const { rule, versions } = await getRule(ctx, ruleId);
  return presentRule(rule, versions);
}

/**
 * Tagging rules (智能打标签) over REST: list and search, versions, on / off, copy, soft delete, and
 * the schedule preview the rule editor shows. Every change is a command checked as its actor.
 */
export const ruleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/rules',
    {
      schema: {
        tags,
        summary: 'List tagging rules',
        description: 'By name. `q` searches names, `tagId` finds rules whose actions name a tag, `trigger` and `enabled` filter.',
        querystring: ListRulesQuery,
        response: withErrors({ 200: RuleList }, 403),
      },
    },
    async (request) => {
      const { q, tagId, trigger, enabled } = request.query;
      return { rules: (await listRules(apiCtx(request), { q, tagIds: tagId, trigger, enabled })).map((r) => presentRule(r)) };
    },
  );

  app.post(
    '/rules',
    {
      schema: {
        tags,
        summary: 'Create a tagging rule',
        description: 'Version 1, authored by the caller, who must be allowed to apply and remove every tag the actions name.',
        body: CreateRuleBody,
        response: withErrors({ 201: Rule }, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const row = await withTx(ctx, (tx) => createRule(tx, request.body));
      return reply.code(201).send(await answer(ctx, row.ruleId));
    },
  );

  app.post(
    '/rules/schedule-preview',
    {
      schema: {
        tags,
        summary: 'Preview a schedule’s next five runs',
        description: 'A cron of 5 fields (or 6, seconds first) in an IANA timezone, Asia/Shanghai unless given.',
        body: SchedulePreviewBody,
        response: withErrors({ 200: SchedulePreview }, 403),
      },
    },
    async (request) => {
      (await policyFor(apiCtx(request))).authorize('rule.manage');
      const { cron, timezone, from } = request.body;
      checkCron(cron, timezone, 'body');
      return {
        timezone,
        runs: nextRuns(cron, timezone, previewRuns, from ? new Date(from) : new Date()).map((at) => ({ at: at.toISOString(), local: localTime(at, timezone) })),
      };
    },
  );

  app.get(
    '/rules/:ruleId',
    {
      schema: { tags, summary: 'Get a tagging rule with its versions', params: RuleParams, response: withErrors({ 200: Rule }, 403, 404) },
    },
    async (request) => answer(apiCtx(request), request.params.ruleId),
  );

  app.patch(
    '/rules/:ruleId',
    {
      schema: {
        tags,
        summary: 'Rename a rule or save a new version',
        description: 'A new `definition` becomes the next version, authored by the caller; earlier versions stay readable.',
        params: RuleParams,
        body: UpdateRuleBody,
        response: withErrors({ 200: Rule }, 403, 404, 422),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      await withTx(ctx, (tx) => updateRule(tx, { ruleId: request.params.ruleId, ...request.body }));
      return answer(ctx, request.params.ruleId);
    },
  );

  for (const [verb, enabled] of [
    ['enable', true],
    ['pause', false],
  ] as const) {
    app.post(
      `/rules/:ruleId/${verb}`,
      {
        schema: { tags, summary: enabled ? 'Switch a rule on' : 'Pause a rule', params: RuleParams, response: withErrors({ 200: Rule }, 403, 404) },
      },
      async (request) => {
        const ctx = apiCtx(request);
        await withTx(ctx, (tx) => setRuleEnabled(tx, { ruleId: request.params.ruleId, enabled }));
        return answer(ctx, request.params.ruleId);
      },
    );
  }

  app.post(
    '/rules/:ruleId/copy',
    {
      schema: {
        tags,
        summary: 'Copy a rule',
        description: 'The current definition as a new, paused rule authored by the caller.',
        params: RuleParams,
        body: CopyRuleBody,
        response: withErrors({ 201: Rule }, 403, 404, 422),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      const row = await withTx(ctx, (tx) => copyRule(tx, { ruleId: request.params.ruleId, name: request.body?.name }));
      return reply.code(201).send(await answer(ctx, row.ruleId));
    },
  );

  app.delete(
    '/rules/:ruleId',
    {
      schema: {
        tags,
        summary: 'Delete a rule',
        description: 'It stops firing; its versions stay for the marks it made.',
        params: RuleParams,
        response: withErrors({ 204: z.null() }, 403, 404),
      },
    },
    async (request, reply) => {
      const ctx = apiCtx(request);
      await withTx(ctx, (tx) => deleteRule(tx, request.params.ruleId));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/rules/dry-run',
    {
      schema: {
        tags,
        summary: 'Dry-run a rule: who would gain and lose which tag',
        description:
          'A draft `definition`, or with `ruleId` alone that rule’s current version, against current data and the last `days` of recorded trigger events (a schedule: its audience now). Writes nothing.',
        body: DryRunBody,
        response: withErrors({ 200: DryRunResult }, 403, 404),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const { ruleId, definition, days, samples } = request.body;
      // Read-only: the transaction only gives the checks and the replay one consistent snapshot.
      return withTx(ctx, async (tx) => {
        (await policyFor(tx)).authorize('rule.manage');
        if (definition) {
          if (ruleId !== undefined) await loadRule(tx, ruleId);
          return dryRun(tx, { ruleId, definition: (await checkDefinition(tx, definition)).definition, days, samples });
        }
        const rule = await loadRule(tx, ruleId!);
        const version = await loadVersion(tx, rule.ruleId, rule.currentVersion);
        return dryRun(tx, { ruleId: rule.ruleId, version: rule.currentVersion, definition: version.definition, days, samples });
      });
    },
  );

  app.get(
    '/rules/:ruleId/runs',
    {
      schema: {
        tags,
        summary: 'A rule’s run history',
        description: 'Newest first. Each run that changed marks names its operation, which `POST /operations/:operationId/undo` takes back.',
        params: RuleParams,
        querystring: RuleRunsQuery,
        response: withErrors({ 200: RuleRunPage }, 403, 404),
      },
    },
    async (request) => listRuleRuns(apiCtx(request), request.params.ruleId, request.query),
  );

  app.get(
    '/rules/:ruleId/versions/:version',
    {
      schema: { tags, summary: 'Get one version of a rule', params: RuleVersionParams, response: withErrors({ 200: RuleVersion }, 403, 404) },
    },
    async (request) => presentVersion(await getRuleVersion(apiCtx(request), request.params.ruleId, request.params.version)),
  );
};
