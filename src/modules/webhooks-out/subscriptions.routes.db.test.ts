import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { events, webhookSubscriptions } from '../../db/schema/index.js';
import { apiClient, buildApiScene, detailPaths, expectRefused, fingerprint, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { givePassword, loginCookie, sessionClient } from '../../test/session.js';
import { maxSubscriptionsPerCorp } from './commands/create-subscription.js';

// A public address literal: saving needs no DNS, and nothing is sent (the sender is off in tests).
const publicUrl = 'http://93.184.215.14/hooks/tagloom';

describeDb('webhook subscription routes (private addresses refused, the default)', (db) => {
  const app = useTestApp(db, { runJobs: false });

  it('refuses every URL that is not public http(s) with webhook_url_forbidden naming body.url, and changes nothing', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.0.0.8/hook',
      'http://172.20.1.1/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data/iam',
      'http://100.100.100.200/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://localhost:3000/hook',
      'ftp://93.184.215.14/hook',
      'http://user:pw@93.184.215.14/hook',
      'javascript:alert(1)',
    ]) {
      const res = await expectRefused(
        db().db,
        s.corpId,
        () => api.post('/webhook-subscriptions', { name: 'crm', url, eventTypes: ['*'] }),
        400,
        'webhook_url_forbidden',
      );
      expect(detailPaths(res), url).toEqual(['body.url']);
    }
    // Moving a saved subscription to such a URL is refused the same way.
    const created = await api.post('/webhook-subscriptions', { name: 'crm', url: publicUrl, eventTypes: ['*'] });
    expect(created.status).toBe(201);
    const id = created.body.subscription.subscriptionId;
    const moved = await expectRefused(
      db().db,
      s.corpId,
      () => api.patch(`/webhook-subscriptions/${id}`, { url: 'http://169.254.169.254/' }),
      400,
      'webhook_url_forbidden',
    );
    expect(moved.body.error.details[0].message).toMatch(/169.254.169.254 is a linkLocal address/);
  });

  it('refuses filters naming unknown types or patterns matching nothing, naming each entry', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const res = await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/webhook-subscriptions', { name: 'crm', url: publicUrl, eventTypes: ['tag.*', 'tag.create', 'tgs.*', 'follow.tags_changed', '**'] }),
      400,
      'validation_failed',
    );
    expect(detailPaths(res)).toEqual(['body.eventTypes.1', 'body.eventTypes.2', 'body.eventTypes.4']);
    expect(res.body.error.details[0].message).toContain('"tag.create"');
    const shapeless = await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/webhook-subscriptions', { name: 'x'.repeat(65), url: publicUrl, eventTypes: [], extra: 1 }),
      400,
      'validation_failed',
    );
    expect(detailPaths(shapeless)).toEqual(expect.arrayContaining(['body.name', 'body.eventTypes', 'body.extra']));
    await expectRefused(
      db().db,
      s.corpId,
      () => api.post('/webhook-subscriptions', { name: 'x', url: 'h'.repeat(3000), eventTypes: ['*'] }),
      400,
      'validation_failed',
    );
  });

  it('answers the secret once (create, rotate), never in lists, gets or events; needs corp.settings; 20 per corp', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const body = { name: 'CRM 同步', url: publicUrl, eventTypes: ['tag.*', 'follow.tags_changed'] };
    await expectRefused(db().db, s.corpId, () => apiClient(app, null).post('/webhook-subscriptions', body), 401, 'unauthorized');
    const staff = sessionClient(app, await loginCookie(app, s.corpId, s.staffA, await givePassword(db().db, s.corpId, s.staffA)));
    await expectRefused(db().db, s.corpId, () => staff.post('/webhook-subscriptions', body), 403, 'forbidden');
    await expectRefused(db().db, s.corpId, () => staff.get('/webhook-subscriptions'), 403, 'forbidden');

    const created = await api.post('/webhook-subscriptions', body);
    expect(created.status).toBe(201);
    const { subscription, secret } = created.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9]{40}$/);
    expect(subscription).toMatchObject({ name: 'CRM 同步', url: publicUrl, eventTypes: ['tag.*', 'follow.tags_changed'], enabled: true });
    const id = subscription.subscriptionId;
    const listed = await api.get('/webhook-subscriptions');
    expect(listed.body.subscriptions).toEqual([subscription]);
    const got = await api.get(`/webhook-subscriptions/${id}`);
    expect(got.body).toEqual(subscription);
    const rotated = await api.post(`/webhook-subscriptions/${id}/rotate`);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    const patched = await api.patch(`/webhook-subscriptions/${id}`, { name: '改名', enabled: false, eventTypes: ['*', '*'] });
    expect(patched.body).toMatchObject({ name: '改名', enabled: false, eventTypes: ['*'] });
    const ping = await api.post(`/webhook-subscriptions/${id}/ping`);
    expect(ping).toMatchObject({
      status: 202,
      body: { eventType: 'ping', status: 'pending', idempotencyKey: expect.stringMatching(new RegExp(`^${id}:\\d+$`)) },
    });
    const detail = await api.get(`/webhook-deliveries/${ping.body.deliveryId}`);
    const deliveries = await api.get(`/webhook-subscriptions/${id}/deliveries`);
    const audit = await api.get('/audit');
    const log = JSON.stringify(await db().db.select().from(events).where(eq(events.corpId, s.corpId)));
    for (const text of [
      JSON.stringify(listed.body),
      JSON.stringify(got.body),
      JSON.stringify(patched.body),
      JSON.stringify(detail.body),
      JSON.stringify(deliveries.body),
      JSON.stringify(audit.body),
      log,
    ]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(rotated.body.secret);
    }
    for (const type of ['webhook_subscription.created', 'webhook_subscription.secret_rotated', 'webhook_subscription.updated', 'webhook_subscription.pinged'])
      expect(log).toContain(type);

    for (let i = 1; i < maxSubscriptionsPerCorp; i++) expect((await api.post('/webhook-subscriptions', { ...body, name: `s${i}` })).status).toBe(201);
    const over = await expectRefused(db().db, s.corpId, () => api.post('/webhook-subscriptions', body), 422, 'limit_exceeded');
    expect(over.body.error.details[0].limit).toBe(20);
  });

  it('another corp’s subscriptions and deliveries read as unknown (404) and are left as they were; staff get 403', async () => {
    const s = await buildApiScene(db().db);
    const other = await buildApiScene(db().db);
    const theirs = (await apiClient(app, other.key).post('/webhook-subscriptions', { name: 'x', url: publicUrl, eventTypes: ['*'] })).body.subscription
      .subscriptionId;
    const theirPing = (await apiClient(app, other.key).post(`/webhook-subscriptions/${theirs}/ping`)).body.deliveryId;
    const mine = (await apiClient(app, s.key).post('/webhook-subscriptions', { name: 'x', url: publicUrl, eventTypes: ['*'] })).body.subscription
      .subscriptionId;
    const myPing = (await apiClient(app, s.key).post(`/webhook-subscriptions/${mine}/ping`)).body.deliveryId;
    const staff = sessionClient(app, await loginCookie(app, s.corpId, s.staffA, await givePassword(db().db, s.corpId, s.staffA)));
    const theirsBefore = await fingerprint(db().db, other.corpId);
    const theirRows = await db().db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.corpId, other.corpId));
    type Client = ReturnType<typeof apiClient>;
    const calls = (sub: string, delivery: string) => [
      (c: Client) => c.get(`/webhook-subscriptions/${sub}`),
      (c: Client) => c.patch(`/webhook-subscriptions/${sub}`, { name: '改' }),
      (c: Client) => c.post(`/webhook-subscriptions/${sub}/rotate`),
      (c: Client) => c.post(`/webhook-subscriptions/${sub}/ping`),
      (c: Client) => c.get(`/webhook-subscriptions/${sub}/deliveries`),
      (c: Client) => c.post(`/webhook-subscriptions/${sub}/replay-dead`),
      (c: Client) => c.get(`/webhook-deliveries/${delivery}`),
      (c: Client) => c.post(`/webhook-deliveries/${delivery}/replay`),
      (c: Client) => c.delete(`/webhook-subscriptions/${sub}`),
    ];
    for (const call of calls(theirs, theirPing)) await expectRefused(db().db, s.corpId, () => call(apiClient(app, s.key)), 404, 'not_found');
    for (const call of calls('wsNOSUCH', 'wdNOSUCH')) await expectRefused(db().db, s.corpId, () => call(apiClient(app, s.key)), 404, 'not_found');
    for (const call of calls(mine, myPing)) await expectRefused(db().db, s.corpId, () => call(staff as Client), 403, 'forbidden');
    expect(await fingerprint(db().db, other.corpId)).toEqual(theirsBefore);
    expect(await db().db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.corpId, other.corpId))).toEqual(theirRows);
    expect((await apiClient(app, s.key).get('/webhook-subscriptions')).body.subscriptions.map((x: { subscriptionId: string }) => x.subscriptionId)).toEqual([
      mine,
    ]);
    // A pending delivery cannot be replayed: it is on its way.
    await expectRefused(db().db, s.corpId, () => apiClient(app, s.key).post(`/webhook-deliveries/${myPing}/replay`), 409, 'conflict');
  });
});
