import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { apiClient } from '../../test/api.js';
import { signDelivery } from './signature.js';

/** The mapping the webhook tests use: a shop's `order.paid` event. */
export const orderMapping = {
  externalUserid: '$.customer.external_userid',
  eventType: { value: 'order.paid' },
  target: '$.order.sku',
  fields: { product: '$.order.product', amount: '$.order.amount', order_id: '$.order.id' },
};

/** A shop's payload for a customer. */
export const orderPayload = (externalUserid: string, id = 'o-1') => ({
  customer: { external_userid: externalUserid },
  order: { id, sku: 'S1', product: '智能手表', amount: 1299 },
});

/** Creates a source through the native API; answers its id and secret. */
export async function createSource(app: () => FastifyInstance, key: string, body: Record<string, unknown> = {}): Promise<{ sourceId: string; secret: string }> {
  const res = await apiClient(app, key).post('/webhook-sources', { name: '商城', mapping: orderMapping, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { sourceId: res.body.source.sourceId, secret: res.body.secret };
}

/** Options of one delivery: by default signed now, with a fresh id, over the JSON of `payload`. */
export type DeliveryOptions = {
  secret: string;
  payload?: unknown;
  raw?: string | Buffer;
  deliveryId?: string;
  timestamp?: number;
  headers?: Record<string, string | undefined>;
  contentType?: string;
};

let counter = 0;

/** Posts a delivery to `/hooks/:sourceId` the way a sender would, signed unless headers say otherwise. */
export async function deliver(app: () => FastifyInstance, sourceId: string, opts: DeliveryOptions) {
  const raw = opts.raw !== undefined ? Buffer.from(opts.raw) : Buffer.from(JSON.stringify(opts.payload ?? {}));
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/json',
    'x-tagloom-timestamp': timestamp,
    'x-tagloom-delivery': opts.deliveryId ?? `d-${Date.now()}-${(counter += 1)}`,
    'x-tagloom-signature': signDelivery(opts.secret, timestamp, raw),
  };
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const res = await app().inject({ method: 'POST', url: `/hooks/${sourceId}`, headers, payload: raw });
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json(), deliveryId: headers['x-tagloom-delivery'] };
}
