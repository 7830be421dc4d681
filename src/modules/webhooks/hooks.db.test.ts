import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { customerEvents, events, webhookDeliveries } from '../../db/schema/index.js';
import { apiClient, buildApiScene, corpState, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { hookBodyLimit } from './hooks.plugin.js';
import { createSource, type DeliveryOptions, deliver, orderMapping, orderPayload } from './test-support.js';

describeDb('POST /hooks/:sourceId', (db) => {
  const app = useTestApp(db, { runJobs: false });

  const deliveriesOf = (sourceId: string) =>
    db().db.select().from(webhookDeliveries).where(eq(webhookDeliveries.sourceId, sourceId)).orderBy(webhookDeliveries.id);

  it('a signed delivery records the behaviour fact and the webhook.received event, and answers 202', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key);
    const res = await deliver(app, sourceId, { secret, payload: orderPayload(s.customer), deliveryId: 'crm-evt-1' });
    expect(res).toMatchObject({ status: 202, body: { accepted: true, deliveryId: 'crm-evt-1', factType: 'webhook.order.paid' } });

    const facts = await db().db.select().from(customerEvents).where(eq(customerEvents.corpId, s.corpId));
    expect(facts).toMatchObject([{ externalUserid: s.customer, type: 'webhook.order.paid', target: 'S1', dedupKey: `webhook:${sourceId}:crm-evt-1` }]);
    const [received] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'webhook.received')));
    expect(received).toMatchObject({ actor: `system:webhook:${sourceId}`, subjectType: 'webhook_source', subjectId: sourceId });
    expect(received!.payload).toEqual({
      sourceId,
      deliveryId: 'crm-evt-1',
      eventType: 'order.paid',
      factType: 'webhook.order.paid',
      externalUserid: s.customer,
      target: 'S1',
      fields: { product: '智能手表', amount: 1299, order_id: 'o-1' },
    });
    expect(await deliveriesOf(sourceId)).toMatchObject([
      { deliveryId: 'crm-evt-1', outcome: 'accepted', status: 202, eventType: 'order.paid', externalUserid: s.customer },
    ]);

    // The audience language counts the fact at once.
    const count = await apiClient(app, s.key).post('/audiences/count', { expression: { event: { type: 'webhook.order.paid', target: 'S1' } } });
    expect(count.body.count).toBe(1);
  });

  /** Sends a delivery that must be refused with `status` and `code`, leaving the corp as it was but for one refused log line. */
  async function expectRefusedDelivery(s: { corpId: string }, sourceId: string, opts: DeliveryOptions, status: number, code: string) {
    const before = await corpState(db().db, s.corpId);
    const logged = (await deliveriesOf(sourceId)).length;
    const res = await deliver(app, sourceId, opts);
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(res.body.error.requestId).toEqual(expect.any(String));
    expect(await corpState(db().db, s.corpId)).toEqual(before);
    const log = await deliveriesOf(sourceId);
    expect(log.length).toBe(logged + 1);
    expect(log[log.length - 1]).toMatchObject({ outcome: 'refused', status, code, reason: expect.any(String) });
    return { res, line: log[log.length - 1]! };
  }

  it('refuses bad signatures, stale or future timestamps, missing headers, non-JSON and mapping failures, each logged with its reason', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key);
    const good = { secret, payload: orderPayload(s.customer) };
    const now = Math.floor(Date.now() / 1000);

    await expectRefusedDelivery(s, sourceId, { ...good, secret: 'whsec_guessed' }, 401, 'signature_invalid');
    await expectRefusedDelivery(s, sourceId, { ...good, headers: { 'x-tagloom-signature': 'sha256=00' } }, 401, 'signature_invalid');
    const stale = await expectRefusedDelivery(s, sourceId, { ...good, timestamp: now - 301 }, 401, 'timestamp_out_of_range');
    expect(stale.line.reason).toContain('old');
    const future = await expectRefusedDelivery(s, sourceId, { ...good, timestamp: now + 400 }, 401, 'timestamp_out_of_range');
    expect(future.line.reason).toContain('in the future');
    for (const header of ['x-tagloom-timestamp', 'x-tagloom-delivery', 'x-tagloom-signature']) {
      const missing = await expectRefusedDelivery(s, sourceId, { ...good, headers: { [header]: undefined } }, 401, 'signature_missing');
      expect(missing.line.reason).toContain(header);
    }
    await expectRefusedDelivery(
      s,
      sourceId,
      { secret, raw: 'customer=wm1&order=2', contentType: 'application/x-www-form-urlencoded' },
      400,
      'validation_failed',
    );
    await expectRefusedDelivery(s, sourceId, { secret, raw: '{"customer": ' }, 400, 'validation_failed');
    await expectRefusedDelivery(s, sourceId, { secret, raw: '' }, 400, 'validation_failed');
    await expectRefusedDelivery(s, sourceId, { secret, raw: '{"customer":{"external_userid":"a\\u0000b"}}' }, 400, 'validation_failed');
    const unmapped = await expectRefusedDelivery(s, sourceId, { secret, payload: { order: { id: 1 } }, deliveryId: 'no-customer' }, 400, 'mapping_failed');
    expect(unmapped.res.body.error.details).toEqual([
      { path: '$.customer.external_userid', code: 'mapping_missing', message: 'customer: nothing at this path' },
    ]);
    expect(unmapped.line).toMatchObject({ deliveryId: 'no-customer', reason: expect.stringContaining('$.customer.external_userid') });
    await expectRefusedDelivery(s, sourceId, { secret, payload: [1, 2, 3] }, 400, 'mapping_failed');

    const listed = await apiClient(app, s.key).get(`/webhook-sources/${sourceId}/deliveries?outcome=refused`);
    expect(listed.body.deliveries.length).toBe(13);
    expect(listed.body.deliveries.every((d: { outcome: string; reason: string }) => d.outcome === 'refused' && d.reason.length > 0)).toBe(true);
  });

  it('an unknown customer is refused with 422 and recorded nowhere but the log', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key);
    const { line } = await expectRefusedDelivery(s, sourceId, { secret, payload: orderPayload('wmNOBODY'), deliveryId: 'ghost-1' }, 422, 'unmapped_customer');
    expect(line).toMatchObject({ deliveryId: 'ghost-1', externalUserid: 'wmNOBODY', eventType: 'order.paid' });
    // A refused id is not spent: the sender may retry it once the customer exists.
    expect(
      (
        await db()
          .db.select()
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.sourceId, sourceId), eq(webhookDeliveries.outcome, 'accepted')))
      ).length,
    ).toBe(0);
  });

  it('a replayed delivery id is refused with 409 and recorded once; a different id is accepted', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key);
    const payload = orderPayload(s.customer);
    expect((await deliver(app, sourceId, { secret, payload, deliveryId: 'same' })).status).toBe(202);
    await expectRefusedDelivery(s, sourceId, { secret, payload, deliveryId: 'same' }, 409, 'delivery_replayed');
    // Re-signed with a fresh timestamp, still the same id: still a replay.
    await expectRefusedDelivery(s, sourceId, { secret, payload, deliveryId: 'same', timestamp: Math.floor(Date.now() / 1000) + 5 }, 409, 'delivery_replayed');
    expect((await deliver(app, sourceId, { secret, payload, deliveryId: 'other' })).status).toBe(202);
    expect((await db().db.select().from(customerEvents).where(eq(customerEvents.corpId, s.corpId))).length).toBe(2);
  });

  it('refuses an oversized body unread (413, logged), and answers 404 for unknown or other corps’ sources without logging', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key);
    const big = JSON.stringify({ ...orderPayload(s.customer), pad: 'x'.repeat(hookBodyLimit) });
    await expectRefusedDelivery(s, sourceId, { secret, raw: big }, 413, 'payload_too_large');

    const other = await buildApiScene(db().db);
    const theirs = await createSource(app, other.key);
    // Corp A's customer, signed with corp B's secret, at B's source: B has no such customer, and A is untouched.
    const beforeA = await corpState(db().db, s.corpId);
    expect((await deliver(app, theirs.sourceId, { secret: theirs.secret, payload: orderPayload(s.customer) })).body.error.code).toBe('unmapped_customer');
    expect(await corpState(db().db, s.corpId)).toEqual(beforeA);
    // Signed with A's secret at B's source: refused as a bad signature.
    expect((await deliver(app, theirs.sourceId, { secret, payload: orderPayload(other.customer) })).status).toBe(401);

    for (const id of ['whNOSUCHSOURCE', 'x'.repeat(64)]) {
      const res = await deliver(app, id, { secret, payload: orderPayload(s.customer) });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    }
    const tooLong = await deliver(app, 'x'.repeat(65), { secret, payload: {} });
    expect(tooLong.body.error.code).toBe('validation_failed');
  });

  it('a paused source refuses deliveries (403, logged); a rotated secret stops the old one at once', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key);
    const api = apiClient(app, s.key);
    expect((await api.patch(`/webhook-sources/${sourceId}`, { enabled: false })).status).toBe(200);
    await expectRefusedDelivery(s, sourceId, { secret, payload: orderPayload(s.customer) }, 403, 'forbidden');
    expect((await api.patch(`/webhook-sources/${sourceId}`, { enabled: true })).status).toBe(200);

    const rotated = await api.post(`/webhook-sources/${sourceId}/rotate`);
    expect(rotated.body.secret).not.toBe(secret);
    await expectRefusedDelivery(s, sourceId, { secret, payload: orderPayload(s.customer) }, 401, 'signature_invalid');
    expect((await deliver(app, sourceId, { secret: rotated.body.secret, payload: orderPayload(s.customer) })).status).toBe(202);
  });

  it('reads the event type from the payload when the mapping says so, and refuses one the audience language cannot name', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key, { mapping: { ...orderMapping, eventType: { path: '$.type' } } });
    const ok = await deliver(app, sourceId, { secret, payload: { ...orderPayload(s.customer), type: 'order.refunded' } });
    expect(ok.body.factType).toBe('webhook.order.refunded');
    await expectRefusedDelivery(s, sourceId, { secret, payload: { ...orderPayload(s.customer), type: 'Order Refunded!' } }, 400, 'mapping_failed');
  });
});

describeDb('the inbound hook in the OpenAPI document', (db) => {
  const app = useTestApp(db, { runJobs: false });

  it('documents the signing scheme, takes no credentials and is named receiveWebhook', async () => {
    const doc = (await app().inject({ url: '/docs/json' })).json();
    const op = doc.paths['/hooks/{sourceId}'].post;
    expect(op).toMatchObject({ operationId: 'receiveWebhook', security: [], tags: ['Webhooks'] });
    expect(op.description).toContain('X-Tagloom-Signature: sha256=<hex>');
    expect(doc.tags.find((t: { name: string }) => t.name === 'Webhooks').description).toContain('HMAC-SHA256');
  });
});
