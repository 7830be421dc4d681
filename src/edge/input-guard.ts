import type { FastifyRequest } from 'fastify';
import type { ErrorDetail } from '../errors.js';
import { inputProblems, rawQueryProblems } from './input-checks.js';

/**
 * Everything in a request's URL and parsed parts that no handler may see (NUL, invalid UTF-8, lone
 * surrogates, nesting deeper than the limit), path by path. Both surfaces call it before their
 * handlers and answer in their own envelope: `/api/v1` a 400 `validation_failed` listing the
 * details, `/cgi-bin` errcode 40058 naming the first.
 */
export function requestInputProblems(request: FastifyRequest): ErrorDetail[] {
  return [...urlInputProblems(request), ...inputProblems('body', request.body)];
}

/** The URL's share of `requestInputProblems`: the raw query string, then the parsed path parameters and query. */
export function urlInputProblems(request: FastifyRequest): ErrorDetail[] {
  return [...rawQueryProblems(request.raw.url ?? request.url), ...inputProblems('params', request.params), ...inputProblems('query', request.query)];
}

/** Header values with NUL or lone surrogates (only a forged request carries them, but the acting-user header reaches the database). */
export function headerProblems(request: FastifyRequest): ErrorDetail[] {
  return inputProblems('headers', request.headers);
}
