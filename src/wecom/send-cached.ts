import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../modules/tags/tag-version-cache.js';

/**
 * Sends a cached JSON listing as its prebuilt bytes: gzip to a client that accepts it (SDKs such
 * as axios do), plain otherwise, so neither form is compressed or encoded again per request.
 */
export function sendCachedJson(request: FastifyRequest, reply: FastifyReply, rendered: CachedBody): FastifyReply {
  reply.type('application/json; charset=utf-8');
  if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? ''))
    return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(rendered.gzipped);
  return reply.send(rendered.body);
}
