import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events, webhookSources } from '../../db/schema/index.js';
import { apiClient, buildApiScene, corpState, detailPaths, expectRefused, fingerprint, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { givePassword, loginCookie, sessionClient } from '../../test/session.js';
import { createSource, deliver, orderMapping, orderPayload } from './test-support.js';

describeDb('webhook source routes', (db) => {
  const app = useTestApp(db, { runJobs: false });

  it('POST /webhook-sources: 401 → 400 naming every bad part of the mapping → 403 without rule.manage → 201 with the secret once', async () => {
    const s = await buildApiScene(db().db);
    const body = { name: '商城', mapping: orderMapping };
    await expectRefused(db().db, s.corpId, () => apiClient(app, null).post('/webhook-sources', body), 401, 'unauthorized');
    const bad = await expectRefused(
      db().db,
      s.corpId,
      () =>
        apiClient(app, s.key).post('/webhook-sources', {
          name: '商城',
          mapping: { externalUserid: 'customer.id', eventType: { value: 'Order-Paid' }, target: '$[', fields: { '9x': '$.a', amount: '$..b' } },
        }),
      400,
      'validation_failed',
    );
    expect(detailPaths(bad)).toEqual([
      'body.mapping.externalUserid',
      'body.mapping.eventType.value',
      'body.mapping.target',
      'body.mapping.fields.9x',
      'body.mapping.fields.amount',
    ]);
    const shapeless = await expectRefused(
      db().db,
      s.corpId,
      () => apiClient(app, s.key).post('/webhook-sources', { name: '', mapping: { eventType: 'order.paid', extra: 1 } }),
      400,
      'validation_failed',
    );
    expect(detailPaths(shapeless)).toEqual(
      expect.arrayContaining(['body.name', 'body.mapping.externalUserid', 'body.mapping.eventType', 'body.mapping.extra']),
    );
    await expectRefused(
      db().db,
      s.corpId,
      () => apiClient(app, s.key).post('/webhook-sources', { ...body, mapping: { ...orderMapping, eventType: { value: 'a'.repeat(65) } } }),
      400,
      'validation_failed',
    );
    const staff = sessionClient(app, await loginCookie(app, s.corpId, s.staffA, await givePassword(db().db, s.corpId, s.staffA)));
    await expectRefused(db().db, s.corpId, () => staff.post('/webhook-sources', body), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, () => staff.get('/webhook-sources'), 403, 'forbidden');

    const created = await apiClient(app, s.key).post('/webhook-sources', body);
    expect(created.status).toBe(201);
    const { source, secret } = created.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9]{40}$/);
    expect(source).toMatchObject({ name: '商城', url: `/hooks/${source.sourceId}`, mapping: orderMapping, enabled: true, rotatedAt: null });

    // The secret is never answered again, nor written to the audit log.
    const listed = await apiClient(app, s.key).get('/webhook-sources');
    expect(listed.body.sources.map((x: { sourceId: string }) => x.sourceId)).toEqual([source.sourceId]);
    const got = await apiClient(app, s.key).get(`/webhook-sources/${source.sourceId}`);
    expect(got.body).toEqual(source);
    const rotated = await apiClient(app, s.key).post(`/webhook-sources/${source.sourceId}/rotate`);
    expect(rotated.body.source.rotatedAt).toEqual(expect.any(String));
    await apiClient(app, s.key).patch(`/webhook-sources/${source.sourceId}`, { name: '新商城' });
    const audit = await apiClient(app, s.key).get('/audit');
    const log = JSON.stringify(await db().db.select().from(events).where(eq(events.corpId, s.corpId)));
    for (const text of [JSON.stringify(listed.body), JSON.stringify(got.body), JSON.stringify(audit.body), log]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(rotated.body.secret);
    }
    expect(log).toContain('webhook_source.secret_rotated');
  });

  it('PATCH, rotate, delete, test and deliveries: 404 for unknown and other corps’ sources, 403 without rule.manage, nothing changed', async () => {
    const s = await buildApiScene(db().db);
    const other = await buildApiScene(db().db);
    const theirs = await createSource(app, other.key);
    const mine = await createSource(app, s.key);
    const staff = sessionClient(app, await loginCookie(app, s.corpId, s.staffA, await givePassword(db().db, s.corpId, s.staffA)));
    const theirsBefore = await fingerprint(db().db, other.corpId);
    const calls = (id: string) => [
      (c: ReturnType<typeof apiClient>) => c.get(`/webhook-sources/${id}`),
      (c: ReturnType<typeof apiClient>) => c.patch(`/webhook-sources/${id}`, { name: '改' }),
      (c: ReturnType<typeof apiClient>) => c.post(`/webhook-sources/${id}/rotate`),
      (c: ReturnType<typeof apiClient>) => c.post(`/webhook-sources/${id}/test`, { payload: orderPayload(s.customer) }),
      (c: ReturnType<typeof apiClient>) => c.get(`/webhook-sources/${id}/deliveries`),
      (c: ReturnType<typeof apiClient>) => c.delete(`/webhook-sources/${id}`),
    ];
    for (const call of calls(theirs.sourceId)) await expectRefused(db().db, s.corpId, () => call(apiClient(app, s.key)), 404, 'not_found');
    for (const call of calls('whNOSUCH')) await expectRefused(db().db, s.corpId, () => call(apiClient(app, s.key)), 404, 'not_found');
    for (const call of calls(mine.sourceId)) await expectRefused(db().db, s.corpId, () => call(staff as ReturnType<typeof apiClient>), 403, 'forbidden');
    expect(await fingerprint(db().db, other.corpId)).toEqual(theirsBefore);
    expect((await deliver(app, theirs.sourceId, { secret: theirs.secret, payload: orderPayload(other.customer) })).status).toBe(202);

    const deleted = await apiClient(app, s.key).delete(`/webhook-sources/${mine.sourceId}`);
    expect(deleted).toMatchObject({ status: 200, body: { deliveriesDeleted: 0 } });
    expect((await deliver(app, mine.sourceId, { secret: mine.secret, payload: orderPayload(s.customer) })).status).toBe(404);
    expect(await db().db.select().from(webhookSources).where(eq(webhookSources.corpId, s.corpId))).toEqual([]);
  });

  it('POST /webhook-sources/:id/test shows what a payload would record, with the saved or a draft mapping, and records nothing', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId } = await createSource(app, s.key);
    const api = apiClient(app, s.key);
    const before = await corpState(db().db, s.corpId);
    const ok = await api.post(`/webhook-sources/${sourceId}/test`, { payload: orderPayload(s.customer) });
    expect(ok.body).toEqual({
      ok: true,
      problems: [],
      wouldRecord: {
        externalUserid: s.customer,
        customerExists: true,
        eventType: 'order.paid',
        factType: 'webhook.order.paid',
        target: 'S1',
        fields: { product: '智能手表', amount: 1299, order_id: 'o-1' },
      },
    });
    const ghost = await api.post(`/webhook-sources/${sourceId}/test`, { payload: orderPayload('wmNOBODY') });
    expect(ghost.body).toMatchObject({
      ok: false,
      problems: [{ path: 'body.payload.customer.external_userid', code: 'unmapped_customer' }],
      wouldRecord: { customerExists: false },
    });
    const missing = await api.post(`/webhook-sources/${sourceId}/test`, { payload: { order: {} } });
    expect(missing.body).toMatchObject({
      ok: false,
      problems: [{ path: 'body.payload.customer.external_userid', code: 'mapping_missing' }],
      wouldRecord: null,
    });
    const draft = await api.post(`/webhook-sources/${sourceId}/test`, {
      payload: { who: s.customer, kind: 'lead.created' },
      mapping: { externalUserid: '$.who', eventType: { path: '$.kind' } },
    });
    expect(draft.body).toMatchObject({ ok: true, wouldRecord: { factType: 'webhook.lead.created', fields: {} } });
    const badDraft = await api.post(`/webhook-sources/${sourceId}/test`, { payload: {}, mapping: { externalUserid: 'who', eventType: { value: 'x' } } });
    expect(badDraft.body).toMatchObject({ ok: false, problems: [{ path: 'body.mapping.externalUserid', code: 'invalid_path' }] });
    expect(await corpState(db().db, s.corpId)).toEqual(before);
    expect((await api.get(`/webhook-sources/${sourceId}/deliveries`)).body.deliveries).toEqual([]);
  });

  it('GET deliveries lists newest first, filters by outcome and pages by `before`', async () => {
    const s = await buildApiScene(db().db);
    const { sourceId, secret } = await createSource(app, s.key);
    for (const id of ['a', 'b', 'c'])
      expect((await deliver(app, sourceId, { secret, payload: orderPayload(s.customer, id), deliveryId: id })).status).toBe(202);
    await deliver(app, sourceId, { secret: 'wrong', payload: orderPayload(s.customer) });
    await deliver(app, sourceId, { secret, payload: orderPayload('wmNOBODY'), deliveryId: 'g' });
    const api = apiClient(app, s.key);
    const all = await api.get(`/webhook-sources/${sourceId}/deliveries`);
    expect(all.body.deliveries.map((d: { outcome: string; code: string | null }) => `${d.outcome}:${d.code}`)).toEqual([
      'refused:unmapped_customer',
      'refused:signature_invalid',
      'accepted:null',
      'accepted:null',
      'accepted:null',
    ]);
    const refused = await api.get(`/webhook-sources/${sourceId}/deliveries?outcome=refused`);
    expect(refused.body.deliveries.map((d: { reason: string }) => d.reason)).toEqual([expect.stringContaining('wmNOBODY'), 'the signature does not match']);
    const page1 = await api.get(`/webhook-sources/${sourceId}/deliveries?outcome=accepted&limit=2`);
    expect(page1.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId)).toEqual(['c', 'b']);
    expect(page1.body.deliveries[0].fields).toEqual({ product: '智能手表', amount: 1299, order_id: 'c' });
    const page2 = await api.get(`/webhook-sources/${sourceId}/deliveries?outcome=accepted&limit=2&before=${page1.body.nextBefore}`);
    expect(page2.body).toMatchObject({ deliveries: [{ deliveryId: 'a' }], nextBefore: null });
    await expectRefused(db().db, s.corpId, () => api.get(`/webhook-sources/${sourceId}/deliveries?outcome=failed&limit=0`), 400, 'validation_failed');
  });
});
