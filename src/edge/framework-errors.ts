import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify's answer to a URL its router cannot read (a path segment whose percent-escapes are not
 * UTF-8, `/tags/%FF`, or one longer than the router takes), before any route or plugin has the
 * request: on `/cgi-bin`, whose paths have no parameters, no such path is known (404, empty body,
 * as WeCom answers); everywhere else the native API's 400 `validation_failed` at `params`.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  if (path === '/cgi-bin' || path.startsWith('/cgi-bin/')) {
    void reply.status(404).send('');
    return;
  }
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is longer than the server takes' : 'a path segment is not valid UTF-8 percent-encoding';
  void reply.status(400).send({
    error: {
      code: 'validation_failed',
      message: 'The request is not valid.',
      details: [{ path: 'params', code: 'invalid_text', message }],
      requestId: request.id,
    },
  });
}
