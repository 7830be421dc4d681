import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { issueAccessToken } from '../../modules/auth/tokens.js';
import { parseQuery } from '../parse.js';

const query = z.object({ corpid: z.string().optional(), corpsecret: z.string().optional() });

/**
 * `GET /cgi-bin/gettoken?corpid=&corpsecret=` (wecom-api.md §1): the one endpoint without a token.
 * A missing secret is reported before a missing corpid, as WeCom does when both are absent.
 */
export async function gettokenRoutes(app: FastifyInstance): Promise<void> {
  app.get('/gettoken', { config: { wecomPublic: true } }, async (request) => {
    const { corpid, corpsecret } = parseQuery(request, query);
    if (!corpsecret) throw new AppError('secret_missing');
    if (!corpid) throw new AppError('corpid_missing');
    const { token, expiresIn } = await issueAccessToken(app.db, corpid, corpsecret);
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: expiresIn };
  });
}
