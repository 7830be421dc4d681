import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ErrorEnvelope } from '../../../contracts/errors.js';
import { WebhookAccepted, WebhookPayload, WebhookSourceIdParams } from '../../../contracts/webhooks.js';
import { type Ctx, withTx } from '../../context.js';
import { isConnectionLost } from '../../db/health.js';
import { decodeUtf8Marked, inputProblems } from '../../edge/input-checks.js';
import { AppError, type ErrorDetail, errorCodes } from '../../errors.js';
import { forbidden } from '../../policies/index.js';
import { receiveWebhook } from './commands/receive-webhook.js';
import { logRefusedDelivery, type RefusedDelivery } from './log-refused-delivery.js';
import { applyMapping, type MappedDelivery } from './mapping/mapping.js';
import { signingSchemeDescription, webhooksTag } from './openapi.js';
import { verifyDelivery } from './signature.js';
import { findSourceForDelivery } from './webhooks.queries.js';
import type { WebhookSourceRow } from './webhooks.repo.js';

/** The largest delivery body taken; CRM events are small, and a larger body is refused unread (413). */
export const hookBodyLimit = 256 * 1024;

function errorBody(request: FastifyRequest, code: string, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details && details.length > 0 ? { details } : {}), requestId: request.id } };
}

/** Logs a refusal, then throws the error the sender is answered with. */
async function refuse(
  app: FastifyInstance,
  source: WebhookSourceRow,
  error: AppError,
  known: Omit<RefusedDelivery, 'status' | 'code' | 'reason'> = {},
): Promise<never> {
  const reason = [error.message, ...(error.details ?? []).map((d) => `${d.path ?? ''}: ${d.message}`)].join(' ');
  await logRefusedDelivery(app.db, source, { ...known, status: error.status, code: error.code, reason });
  throw error;
}

/** Parses a verified body as JSON text that can be stored, or throws `validation_failed` at `body`. */
function parsePayload(raw: Buffer): unknown {
  let payload: unknown;
  try {
    payload = JSON.parse(decodeUtf8Marked(raw));
  } catch {
    throw new AppError('validation_failed', { message: 'The body is not JSON.', details: [{ path: 'body', code: 'invalid_json', message: 'not JSON' }] });
  }
  const problems = inputProblems('body', payload);
  if (problems.length > 0) throw new AppError('validation_failed', { message: errorCodes.validation_failed.message, details: problems });
  return payload;
}

/**
 * The inbound side of webhooks, `POST /hooks/:sourceId`: verifies the signature over the raw body
 * bytes (so the body is kept as bytes here, not parsed as JSON by Fastify), refuses stale or
 * replayed deliveries, maps the payload and records it. Errors answer the native API's coded
 * envelope; every delivery to an existing source is logged with its outcome.
 */
export const hooksPlugin: FastifyPluginAsyncZod = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) =>
    done(null, body),
  );

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return reply.status(error.status).send(errorBody(request, error.code, error.message, error.details));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext === 'params' ? 'params.sourceId' : (error.validationContext ?? 'request');
      const details = error.validation.map((v) => ({ path: part, message: String(v.message ?? 'invalid') }));
      return reply.status(400).send(errorBody(request, 'validation_failed', errorCodes.validation_failed.message, details));
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) {
      const message = `The request body is larger than ${hookBodyLimit} bytes.`;
      const sourceId = (request.params as { sourceId?: unknown } | undefined)?.sourceId;
      const source = typeof sourceId === 'string' && sourceId.length <= 64 ? await findSourceForDelivery(app.db, sourceId).catch(() => undefined) : undefined;
      if (source)
        await logRefusedDelivery(app.db, source, { status: 413, code: 'payload_too_large', reason: message }).catch((e: unknown) =>
          request.log.error({ err: e }, 'logging a refused webhook failed'),
        );
      return reply.status(413).send(errorBody(request, 'payload_too_large', message));
    }
    if (status < 500) return reply.status(status).send(errorBody(request, 'validation_failed', error.message));
    if (isConnectionLost(error))
      return reply
        .status(503)
        .header('retry-after', '1')
        .send(errorBody(request, 'unavailable', errorCodes.unavailable.message));
    request.log.error({ err: error }, 'webhook handler failed');
    return reply.status(500).send(errorBody(request, 'internal', errorCodes.internal.message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(request, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );

  app.post(
    '/:sourceId',
    {
      bodyLimit: hookBodyLimit,
      schema: {
        tags: [webhooksTag],
        summary: 'Receive a signed webhook delivery',
        description: signingSchemeDescription,
        security: [],
        params: WebhookSourceIdParams,
        body: WebhookPayload,
        response: {
          202: WebhookAccepted,
          400: ErrorEnvelope,
          401: ErrorEnvelope,
          403: ErrorEnvelope,
          404: ErrorEnvelope,
          409: ErrorEnvelope,
          413: ErrorEnvelope,
          422: ErrorEnvelope,
        },
      },
    },
    async (request, reply) => {
      const receivedAt = new Date();
      const source = await findSourceForDelivery(app.db, request.params.sourceId);
      // Another corp's source and no source at all read the same: the URL names no corp to reveal.
      if (!source) throw new AppError('not_found', { message: 'No such webhook source.', details: [{ path: 'params.sourceId', message: 'unknown' }] });
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verified = verifyDelivery(source.secret, request.headers, raw, receivedAt);
      if ('code' in verified) return refuse(app, source, new AppError(verified.code, { message: verified.reason }));
      const { deliveryId } = verified;
      if (!source.enabled) return refuse(app, source, forbidden('This webhook source is paused.'), { deliveryId });
      let payload: unknown;
      try {
        payload = parsePayload(raw);
      } catch (error) {
        return refuse(app, source, error as AppError, { deliveryId });
      }
      const result = applyMapping(source.mapping, payload);
      if ('problems' in result) return refuse(app, source, new AppError('mapping_failed', { details: result.problems }), { deliveryId });
      const mapped: MappedDelivery = result.mapped;
      const ctx: Ctx = {
        corpId: source.corpId,
        actor: { kind: 'system', name: `webhook:${source.sourceId}` },
        source: 'api',
        requestId: request.id,
        db: app.db,
      };
      try {
        await withTx(ctx, (tx) => receiveWebhook(tx, { source, deliveryId, mapped, receivedAt }));
      } catch (error) {
        if (error instanceof AppError) return refuse(app, source, error, { deliveryId, eventType: mapped.eventType, externalUserid: mapped.externalUserid });
        throw error;
      }
      return reply.code(202).send({ accepted: true as const, deliveryId, factType: mapped.factType });
    },
  );
};
