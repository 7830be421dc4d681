import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
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
      const details = error.validation.map((issue) => ({ path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`, message: issue.message ?? 'invalid' }));
      return reply.status(400).send(errorBody(request, 'validation_failed', 'The request is not valid.', details));
    }
    if (error instanceof ZodError) {
      const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      return reply.status(400).send(errorBody(request, 'validation_failed', 'The request is not valid.', details));
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status < 500) return reply.status(status).send(errorBody(request, 'validation_failed', error.message));
    request.log.error({ err: error }, 'native api handler failed');
    return reply.status(500).send(errorBody(request, 'internal', 'Something went wrong on our side.'));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody(request, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)));

  await app.register(apiRoutes);
}
