import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { issueAccessToken } from '../../modules/auth/tokens.js';
import { parseQuery } from '../parse.js';
import { wecomReply, wecomSchema } from '../wecom.openapi.js';

const query = z.object({ corpid: z.string().optional(), corpsecret: z.string().optional() });

/**
 * `GET /cgi-bin/gettoken?corpid=&corpsecret=` (wecom-api.md §1): the one endpoint without a token.
 * A missing secret is reported before a missing corpid, as WeCom does when both are absent.
 */
export async function gettokenRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/gettoken',
    {
      schema: wecomSchema({
        summary: 'Get an access token',
        description:
          "wecom-api.md §1 (doc 91039): the corp id and a secret (the customer-contact secret, or an app's) give a token valid 7,200 s; while one is valid it is handed out again. 41004 / 41002 missing, 40013 unknown corp, 40001 wrong secret.",
        querystring: query,
        reply: wecomReply({ access_token: z.string(), expires_in: z.int() }),
        public: true,
      }),
      config: { wecomPublic: true },
    },
    async (request) => {
      const { corpid, corpsecret } = parseQuery(request, query);
      if (!corpsecret) throw new AppError('secret_missing');
      if (!corpid) throw new AppError('corpid_missing');
      const { token, expiresIn } = await issueAccessToken(app.db, corpid, corpsecret);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: expiresIn };
    },
  );
}
