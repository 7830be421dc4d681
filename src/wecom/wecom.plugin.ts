import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { Ctx } from '../context.js';
import { isConnectionLost } from '../db/health.js';
import { AppError } from '../errors.js';
import { verifyAccessToken } from '../modules/auth/tokens.js';
import { wecomRoutes } from './routes/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the WeCom surface once the access token checks out. */
    wecomCtx?: Ctx;
  }
  interface FastifyContextConfig {
    /** The endpoint's result fields with empty values; error replies keep them, as WeCom's do. */
    wecomEmpty?: Record<string, unknown>;
    /** True for `gettoken`, the one endpoint that takes no access token. */
    wecomPublic?: boolean;
  }
}

/** The context a WeCom route acts in; the hook has set it before any handler runs. */
export function wecomCtx(request: FastifyRequest): Ctx {
  if (!request.wecomCtx) throw new Error('wecomCtx is missing: did the route forget `config.wecomPublic`?');
  return request.wecomCtx;
}

/** Sends a WeCom error: HTTP 200, errcode/errmsg and the endpoint's empty result fields. */
export function sendWecomError(request: FastifyRequest, reply: FastifyReply, errcode: number, errmsg: string) {
  const empty = request.routeOptions.config?.wecomEmpty ?? {};
  // WeCom's errmsg reads "invalid corpid, hint: [...]": no sentence period before the hint.
  return reply.status(200).send({ errcode, errmsg: `${errmsg.replace(/\.$/, '')}, hint: [${request.id}]`, ...empty });
}

/**
 * The WeCom-compatible surface (`/cgi-bin`), as wecom-api.md §0 and §8 describe: the token comes
 * only from the query string and is checked before the body; every known path answers HTTP 200
 * with errcode/errmsg; unknown paths answer 404 with an empty body.
 */
export async function wecomPlugin(app: FastifyInstance): Promise<void> {
  // WeCom answers bad JSON with 40058 rather than a parse failure; keep the raw text and parse here.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config?.wecomPublic) return;
    const query = request.query as Record<string, string | undefined>;
    const identity = await verifyAccessToken(app.db, query.access_token);
    const raw = request.body;
    if (typeof raw === 'string') {
      try {
        request.body = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        throw new AppError('validation_failed', { message: 'invalid json' });
      }
    }
    request.wecomCtx = {
      corpId: identity.corpId,
      actor: { kind: 'app', appId: identity.appId, appKind: identity.appKind, range: identity.range },
      source: 'wecom-api',
      requestId: request.id,
      db: app.db,
    };
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) return sendWecomError(request, reply, error.errcode, error.message);
    if (error instanceof ZodError) {
      const first = error.issues[0];
      return sendWecomError(request, reply, 40058, `invalid parameter ${first ? `${first.path.join('.')}: ${first.message}` : ''}`.trim());
    }
    // Fastify's own client errors (a body over the size limit, say) are bad requests: 40058, as WeCom.
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendWecomError(request, reply, 40058, 'invalid parameter');
    // A lost database connection is an outage, logged once by the server: -1 asks the caller to retry.
    if (!isConnectionLost(error)) request.log.error({ err: error }, 'wecom handler failed');
    return sendWecomError(request, reply, -1, 'system busy');
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(''));

  await app.register(wecomRoutes);
}
