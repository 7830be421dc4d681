import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorEnvelope } from '../../../../contracts/errors.js';
import { isConnectionLost } from '../../../db/health.js';
import { requestInputProblems } from '../../../edge/input-guard.js';
import { markedJsonParser } from '../../../edge/json-body.js';
import { AppError, type ErrorCode, errorCodes } from '../../../errors.js';
import { type ConnectionRow, callbackSecrets, findConnection } from '../connection.js';
import { applyCallback } from './apply-callback.js';
import { CallbackDecryptError, callbackToleranceSeconds, decryptCallback, signatureMatches } from './callback-crypto.js';
import { CallbackXmlError, callbackBodyLimit, parseCallbackXml } from './callback-xml.js';
import { insertCallbackRow, logRefusedCallback } from './callbacks.repo.js';

const tags = ['WeCom callbacks'];

/** `:corpId` of a callback URL: the Tagloom corp whose connection receives it. */
const CallbackParams = z.object({ corpId: z.string().meta({ description: "The Tagloom corp id (the connection's, not WeCom's corpid)." }) });
const SignedQuery = z.object({ msg_signature: z.string().optional(), timestamp: z.string().optional(), nonce: z.string().optional() });
const VerifyQuery = SignedQuery.extend({ echostr: z.string().optional() });
const CallbackBody = z.string().meta({ description: 'The XML envelope `<xml><ToUserName/><AgentID/><Encrypt/></xml>`, at most 64 KiB.' });
const CallbackAck = z.string().meta({ description: 'Empty: WeCom wants a prompt answer and reads nothing from it.' });

function errorBody(request: FastifyRequest, code: string, message: string, details?: { path?: string; message: string }[]) {
  return { error: { code, message, ...(details && details.length > 0 ? { details } : {}), requestId: request.id } };
}

/** A connected corp that has callback secrets, with them opened; null for anyone else (answered 404). */
async function loadReceiver(app: FastifyInstance, corpId: string): Promise<{ connection: ConnectionRow; token: string; aesKey: string } | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(corpId) || !app.secretBox) return null;
  const connection = await findConnection(app.db, corpId);
  const secrets = connection && callbackSecrets(app.secretBox, connection);
  return connection && secrets ? { connection, ...secrets } : null;
}

type Refusal = { code: ErrorCode; reason: string; details?: { path?: string; message: string }[] };
const refusal = (code: ErrorCode, reason: string, details?: Refusal['details']): Refusal => ({ code, reason, details });

/** The checks both verbs share, in order: query complete, timestamp fresh, signature ours. */
function checkSigned(token: string, query: z.infer<typeof SignedQuery>, encrypted: string): Refusal | null {
  const missing = (['msg_signature', 'timestamp', 'nonce'] as const).filter((k) => !query[k]);
  if (missing.length > 0)
    return refusal(
      'callback_malformed',
      `query lacks ${missing.join(', ')}`,
      missing.map((k) => ({ path: `query.${k}`, message: 'required' })),
    );
  if (!/^\d{1,12}$/.test(query.timestamp!))
    return refusal('callback_malformed', 'timestamp is not unix seconds', [{ path: 'query.timestamp', message: 'unix seconds' }]);
  const skew = Number(query.timestamp) - Math.floor(Date.now() / 1000);
  if (Math.abs(skew) > callbackToleranceSeconds) return refusal('callback_timestamp_stale', `timestamp ${Math.abs(skew)} s ${skew < 0 ? 'old' : 'ahead'}`);
  if (!signatureMatches(token, query.timestamp!, query.nonce!, encrypted, query.msg_signature!))
    return refusal('callback_signature_invalid', 'msg_signature does not match');
  return null;
}

/**
 * WeCom's encrypted callbacks (wecom-api.md §6.2–6.3) at `/hooks/wecom/:corpId`: `GET` answers
 * URL verification with the decrypted echostr, `POST` verifies, decrypts and applies a change
 * event once. A corp without callback secrets is 404 to everyone. Every refusal is logged (warn:
 * corp, reason, IP; never the body) and kept in the corp's callback log; it changes nothing else.
 */
