import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { isConnectionLost } from '../db/health.js';
import { inputProblems } from '../edge/input-checks.js';
import { urlInputProblems } from '../edge/input-guard.js';
import { markedTextParser } from '../edge/json-body.js';
import { AppError, type ErrorDetail } from '../errors.js';
import { verifyAccessToken } from '../modules/auth/tokens.js';
import { wecomRoutes } from './routes/index.js';
// Declares request.wecomCtx and the route config fields this plugin sets and reads.
import './wecom-context.js';

/** Sends a WeCom error: HTTP 200, errcode/errmsg and the endpoint's empty result fields. */
export function sendWecomError(request: FastifyRequest, reply: FastifyReply, errcode: number, errmsg: string) {
  const empty = request.routeOptions.config?.wecomEmpty ?? {};
  // WeCom's errmsg reads "invalid corpid, hint: [...]": no sentence period before the hint.
  return reply.status(200).send({ errcode, errmsg: `${errmsg.replace(/\.$/, '')}, hint: [${request.id}]`, ...empty });
}

/** 40058 naming the first bad value, as WeCom's `invalid parameter` does (`body.` and `query.` left out, as parseWecom reports paths). */
function refuseBadInput(problems: ErrorDetail[]): void {
  const first = problems[0];
  if (!first) return;
  const where = (first.path ?? '').replace(/^(body|query|params)\.?/, '');
  throw new AppError('validation_failed', { message: `invalid parameter${where ? ` ${where}` : ''}: ${first.message}`, details: problems });
}

/**
 * The WeCom-compatible surface (`/cgi-bin`), as wecom-api.md §0 and §8 describe: the token comes
 * only from the query string and is checked before the body; every known path answers HTTP 200
 * with errcode/errmsg; unknown paths answer 404 with an empty body.
 */
export async function wecomPlugin(app: FastifyInstance): Promise<void> {
  // Route schemas here only describe the surface for the OpenAPI document (wecom.openapi.ts): the
  // routes parse their own input with parseWecom, whose errcodes are WeCom's, and replies (errors
  // included) go out as they are built.
  app.setValidatorCompiler(() => (value) => ({ value }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // WeCom answers bad JSON with 40058 rather than a parse failure; keep the raw text (read from the
  // bytes, invalid UTF-8 marked for the input guard) and parse it after the token check.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, markedTextParser);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, markedTextParser);

  // The token is checked before the body is even read, so a call with a bad token gets 41001 /
  // 40014 / 42001 whatever its body (too large or not JSON), as WeCom answers.
  app.addHook('onRequest', async (request) => {
    if (request.is404 || request.routeOptions.config?.wecomPublic) return;
    const token = (request.query as Record<string, unknown>).access_token;
    // A repeated access_token arrives as an array: WeCom answers it as an invalid token.
    if (Array.isArray(token)) throw new AppError('invalid_token', { message: 'invalid access_token' });
    const identity = await verifyAccessToken(app.db, token as string | undefined);
    request.wecomCtx = {
      corpId: identity.corpId,
      actor: { kind: 'app', appId: identity.appId, appKind: identity.appKind, range: identity.range },
      source: 'wecom-api',
      requestId: request.id,
      db: app.db,
    };
  });

  app.addHook('preValidation', async (request) => {
    if (request.is404) return;
    refuseBadInput(urlInputProblems(request));
    const raw = request.body;
    if (typeof raw === 'string') {
      try {
        request.body = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        throw new AppError('validation_failed', { message: 'invalid json' });
      }
      refuseBadInput(inputProblems('body', request.body));
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) return sendWecomError(request, reply, error.errcode, error.message);
    if (error instanceof ZodError) {
      const first = error.issues[0];
      return sendWecomError(request, reply, 40058, `invalid parameter ${first ? `${first.path.join('.')}: ${first.message}` : ''}`.trim());
    }
    // Fastify's own client errors (a body over the size limit, say) are bad requests: 40058 with
    // HTTP 200, as WeCom answers every known path (wecom-api.md §0: 40058 covers bad length).
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 413) return sendWecomError(request, reply, 40058, `invalid parameter: request body larger than ${request.routeOptions.bodyLimit} bytes`);
    if (typeof status === 'number' && status >= 400 && status < 500) return sendWecomError(request, reply, 40058, 'invalid parameter');
    // A lost database connection is an outage, logged once by the server: -1 asks the caller to retry.
    if (!isConnectionLost(error)) request.log.error({ err: error }, 'wecom handler failed');
    return sendWecomError(request, reply, -1, 'system busy');
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(''));

  await app.register(wecomRoutes);
}
