import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';

// The request context lives apart from the plugin that sets it, so routes can read it without
// importing the plugin that registers them (which would tie every route into an import circle).

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

/** The context a WeCom route acts in; the hook of wecomPlugin has set it before any handler runs. */
export function wecomCtx(request: FastifyRequest): Ctx {
  if (!request.wecomCtx) throw new Error('wecomCtx is missing: did the route forget `config.wecomPublic`?');
  return request.wecomCtx;
}
