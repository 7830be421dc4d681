import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import type { Ctx } from '../context.js';
import { employees } from '../db/schema/index.js';
import { AppError, type ErrorDetail } from '../errors.js';
import { verifyApiKey } from '../modules/auth/tokens.js';
import { apiRoutes } from './routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the native API once the API key (and acting user, if any) checks out. */
    apiCtx?: Ctx;
  }
}

/** The header that makes an app act on behalf of one of its corp's employees. */
export const actingUserHeader = 'tagloom-acting-user';

/** The context a native route acts in; the auth hook has set it before any handler runs. */
export function apiCtx(request: FastifyRequest): Ctx {
  if (!request.apiCtx) throw new Error('apiCtx is missing: is this route registered inside nativeApiPlugin?');
  return request.apiCtx;
}

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
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: at([...issue.path, key]), code: issue.code, message: `unknown field "${key}"` }));
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
  if (details.length === 0) return error.validation.map((v) => ({ path: error.validationContext, message: String((v as { message?: string }).message ?? 'invalid') }));
  return details;
}

/**
 * The native REST API (`/api/v1`): Bearer API key per app, optionally acting as an employee
 * (`Tagloom-Acting-User: userid`, needed for personal tags), coded errors
 * `{ error: { code, message, details, requestId } }` with every validation issue listed.
 */
export async function nativeApiPlugin(app: FastifyInstance): Promise<void> {
  // Authentication runs before validation so the status ladder is 401 → 400 → 403/404 → 2xx.
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const identity = await verifyApiKey(app.db, key);
    const acting = request.headers[actingUserHeader];
    let actor: Ctx['actor'] = { kind: 'app', appId: identity.appId, appKind: identity.appKind };
    if (typeof acting === 'string' && acting !== '') {
      const [employee] = await app.db.select().from(employees).where(and(eq(employees.corpId, identity.corpId), eq(employees.userid, acting)));
      if (!employee || employee.status !== 'active') throw new AppError('unauthorized', { message: `No active employee "${acting}" to act as.` });
      actor = { kind: 'employee', userid: employee.userid, role: employee.role, viaApp: identity.appId };
    }
    request.apiCtx = { corpId: identity.corpId, actor, source: 'api', requestId: request.id, db: app.db };
  });

  app.setErrorHandler((error: FastifyError | AppError | ZodError, request, reply) => {
    if (error instanceof AppError) return reply.status(error.status).send(errorBody(request, error.code, error.message, error.details));
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.status(400).send(errorBody(request, 'validation_failed', 'The request is not valid.', validationDetails(request, error)));
    }
    if (error instanceof ZodError) {
      return reply.status(400).send(errorBody(request, 'validation_failed', 'The request is not valid.', error.issues.flatMap((issue) => issueDetails(undefined, issue))));
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status < 500) return reply.status(status).send(errorBody(request, 'validation_failed', error.message));
    request.log.error({ err: error }, 'native api handler failed');
    return reply.status(500).send(errorBody(request, 'internal', 'Something went wrong on our side.'));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody(request, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)));

  await app.register(apiRoutes);
}
