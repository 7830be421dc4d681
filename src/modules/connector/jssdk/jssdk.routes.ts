import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withErrors } from '../../../../contracts/errors.js';
import { JssdkConfig, JssdkConfigQuery } from '../../../../contracts/jssdk.js';
import { apiCtx } from '../../../api/api-context.js';
import { AppError } from '../../../errors.js';
import { requireConnection } from '../connection.js';
import { agentConfigTicket } from './jsapi-ticket.js';
import { jssdkNonce, jssdkSignature, sidebarUrlProblem } from './jssdk-signature.js';

const tags = ['Connector'];

/**
 * The sidebar's JS-SDK signature: any signed-in member of the corp may ask (the sidebar is every
 * employee's page), only for this server's own sidebar URL, and it reveals no secret — the ticket
 * stays on the server, only its signature of the URL goes out.
 */
export const jssdkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/connector/jssdk-config',
    {
      schema: {
        tags,
        summary: "Sign the sidebar page for WeCom's JS-SDK (agentConfig)",
        description:
          'For `ww.register({ corpId, agentId, getAgentConfigSignature })`. `url` is the sidebar page as the browser shows it, without `#fragment`; another site or page is refused (`jssdk_url_invalid`). Without a WeCom connection: `connector_not_configured`.',
        querystring: JssdkConfigQuery,
        response: withErrors({ 200: JssdkConfig }, 409),
      },
    },
    async (request) => {
      const ctx = apiCtx(request);
      const problem = sidebarUrlProblem(request.query.url, request.host);
      if (problem) {
        throw new AppError('jssdk_url_invalid', { message: `The url ${problem}.`, details: [{ path: 'querystring.url', message: problem }] });
      }
      const row = await requireConnection(ctx.db, ctx.corpId);
      const ticket = await agentConfigTicket(ctx.db, app.secretBox, row);
      const timestamp = Math.floor(Date.now() / 1000);
      const nonceStr = jssdkNonce();
      return {
        corpId: row.wecomCorpid,
        agentId: row.agentId,
        timestamp,
        nonceStr,
        signature: jssdkSignature({ ticket, nonceStr, timestamp, url: request.query.url }),
      };
    },
  );
};
