import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError, z } from 'zod';
import { isConnectionLost } from '../db/health.js';
import { headerProblems, requestInputProblems } from '../edge/input-guard.js';
import { markedJsonParser } from '../edge/json-body.js';
import { AppError, type ErrorDetail, errorCodes } from '../errors.js';
import { verifyPlatformKey } from '../modules/auth/platform-key.js';
// Declares request.apiCtx and the route config flags this plugin sets and reads.
import './api-context.js';
import { authenticate } from './authenticate.js';
import { apiRoutes } from './routes.js';

export { actingUserHeader } from './authenticate.js';

function errorBody(request: FastifyRequest, code: string, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details && details.length > 0 ? { details } : {}), requestId: request.id } };
}

// Fastify validates params, body, querystring and headers in this order and stops at the first part
// that fails, so a bad id in the path would hide every mistake in the body.
const requestParts = [
  { part: 'params', schema: 'params', value: (r: FastifyRequest) => r.params },
  { part: 'body', schema: 'body', value: (r: FastifyRequest) => r.body },
  { part: 'query', schema: 'querystring', value: (r: FastifyRequest) => r.query },
  { part: 'headers', schema: 'headers', value: (r: FastifyRequest) => r.headers },
] as const;

/** One detail per problem; an unknown-keys issue becomes one detail per unknown field. */
function issueDetails(part: string | undefined, issue: z.core.$ZodIssue): ErrorDetail[] {
  const at = (path: readonly PropertyKey[]) => [part, ...path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({ path: at([...issue.path, key]), code: issue.code, message: `unknown field "${key}"` }));
  return [{ path: at(issue.path), code: issue.code, message: issue.message }];
}

/**
 * Every validation issue of the request: those of the part Fastify rejected, and those of the parts
 * it never got to (checked here with the route's own schemas, on the raw values).
 */
function validationDetails(request: FastifyRequest, error: FastifyError & { validation: unknown[]; validationContext?: string }): ErrorDetail[] {
  const schema = (request.routeOptions.schema ?? {}) as Record<string, unknown>;
  const failed = requestParts.findIndex((p) => p.schema === error.validationContext);
  const details: ErrorDetail[] = [];
  for (const { part, schema: key, value } of requestParts.slice(Math.max(failed, 0))) {
    const partSchema = schema[key];
    if (!(partSchema instanceof z.ZodType)) continue;
    const result = partSchema.safeParse(value(request) ?? null);
    if (!result.success) details.push(...result.error.issues.flatMap((issue) => issueDetails(part, issue)));
  }
  // Should the re-check disagree with Fastify (it cannot with the same schemas), keep Fastify's word.
  if (details.length === 0)
    return error.validation.map((v) => ({ path: error.validationContext, message: String((v as { message?: string }).message ?? 'invalid') }));
  return details;
}

/**
 * The native REST API (`/api/v1`): Bearer API key per app, optionally acting as an employee
 * (`Tagloom-Acting-User: userid`, needed for personal tags), or the console's session cookie; coded errors
 * `{ error: { code, message, details, requestId } }` with every validation issue listed.
 */
export async function nativeApiPlugin(app: FastifyInstance, opts: { platformKey?: string }): Promise<void> {
  // JSON is read from the raw bytes, so invalid UTF-8 is refused below instead of stored as U+FFFD.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, markedJsonParser(app));

  // Authentication runs before validation so the status ladder is 401 → 400 → 403/404 → 2xx.
  app.addHook('onRequest', async (request) => {
    // The acting-user header is looked up before any validation runs.
    const badHeaders = headerProblems(request);
    if (badHeaders.length > 0) throw new AppError('validation_failed', { message: errorCodes.validation_failed.message, details: badHeaders });
    if (request.routeOptions.config?.apiPublic) return;
    if (request.routeOptions.config?.platform) return verifyPlatformKey(request.headers.authorization, opts.platformKey ?? '');
    const { ctx, sessionTokenHash } = await authenticate(app, request);
    request.apiCtx = ctx;
    request.apiSessionHash = sessionTokenHash;
  });
  // Text no handler may see (NUL, invalid UTF-8, lone surrogates, deep nesting) is refused once,
  // here, before the routes' schemas and handlers (and PostgreSQL) get it.
  app.addHook('preValidation', async (request) => {
    const problems = requestInputProblems(request);
    if (problems.length > 0) throw new AppError('validation_failed', { message: errorCodes.validation_failed.message, details: problems });
  });

  app.setErrorHandler((error: FastifyError | AppError | ZodError, request, reply) => {
    if (error instanceof AppError) return reply.status(error.status).send(errorBody(request, error.code, error.message, error.details));
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.status(400).send(errorBody(request, 'validation_failed', 'The request is not valid.', validationDetails(request, error)));
    }
    if (error instanceof ZodError) {
      return reply.status(400).send(
        errorBody(
          request,
          'validation_failed',
          'The request is not valid.',
          error.issues.flatMap((issue) => issueDetails(undefined, issue)),
        ),
      );
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413)
      return reply.status(413).send(errorBody(request, 'payload_too_large', `The request body is larger than ${request.routeOptions.bodyLimit} bytes.`));
    if (status < 500) return reply.status(status).send(errorBody(request, 'validation_failed', error.message));
    // A lost database connection is an outage, logged once by the server, not a failure of this request.
    if (isConnectionLost(error))
      return reply
        .status(503)
        .header('retry-after', '1')
        .send(errorBody(request, 'unavailable', errorCodes.unavailable.message));
    request.log.error({ err: error }, 'native api handler failed');
    return reply.status(500).send(errorBody(request, 'internal', 'Something went wrong on our side.'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(request, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );

  await app.register(apiRoutes, { platformKey: opts.platformKey });
}
