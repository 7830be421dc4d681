import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeUtf8Marked } from './input-checks.js';

type Done = (error: Error | null, body?: unknown) => void;

/**
 * A JSON body parser that reads the raw bytes: invalid UTF-8 is marked (see `decodeUtf8Marked`)
 * rather than silently turned into U+FFFD, so the input guard refuses it with the field's path.
 * Parsing itself is Fastify's own (empty bodies, `__proto__` poisoning refused as before).
 */
export function markedJsonParser(app: FastifyInstance): (request: FastifyRequest, body: Buffer, done: Done) => void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => parseJson(request, decodeUtf8Marked(body), done);
}

/** A body parser that keeps the raw text (marked where it is not UTF-8) for a handler that parses it itself. */
export function markedTextParser(_request: FastifyRequest, body: Buffer, done: Done): void {
  done(null, decodeUtf8Marked(body));
}
