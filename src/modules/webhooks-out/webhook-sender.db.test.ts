import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { events, webhookAttempts, webhookOutbox } from '../../db/schema/index.js';
import { apiClient, buildApiScene, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { verifyDelivery } from '../webhooks/signature.js';
import { refusedUrl, startReceiver } from './test-support.js';
import { WebhookSender } from './webhook-sender.js';

describeDb('outbound webhook deliveries to a local receiver', (db) => {
  // The sender's clock runs `skewMs` ahead of the real one: tests move it past each retry's due time instead of waiting.
  let skewMs = 0;
  const now = () => new Date(Date.now() + skewMs);
  const jumpTo = (at: Date) => {
    skewMs = Math.max(skewMs, at.getTime() - Date.now() + 1);
  };
  const jumpBy = (ms: number) => {
    skewMs += ms;
  };
  const app = useTestApp(db, { runJobs: false, allowPrivateWebhooks: true, webhooks: { run: false, now, timeoutMs: 10_000 } });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  const subscribe = async (key: string, body: Record<string, unknown>) => {
    const res = await apiClient(app, key).post('/webhook-subscriptions', { name: 'receiver', url: receiver.url(), eventTypes: ['*'], ...body });
    expect(res.status).toBe(201);
    return { id: res.body.subscription.subscriptionId as string, secret: res.body.secret as string };
  };
  const flush = async (corpId: string) => {
    await app().consumers.settle(corpId);
    return app().webhookSender.tick();
  };
  const outbox = (corpId: string, subscriptionId: string) =>
    db()
      .db.select()
      .from(webhookOutbox)
      .where(and(eq(webhookOutbox.corpId, corpId), eq(webhookOutbox.subscriptionId, subscriptionId)));

  it('signs each delivery (verifies with the secret, not another), sends only what the filter selects, once, WeCom-shaped for a mark change', async () => {
    receiver.setMode(200);
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const tagsSub = await subscribe(s.key, { url: receiver.url('/tags'), eventTypes: ['tag.*'] });
    const marksSub = await subscribe(s.key, { url: receiver.url('/marks'), eventTypes: ['follow.tags_changed'] });
    const group = await api.post('/tag-groups', { name: '意向', tags: [{ name: '热' }] });
    expect(group.status).toBeLessThan(300);
    expect((await api.post(`/customers/${s.customer}/follows/${s.staffA}/tags`, { add: [s.tags[0]!.tagId] })).status).toBeLessThan(300);
    const before = receiver.received.length;
    await flush(s.corpId);
    const got = receiver.received.slice(before);
    const toTags = got.filter((r) => r.path === '/tags');
    const toMarks = got.filter((r) => r.path === '/marks');
    expect(toTags.length).toBeGreaterThan(0);
    expect(toTags.every((r) => r.json.type.startsWith('tag.'))).toBe(true);
    expect(toTags.map((r) => r.json.type)).toContain('tag.created');
    expect(toMarks.map((r) => r.json.type)).toEqual(['follow.tags_changed']);

    for (const r of got) {
      const secret = r.path === '/tags' ? tagsSub.secret : marksSub.secret;
      expect(verifyDelivery(secret, r.headers, r.body, new Date())).toEqual({ deliveryId: r.json.id });
      expect(verifyDelivery(`${secret}x`, r.headers, r.body, new Date())).toMatchObject({ code: 'signature_invalid' });
      expect(r.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'Tagloom-Webhooks/1',
        'x-tagloom-event': r.json.type,
        'idempotency-key': r.json.id,
        'x-tagloom-delivery': r.json.id,
      });
    }
    const created = toTags.find((r) => r.json.type === 'tag.created')!;
    expect(created.json).toMatchObject({
      id: expect.stringMatching(new RegExp(`^${tagsSub.id}:\\d+$`)),
      corpId: s.corpId,
      source: 'api',
      subject: { type: 'tag' },
    });
    expect(created.json.data.wecom).toEqual({ Event: 'change_external_tag', ChangeType: 'create', Id: created.json.subject.id, TagType: 'tag' });
    const mark = toMarks[0]!.json;
    expect(mark.data.payload).toEqual({ userid: s.staffA, externalUserid: s.customer, added: [s.tags[0]!.tagId], removed: [] });
    expect(mark.data.wecom).toEqual({ Event: 'change_external_contact', ChangeType: 'edit_external_contact', UserID: s.staffA, ExternalUserID: s.customer });

    // Listed as delivered with its latency; nothing is sent twice.
    const listed = await api.get(`/webhook-subscriptions/${marksSub.id}/deliveries`);
    expect(listed.body.deliveries).toEqual([
      expect.objectContaining({
        eventType: 'follow.tags_changed',
        status: 'delivered',
        attempts: 1,
        lastStatus: 200,
        lastError: null,
        lastLatencyMs: expect.any(Number),
      }),
    ]);
    const again = receiver.received.length;
    await flush(s.corpId);
    expect(receiver.received.length).toBe(again);
  });

  it('retries a failing receiver with growing delays, dead after 10 attempts, listed, replayed → delivered with the same idempotency key', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const sub = await subscribe(s.key, { url: receiver.url('/flaky'), eventTypes: ['tag_group.created'] });
    receiver.setMode(500);
    await api.post('/tag-groups', { name: '失败组', tags: [{ name: 'a' }] });
    await app().consumers.settle(s.corpId);
    let delays: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      await app().webhookSender.tick();
      const [row] = await outbox(s.corpId, sub.id);
      expect(row).toMatchObject({ attempts: attempt, lastStatus: 500, lastError: 'HTTP 500' });
      if (attempt < 10) {
        expect(row!.status).toBe('pending');
        const [tried] = await db()
          .db.select()
          .from(webhookAttempts)
          .where(and(eq(webhookAttempts.corpId, s.corpId), eq(webhookAttempts.deliveryId, row!.deliveryId), eq(webhookAttempts.attempt, attempt)));
        const delay = row!.nextAttemptAt.getTime() - tried!.at.getTime();
        const step = 1000 * 2 ** (attempt - 1);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
        delays = [...delays, delay];
        // Not due before its time: a tick now sends nothing.
        const sent = receiver.received.length;
        await app().webhookSender.tick();
        expect(receiver.received.length).toBe(sent);
        jumpTo(row!.nextAttemptAt);
      } else expect(row!.status).toBe('dead');
    }
    expect(delays.at(-1)!).toBeGreaterThan(delays[0]! * 100);
    const flaky = receiver.received.filter((r) => r.path === '/flaky');
    expect(flaky).toHaveLength(10);
    const key = flaky[0]!.json.id;
    expect(new Set(flaky.map((r) => r.headers['idempotency-key']))).toEqual(new Set([key]));

    const dead = await api.get(`/webhook-subscriptions/${sub.id}/deliveries?status=dead`);
    expect(dead.body.deliveries).toEqual([
      expect.objectContaining({ status: 'dead', attempts: 10, nextAttemptAt: null, idempotencyKey: key, lastStatus: 500 }),
    ]);
    expect((await api.get(`/webhook-subscriptions/${sub.id}/deliveries?status=pending`)).body.deliveries).toEqual([]);
    const deliveryId = dead.body.deliveries[0].deliveryId;
    const detail = await api.get(`/webhook-deliveries/${deliveryId}`);
    expect(detail.body.attemptLog.map((a: { attempt: number; status: number }) => `${a.attempt}:${a.status}`)).toEqual(
      Array.from({ length: 10 }, (_, i) => `${i + 1}:500`),
    );
    expect(detail.body.payload.id).toBe(key);

    receiver.setMode(200);
    const replayed = await api.post(`/webhook-deliveries/${deliveryId}/replay`);
    expect(replayed.body).toMatchObject({ status: 'pending', attempts: 0, idempotencyKey: key });
    await app().webhookSender.tick();
    const last = receiver.received.at(-1)!;
    expect(last).toMatchObject({ path: '/flaky', json: { id: key } });
    expect(last.headers['idempotency-key']).toBe(key);
    expect((await api.get(`/webhook-deliveries/${deliveryId}`)).body).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
    const replayEvents = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'webhook_delivery.replayed')));
    expect(replayEvents.map((e) => e.subjectId)).toEqual([deliveryId]);
  });

  it('counts connection refused and a redirect (not followed) as failed attempts; replay-dead sends all dead again', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const redirecting = await startReceiver();
    redirecting.setMode(302);
    try {
      const refused = await subscribe(s.key, { url: await refusedUrl(), eventTypes: ['tag_group.created'] });
      const moved = await subscribe(s.key, { url: redirecting.url(), eventTypes: ['tag_group.created'] });
      await api.post('/tag-groups', { name: '两种失败', tags: [{ name: 'a' }] });
      await flush(s.corpId);
      expect((await outbox(s.corpId, refused.id))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastStatus: null,
        lastError: expect.stringContaining('ECONNREFUSED'),
      });
      expect((await outbox(s.corpId, moved.id))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastStatus: 302,
        lastError: 'redirect 302 (not followed)',
      });
      expect(redirecting.received).toHaveLength(1);
      for (let i = 0; i < 9; i++) {
        jumpBy(3_600_000);
        await app().webhookSender.tick();
      }
      for (const sub of [refused, moved]) expect((await outbox(s.corpId, sub.id))[0]).toMatchObject({ status: 'dead', attempts: 10 });
      expect(redirecting.received).toHaveLength(10);
      expect((await api.post(`/webhook-subscriptions/${moved.id}/replay-dead`)).body).toEqual({ replayed: 1 });
      expect((await api.post(`/webhook-subscriptions/${moved.id}/replay-dead`)).body).toEqual({ replayed: 0 });
      redirecting.setMode(204);
      await app().webhookSender.tick();
      expect((await outbox(s.corpId, moved.id))[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
      expect((await outbox(s.corpId, refused.id))[0]).toMatchObject({ status: 'dead' });
    } finally {
      await redirecting.close();
    }
  });

  it('stops sending for a paused or deleted subscription, even retries already due; other corps’ events never reach it', async () => {
    const s = await buildApiScene(db().db);
    const other = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    receiver.setMode(500);
    const paused = await subscribe(s.key, { url: receiver.url('/paused'), eventTypes: ['tag_group.*'] });
    const deleted = await subscribe(s.key, { url: receiver.url('/deleted'), eventTypes: ['tag_group.*'] });
    await api.post('/tag-groups', { name: '停发', tags: [{ name: 'a' }] });
    await apiClient(app, other.key).post('/tag-groups', { name: '别家', tags: [{ name: 'a' }] });
    await app().consumers.settle(other.corpId);
    await flush(s.corpId);
    const count = (path: string) => receiver.received.filter((r) => r.path === path).length;
    expect([count('/paused'), count('/deleted')]).toEqual([1, 1]);
    expect(receiver.received.filter((r) => r.json.corpId === other.corpId)).toEqual([]);

    expect((await api.patch(`/webhook-subscriptions/${paused.id}`, { enabled: false })).status).toBe(200);
    expect((await api.delete(`/webhook-subscriptions/${deleted.id}`)).body).toEqual({ deliveriesDeleted: 1 });
    receiver.setMode(200);
    jumpBy(3_600_000);
    await flush(s.corpId);
    expect([count('/paused'), count('/deleted')]).toEqual([1, 1]);
    expect(await outbox(s.corpId, deleted.id)).toEqual([]);
    // Resumed, the waiting delivery goes out (and the pause's own event, which the filter does not select, does not).
    await api.patch(`/webhook-subscriptions/${paused.id}`, { enabled: true });
    await flush(s.corpId);
    expect(count('/paused')).toBe(2);
    expect((await outbox(s.corpId, paused.id)).map((r) => r.status)).toEqual(['delivered']);
  });

  it('checks the address again at send time: a sender without the private switch refuses 127.0.0.1 and sends nothing', async () => {
    const s = await buildApiScene(db().db);
    const sub = await subscribe(s.key, { url: receiver.url('/strict') });
    const ping = await apiClient(app, s.key).post(`/webhook-subscriptions/${sub.id}/ping`);
    const strict = new WebhookSender(db().db, false, { run: false, now });
    await strict.tick();
    await strict.stop();
    expect(receiver.received.filter((r) => r.path === '/strict')).toEqual([]);
    const [row] = (await outbox(s.corpId, sub.id)).filter((r) => r.deliveryId === ping.body.deliveryId);
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: expect.stringMatching(/^webhook_url_forbidden: 127\.0\.0\.1 is a loopback address/),
    });
    // The ping itself goes out once a sender may reach it.
    receiver.setMode(200);
    jumpBy(3_600_000);
    await app().webhookSender.tick();
    expect(receiver.received.filter((r) => r.path === '/strict').map((r) => r.json)).toEqual([
      expect.objectContaining({ type: 'ping', id: ping.body.idempotencyKey, data: { subscriptionId: sub.id, name: 'receiver' } }),
    ]);
  });

  it('gives up on a receiver that does not answer in time (a failed attempt, retried later)', async () => {
    const s = await buildApiScene(db().db);
    const hanging = await startReceiver();
    hanging.setMode('hang');
    // A sender of its own with a short timeout; every earlier delivery is settled by now.
    const impatient = new WebhookSender(db().db, true, { run: false, now, timeoutMs: 300 });
    try {
      const sub = await subscribe(s.key, { url: hanging.url() });
      const ping = await apiClient(app, s.key).post(`/webhook-subscriptions/${sub.id}/ping`);
      await impatient.tick();
      const detail = await apiClient(app, s.key).get(`/webhook-deliveries/${ping.body.deliveryId}`);
      expect(detail.body).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null, lastError: 'no answer within 300 ms' });
      expect(detail.body.attemptLog).toEqual([expect.objectContaining({ attempt: 1, status: null, error: 'no answer within 300 ms' })]);
    } finally {
      await impatient.stop();
      await hanging.close();
    }
  });
});
