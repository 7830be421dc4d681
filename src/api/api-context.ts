import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';

// The request context lives apart from the plugin that sets it, so routes can read it without
// importing the plugin that registers them (which would tie every route into an import circle).

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the native API once the API key (and acting user, if any) or the session cookie checks out. */
    apiCtx?: Ctx;
    /** The SHA-256 of the console session token, when the request came with the session cookie. */
    apiSessionHash?: string;
  }
  interface FastifyContextConfig {
    /** True for `POST /auth/login`, the one native route that takes no credentials. */
    apiPublic?: boolean;
    /** True for the platform operator's routes: they take the platform key, not a corp's credentials. */
    platform?: boolean;
  }
}

/** The context a native route acts in; the auth hook of nativeApiPlugin has set it before any handler runs. */
export function apiCtx(request: FastifyRequest): Ctx {
  if (!request.apiCtx) throw new Error('apiCtx is missing: is this route registered inside nativeApiPlugin?');
  return request.apiCtx;
}
