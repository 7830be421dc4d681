import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Connector, ConnectorTestResult, PullStarted, SaveConnectorBody, StartPullBody } from '../../../../contracts/connector.js';
import { withErrors } from '../../../../contracts/errors.js';
import { apiCtx } from '../../../api/api-context.js';
import { withTx } from '../../../context.js';
import { policyFor } from '../../../policies/index.js';
import { type ConnectionRow, connectionClient, findConnection, requireConnection } from '../connection.js';
import { queuePull } from '../pull/queue-pull.js';
import { requireSecretBox } from '../secret-box.js';
import { WecomError } from '../wecom-client.js';
import { removeConnection, saveConnection } from './save-connection.js';

const tags = ['WeCom connector'];

/** The connection as answered: never a secret, only whether callbacks are set up. */
function presentConnector(row: ConnectionRow | null) {
  if (!row) return { connected: false as const };
  return {
    connected: true as const,
    wecomCorpid: row.wecomCorpid,
    agentId: row.agentId,
    apiBase: row.apiBase,
    pushEnabled: row.pushEnabled,
    hasCallback: row.callbackTokenSealed !== null && row.aesKeySealed !== null,
    callbackUrl: `/hooks/wecom/${row.corpId}`,
    lastFullPullAt: row.lastFullPullAt?.toISOString() ?? null,
    lastPullAt: row.lastPullAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The corp's WeCom connection, its check, and pulls. Everything here needs `corp.settings`. */
export const connectorRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/connector',
    { schema: { tags, summary: 'Get the WeCom connection', description: 'Never answers a secret.', response: withErrors({ 200: Connector }, 403) } },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('corp.settings');
      return presentConnector(await findConnection(ctx.db, ctx.corpId));
    },
  );

  app.put(
    '/connector',
    {
      schema: {
        tags,
        summary: 'Connect to WeCom, or change the connection',
        description:
          'Secrets are sealed with the server key (`TAGLOOM_SECRET_KEY`); one left out keeps its saved value, and the 客户联系 secret is required the first time.',
        body: SaveConnectorBody,
        response: withErrors({ 200: Connector }, 403, 409),
      },
    },
    async (request) => {
      const box = requireSecretBox(app.secretBox);
      return presentConnector(await withTx(apiCtx(request), (ctx) => saveConnection(ctx, box, request.body)));
    },
  );

  app.delete(
    '/connector',
    {
      schema: {
        tags,
        summary: 'Disconnect from WeCom',
        description: 'Forgets the secrets; the id map stays, so connecting again keeps tags linked.',
        response: withErrors({ 204: z.null() }, 403, 409),
      },
    },
    async (request, reply) => {
      await withTx(apiCtx(request), (ctx) => removeConnection(ctx));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/connector/test',
    {
      schema: {
        tags,
        summary: 'Check the WeCom connection',
        description: 'Gets a token and reads the tag library: `ok` with the number of groups, or WeCom’s errcode and errmsg.',
        response: withErrors({ 200: ConnectorTestResult }, 403, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      (await policyFor(ctx)).authorize('corp.settings');
      const row = await requireConnection(ctx.db, ctx.corpId);
      const client = await connectionClient(ctx.db, app.secretBox, ctx.corpId, { row });
      try {
        const answer = await client.call('externalcontact/get_corp_tag_list', {});
        return { ok: true as const, tagGroups: Array.isArray(answer.tag_group) ? answer.tag_group.length : 0 };
      } catch (error) {
        if (!(error instanceof WecomError)) throw error;
        return { ok: false as const, errcode: error.errcode, errmsg: error.errmsg };
      }
    },
  );

  app.post(
    '/connector/pulls',
    {
      schema: {
        tags,
        summary: 'Pull from WeCom',
        description:
          'Queues a pull (operation kind `wecom_pull`): follow it with `GET /operations/:id` or `/progress`. It commits page by page and resumes where it stopped. See docs/connector.md for what `full` and `incremental` read.',
        body: StartPullBody,
        response: withErrors({ 202: PullStarted }, 403, 409),
      },
    },
    async (request, reply) => {
      requireSecretBox(app.secretBox);
      const operationId = await withTx(apiCtx(request), (ctx) => queuePull(ctx, request.body.mode));
      app.operations.nudge();
      return reply.code(202).send({ operationId });
    },
  );
};