export const wecomCallbacksPlugin: FastifyPluginAsyncZod = async (app) => {
  app.removeAllContentTypeParsers();
  // WeCom posts `text/xml`; any type is read as text (the signature, not the header, vouches for it).
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: callbackBodyLimit }, (_request, body, done) => done(null, body));
  // JSON is never a callback; it is parsed as the native API parses it, so bad text in it is refused
  // at its path (and anything but a string fails the body's schema).
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: callbackBodyLimit }, markedJsonParser(app));

  /** Logs and keeps a refusal, then answers it with the native API's coded envelope. */
  async function refuse(request: FastifyRequest, reply: FastifyReply, corpId: string, stored: boolean, r: Refusal) {
    request.log.warn({ corpId, reason: r.code, detail: r.reason, ip: request.ip }, 'wecom callback refused');
    if (stored) await logRefusedCallback(app.db, { corpId, reason: `${r.code}: ${r.reason}` });
    const spec = errorCodes[r.code];
    return reply.status(spec.status).send(errorBody(request, r.code, spec.message, r.details));
  }
  const unknownCorp = (request: FastifyRequest, reply: FastifyReply, corpId: string) => {
    request.log.warn({ corpId: corpId.slice(0, 64), reason: 'not_found', ip: request.ip }, 'wecom callback refused');
    return reply.status(404).send(errorBody(request, 'not_found', 'No callback receiver here.'));
  };

  // Text no handler may see (NUL, invalid UTF-8, lone surrogates) is refused at its path first, as
  // on every other surface, before the corp is even looked up.
  app.addHook('preValidation', async (request) => {
    const problems = requestInputProblems(request);
    if (problems.length > 0) throw new AppError('validation_failed', { message: errorCodes.validation_failed.message, details: problems });
  });

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return reply.status(error.status).send(errorBody(request, error.code, error.message, error.details));
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 413) {
      const corpId = String((request.params as { corpId?: unknown } | undefined)?.corpId ?? '');
      const receiver = await loadReceiver(app, corpId).catch(() => null);
      request.log.warn({ corpId: corpId.slice(0, 64), reason: 'payload_too_large', ip: request.ip }, 'wecom callback refused');
      if (receiver)
        await logRefusedCallback(app.db, { corpId, reason: `payload_too_large: over ${callbackBodyLimit} bytes` }).catch((e: unknown) =>
          request.log.error({ err: e }, 'logging a refused callback failed'),
        );
      return reply.status(413).send(errorBody(request, 'payload_too_large', `The callback body is larger than ${callbackBodyLimit} bytes.`));
    }
    if (status < 500) return reply.status(status).send(errorBody(request, 'callback_malformed', errorCodes.callback_malformed.message));
    if (isConnectionLost(error))
      return reply
        .status(503)
        .header('retry-after', '1')
        .send(errorBody(request, 'unavailable', errorCodes.unavailable.message));
    request.log.error({ err: error }, 'wecom callback failed');
    return reply.status(500).send(errorBody(request, 'internal', errorCodes.internal.message));
  });

  app.get(
    '/:corpId',
    {
      schema: {
        tags,
        summary: 'WeCom callback URL verification',
        description: 'WeCom calls this when the callback URL is saved in its admin: the decrypted `echostr` is answered as plain text.',
        security: [],
        params: CallbackParams,
        querystring: VerifyQuery,
        response: {
          200: z.string().meta({ description: 'The decrypted echostr, as plain text.' }),
          400: ErrorEnvelope,
          401: ErrorEnvelope,
          404: ErrorEnvelope,
        },
      },
    },
    async (request, reply) => {
      const { corpId } = request.params;
      const receiver = await loadReceiver(app, corpId);
      if (!receiver) return unknownCorp(request, reply, corpId);
      const echostr = request.query.echostr ?? '';
      const bad = checkSigned(receiver.token, request.query, echostr) ?? (echostr ? null : refusal('callback_malformed', 'query lacks echostr'));
      if (bad) return refuse(request, reply, corpId, true, bad);
      let plain: string;
      try {
        plain = decryptCallback(receiver.aesKey, echostr, receiver.connection.wecomCorpid);
      } catch (error) {
        if (!(error instanceof CallbackDecryptError)) throw error;
        return refuse(request, reply, corpId, true, refusal('callback_malformed', `echostr: ${error.message}`));
      }
      await insertCallbackRow(app.db, { corpId, outcome: 'applied', event: 'verify_url', reason: 'URL verified' });
      return reply.status(200).type('text/plain; charset=utf-8').send(plain);
    },
  );

  app.post(
    '/:corpId',
    {
      bodyLimit: callbackBodyLimit,
      schema: {
        tags,
        summary: 'Receive an encrypted WeCom change event',
        description:
          'WeCom posts `<xml><ToUserName/><AgentID/><Encrypt/></xml>` signed with the callback token. Applied once (a retry answers 200 and changes nothing); 500 asks WeCom to retry when reading WeCom failed.',
        security: [],
        params: CallbackParams,
        querystring: SignedQuery,
        body: CallbackBody,
        response: { 200: CallbackAck, 400: ErrorEnvelope, 401: ErrorEnvelope, 404: ErrorEnvelope, 413: ErrorEnvelope, 500: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const { corpId } = request.params;
      const receiver = await loadReceiver(app, corpId);
      if (!receiver) return unknownCorp(request, reply, corpId);
      const text = typeof request.body === 'string' ? request.body : '';
      let encrypted = '';
      let envelopeProblem: string | null = null;
      try {
        encrypted = parseCallbackXml(text).Encrypt ?? '';
        if (!encrypted) envelopeProblem = 'no <Encrypt> in the body';
      } catch (error) {
        if (!(error instanceof CallbackXmlError)) throw error;
        envelopeProblem = error.message;
      }
      // The signature covers <Encrypt>, so a body without one fails the query checks first, then is malformed.
      const bad = checkSigned(receiver.token, request.query, encrypted) ?? (envelopeProblem ? refusal('callback_malformed', envelopeProblem) : null);
      if (bad)
        return refuse(
          request,
          reply,
          corpId,
          true,
          envelopeProblem && bad.code === 'callback_signature_invalid' ? refusal('callback_malformed', envelopeProblem) : bad,
        );
      let message: string;
      let fields: Record<string, string>;
      try {
        message = decryptCallback(receiver.aesKey, encrypted, receiver.connection.wecomCorpid);
        fields = parseCallbackXml(message);
      } catch (error) {
        if (!(error instanceof CallbackDecryptError || error instanceof CallbackXmlError)) throw error;
        return refuse(request, reply, corpId, true, refusal('callback_malformed', error.message));
      }
      const result = await applyCallback({ db: app.db, box: app.secretBox, connection: receiver.connection }, message, fields);
      if (result.outcome === 'failed')
        request.log.warn({ corpId, event: fields.Event, changeType: fields.ChangeType, reason: result.reason }, 'wecom callback not applied');
      if (result.status === 500) return reply.status(500).send(errorBody(request, 'wecom_upstream_failed', errorCodes.wecom_upstream_failed.message));
      return reply.status(200).type('text/plain; charset=utf-8').send('');
    },
  );
};
