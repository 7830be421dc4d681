import type { FastifyInstance } from 'fastify';
import { wecomConnections } from '../../../db/schema/index.js';
import { randomToken } from '../../../ids.js';
import type { ApiResponse } from '../../../test/api.js';
import { sealedPlace } from '../connection.js';
import {
  type CallbackConfig,
  type CallbackFields,
  callbackRequest,
  type DeliveryOptions,
  newEncodingAesKey,
  verifyRequest,
} from '../fake-wecom.test-support.js';

/** A corp's connection with callback secrets, as a test saves it (the save command is another module's). */
export type TestReceiver = CallbackConfig & { corpId: string; secret: string };

/**
 * Connects a Tagloom corp to a (fake) WeCom corp with a fresh token and EncodingAESKey, sealed
 * with the app's box as the connector stores them. Returns what WeCom signs callbacks with.
 */
export async function connectForCallbacks(app: FastifyInstance, corpId: string, opts: { apiBase?: string; wecomCorpid?: string; secret?: string } = {}) {
  const box = app.secretBox!;
  const cfg: TestReceiver = {
    corpId,
    corpid: opts.wecomCorpid ?? `ww${randomToken(14)}`,
    token: randomToken(24),
    encodingAesKey: newEncodingAesKey(),
    secret: opts.secret ?? randomToken(32),
  };
  await app.db.insert(wecomConnections).values({
    corpId,
    wecomCorpid: cfg.corpid,
    apiBase: opts.apiBase ?? 'http://127.0.0.1:9',
    secretSealed: box.seal(cfg.secret, sealedPlace.secret(corpId)),
    callbackTokenSealed: box.seal(cfg.token, sealedPlace.callbackToken(corpId)),
    aesKeySealed: box.seal(cfg.encodingAesKey, sealedPlace.aesKey(corpId)),
  });
  return cfg;
}

/** POSTs a callback as WeCom would (the fake's own request builder), through `inject`. */
export async function postCallback(app: FastifyInstance, receiver: TestReceiver, fields: CallbackFields, opts: DeliveryOptions = {}): Promise<ApiResponse> {
  const req = callbackRequest(fields, { ...receiver, ...opts });
  return postRaw(app, receiver.corpId, new URLSearchParams(req.query).toString(), req.body);
}

/** POSTs any body and query to a corp's callback URL. */
export async function postRaw(app: FastifyInstance, corpId: string, query: string, body: string, contentType = 'text/xml'): Promise<ApiResponse> {
  const res = await app.inject({ method: 'POST', url: `/hooks/wecom/${corpId}?${query}`, headers: { 'content-type': contentType }, payload: body });
  return { status: res.statusCode, body: res.body ? tryJson(res.body) : res.body, headers: res.headers };
}

/** WeCom's URL verification GET, through `inject`; answers the response and the plaintext expected. */
export async function verifyUrl(app: FastifyInstance, receiver: TestReceiver, opts: DeliveryOptions & { echostr?: string } = {}) {
  const req = verifyRequest({ ...receiver, ...opts });
  const res = await app.inject({ method: 'GET', url: `/hooks/wecom/${receiver.corpId}?${new URLSearchParams(req.query).toString()}` });
  return { status: res.statusCode, text: res.body, headers: res.headers, echostr: req.echostr };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
