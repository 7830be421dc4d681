import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { events, groupChatMembers, groupChats, wecomCallbacks, wecomConnections } from '../../../db/schema/index.js';
import { apiClient, buildApiScene, fingerprint, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { sealedPlace } from '../connection.js';
import { envelopeXml } from '../fake/callback-crypto.test-support.js';
import { callbackRequest, encryptMessage, FakeWecom } from '../fake-wecom.test-support.js';
import { callbackSignature } from './callback-crypto.js';
import { connectForCallbacks, postCallback, postRaw, verifyUrl } from './test-support.js';

describeDb('WeCom callbacks at /hooks/wecom/:corpId', (db) => {
  const app = useTestApp(db, { runJobs: false });
  let wecom: FakeWecom;
  beforeAll(async () => {
    wecom = await FakeWecom.start();
  });
  afterAll(() => wecom.close());

  const logOf = (corpId: string) => db().db.select().from(wecomCallbacks).where(eq(wecomCallbacks.corpId, corpId)).orderBy(desc(wecomCallbacks.receivedAt));

  async function connected() {
    const s = await buildApiScene(db().db);
    const receiver = await connectForCallbacks(app(), s.corpId, { apiBase: wecom.url });
    wecom.addCorp(receiver.corpid, receiver.secret);
    return { s, receiver };
  }

  it('answers URL verification with the decrypted echostr as plain text, and logs it', async () => {
    const { s, receiver } = await connected();
    const res = await verifyUrl(app(), receiver, { echostr: '1234567890123456789' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('1234567890123456789');
    expect(String(res.headers['content-type'])).toMatch(/^text\/plain/);
    expect(await logOf(s.corpId)).toMatchObject([{ outcome: 'applied', event: 'verify_url' }]);
    // The fake's own handshake over HTTP reads the same.
    const address = await app().listen({ port: 0, host: '127.0.0.1' });
    const viaHttp = await wecom.verifyUrl(`${address}/hooks/wecom/${s.corpId}`, receiver);
    expect(viaHttp).toMatchObject({ status: 200, body: viaHttp.echostr });
  });

  it('refuses a wrong signature, a stale or future timestamp, an incomplete query and a bad echostr, each logged', async () => {
    const { s, receiver } = await connected();
    const before = await fingerprint(db().db, s.corpId);
    const bad = await verifyUrl(app(), receiver, { badSignature: true });
    expect({ status: bad.status, code: JSON.parse(bad.text).error.code }).toEqual({ status: 401, code: 'callback_signature_invalid' });
    const stale = await verifyUrl(app(), receiver, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(JSON.parse(stale.text).error.code).toBe('callback_timestamp_stale');
    const ahead = await verifyUrl(app(), receiver, { timestamp: Math.floor(Date.now() / 1000) + 400 });
    expect(JSON.parse(ahead.text).error.code).toBe('callback_timestamp_stale');
    const incomplete = await app().inject({ method: 'GET', url: `/hooks/wecom/${s.corpId}?timestamp=1&nonce=x` });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error).toMatchObject({
      code: 'callback_malformed',
      details: [{ path: 'query.msg_signature' }, { path: 'query.echostr' }].slice(0, 1),
    });
    // A correctly signed echostr sealed for another corp does not decrypt for this one.
    const ts = String(Math.floor(Date.now() / 1000));
    const foreign = encryptMessage(receiver.encodingAesKey, 'hello', 'wwsomeoneelse');
    const sig = callbackSignature(receiver.token, ts, 'n', foreign);
    const q = new URLSearchParams({ msg_signature: sig, timestamp: ts, nonce: 'n', echostr: foreign });
    const wrongCorp = await app().inject({ method: 'GET', url: `/hooks/wecom/${s.corpId}?${q}` });
    expect(wrongCorp.json().error.code).toBe('callback_malformed');
    expect(await fingerprint(db().db, s.corpId)).toEqual(before);
    const log = await logOf(s.corpId);
    expect(log.map((r) => r.outcome)).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
    expect(log.map((r) => r.reason?.split(':')[0]).sort()).toEqual(
      ['callback_malformed', 'callback_malformed', 'callback_signature_invalid', 'callback_timestamp_stale', 'callback_timestamp_stale'].sort(),
    );
  });

  it('answers 404 alike for an unknown corp, a corp without a connection and one without callback secrets, storing nothing', async () => {
    const { s, receiver } = await connected();
    const other = await buildApiScene(db().db);
    const noSecrets = await buildApiScene(db().db);
    await db()
      .db.insert(wecomConnections)
      .values({ corpId: noSecrets.corpId, wecomCorpid: receiver.corpid, secretSealed: app().secretBox!.seal('s', sealedPlace.secret(noSecrets.corpId)) });
    for (const corpId of ['no-such-corp', other.corpId, noSecrets.corpId, '..%2F..%2Fetc']) {
      const res = await postCallback(app(), { ...receiver, corpId }, { Event: 'change_external_tag', ChangeType: 'create', Id: 'x', TagType: 'tag' });
      expect({ corpId, status: res.status, code: res.body?.error?.code }).toEqual({ corpId, status: 404, code: 'not_found' });
      expect(JSON.stringify(res.body)).not.toMatch(/connect|secret/i);
    }
    // An id longer than the router takes is refused by the router itself, saying nothing either.
    const long = await postCallback(app(), { ...receiver, corpId: 'x'.repeat(200) }, { Event: 'x' });
    expect([400, 404]).toContain(long.status);
    expect(await logOf(other.corpId)).toEqual([]);
    expect(await logOf(noSecrets.corpId)).toEqual([]);
    expect(await logOf(s.corpId)).toEqual([]);
  });

  it('refuses bad POSTs (signature, stale, malformed XML, an entity bomb, a DOCTYPE, a 2 MB body, junk ciphertext), changing nothing', async () => {
    const { s, receiver } = await connected();
    const fields = { Event: 'change_external_chat', ChangeType: 'dismiss', ChatId: 'wrX' };
    const before = await fingerprint(db().db, s.corpId);
    const eventsBefore = await db().db.select().from(events).where(eq(events.corpId, s.corpId));
    const expectRefusal = async (res: { status: number; body: any }, status: number, code: string) =>
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });

    await expectRefusal(await postCallback(app(), receiver, fields, { badSignature: true }), 401, 'callback_signature_invalid');
    await expectRefusal(await postCallback(app(), receiver, fields, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), 401, 'callback_timestamp_stale');

    const signed = (body: string, encrypted: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return {
        query: new URLSearchParams({ msg_signature: callbackSignature(receiver.token, ts, 'n1', encrypted), timestamp: ts, nonce: 'n1' }).toString(),
        body,
      };
    };
    // Not XML, and XML without <Encrypt>.
    await expectRefusal(await postRaw(app(), s.corpId, signed('not xml', '').query, 'not xml'), 400, 'callback_malformed');
    await expectRefusal(await postRaw(app(), s.corpId, signed('<xml><a>1</a></xml>', '').query, '<xml><a>1</a></xml>'), 400, 'callback_malformed');
    // A billion-laughs body is refused before any entity is read.
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>`;
    await expectRefusal(await postRaw(app(), s.corpId, signed(bomb, '').query, bomb), 400, 'callback_malformed');
    // A correctly signed ciphertext whose plaintext is an entity bomb: refused after decrypting.
    const innerBomb = encryptMessage(receiver.encodingAesKey, bomb, receiver.corpid);
    const env = envelopeXml(receiver.corpid, innerBomb);
    await expectRefusal(await postRaw(app(), s.corpId, signed(env, innerBomb).query, env), 400, 'callback_malformed');
    // Signed junk that is not a ciphertext.
    const junkEnv = envelopeXml(receiver.corpid, 'QUJD');
    await expectRefusal(await postRaw(app(), s.corpId, signed(junkEnv, 'QUJD').query, junkEnv), 400, 'callback_malformed');
    // 2 MB is refused unread.
    const huge = `<xml><Encrypt>${'A'.repeat(2 * 1024 * 1024)}</Encrypt></xml>`;
    await expectRefusal(await postRaw(app(), s.corpId, signed(huge, 'A').query, huge), 413, 'payload_too_large');
    // Another text type is read the same way (the signature vouches, not the header); JSON is never a callback.
    const good = callbackRequest(fields, receiver);
    const withTextType = await postRaw(
      app(),
      s.corpId,
      new URLSearchParams({ ...good.query, msg_signature: 'f'.repeat(40) }).toString(),
      good.body,
      'text/plain',
    );
    await expectRefusal(withTextType, 401, 'callback_signature_invalid');
    const withJsonType = await postRaw(
      app(),
      s.corpId,
      new URLSearchParams({ ...good.query, msg_signature: 'f'.repeat(40) }).toString(),
      good.body,
      'application/json',
    );
    expect(withJsonType.status).toBe(400);

    expect(await fingerprint(db().db, s.corpId)).toEqual(before);
    expect(await db().db.select().from(events).where(eq(events.corpId, s.corpId))).toEqual(eventsBefore);
    const log = await logOf(s.corpId);
    expect(log).toHaveLength(9);
    expect(log.every((r) => r.outcome === 'refused' && r.dedupKey === null)).toBe(true);
  });

  it('a group chat created, changed and dismissed in WeCom follows here; the same callback twice applies once', async () => {
    const { s, receiver } = await connected();
    const chatId = 'wrChat0001';
    wecom.seed(receiver.corpid, {
      groupChats: [
        {
          chat_id: chatId,
          name: '华东VIP群',
          owner: s.staffA,
          member_list: [
            { userid: s.staffA, type: 1, join_time: 1_700_000_000, join_scene: 1 },
            { userid: s.customer, type: 2, join_time: 1_700_000_100, join_scene: 3, invitor: { userid: s.staffA } },
            { userid: 'wmStrangerNotOurs', type: 2, join_time: 1_700_000_200, join_scene: 2 },
          ],
          admin_list: [],
        },
      ],
    });
    const created = { Event: 'change_external_chat', ChangeType: 'create', ChatId: chatId, CreateTime: 1_700_000_300 };
    const first = await postCallback(app(), receiver, created);
    expect(first.status).toBe(200);
    expect(first.body).toBe('');
    const retry = await postCallback(app(), receiver, created);
    expect(retry.status).toBe(200);
    const [chat] = await db()
      .db.select()
      .from(groupChats)
      .where(and(eq(groupChats.corpId, s.corpId), eq(groupChats.chatId, chatId)));
    expect(chat).toMatchObject({ name: '华东VIP群', owner: s.staffA });
    const members = await db().db.select().from(groupChatMembers).where(eq(groupChatMembers.chatId, chatId));
    expect(members.map((m) => m.memberId).sort()).toEqual([s.customer, s.staffA].sort());
    const joins = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'group_chat.member_joined')));
    expect(joins).toHaveLength(2);
    expect(joins.every((e) => e.source === 'wecom-sync')).toBe(true);
    expect((await logOf(s.corpId)).map((r) => r.outcome)).toEqual(['duplicate', 'applied']);

    // The customer leaves in WeCom; the update callback reconciles.
    const fakeChat = wecom.corp(receiver.corpid).groupChats.find((c) => c.chat_id === chatId)!;
    fakeChat.member_list = fakeChat.member_list.filter((m) => m.userid !== s.customer);
    await postCallback(app(), receiver, { Event: 'change_external_chat', ChangeType: 'update', ChatId: chatId, UpdateDetail: 'del_member' });
    const after = await db().db.select().from(groupChatMembers).where(eq(groupChatMembers.chatId, chatId));
    expect(after.map((m) => m.memberId)).toEqual([s.staffA]);

    await postCallback(app(), receiver, { Event: 'change_external_chat', ChangeType: 'dismiss', ChatId: chatId });
    expect(
      await db()
        .db.select()
        .from(groupChats)
        .where(and(eq(groupChats.corpId, s.corpId), eq(groupChats.chatId, chatId))),
    ).toEqual([]);
    const dismissed = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'group_chat.dismissed')));
    expect(dismissed).toMatchObject([{ subjectId: chatId, source: 'wecom-sync' }]);
  });

  it('an unknown event is recorded as ignored and answered 200; a failed WeCom read is 500 and applies nothing', async () => {
    const { s, receiver } = await connected();
    const odd = await postCallback(app(), receiver, { Event: 'change_contact', ChangeType: 'update_user', UserID: 'x' });
    expect(odd.status).toBe(200);
    expect(await logOf(s.corpId)).toMatchObject([{ outcome: 'applied', event: 'change_contact', reason: 'ignored' }]);

    wecom.seed(receiver.corpid, { groupChats: [{ chat_id: 'wrChat0002', owner: s.staffA, member_list: [], admin_list: [] }] });
    const before = await fingerprint(db().db, s.corpId);
    wecom.failNext('externalcontact/groupchat/get', -1);
    const fields = { Event: 'change_external_chat', ChangeType: 'create', ChatId: 'wrChat0002' };
    const failed = await postCallback(app(), receiver, fields);
    expect(failed.status).toBe(500);
    expect(await fingerprint(db().db, s.corpId)).toEqual(before);
    expect((await logOf(s.corpId))[0]).toMatchObject({ outcome: 'failed', reason: 'wecom errcode -1' });
    // WeCom's retry applies it.
    expect((await postCallback(app(), receiver, fields)).status).toBe(200);
    expect((await logOf(s.corpId))[0]).toMatchObject({ outcome: 'applied', event: 'change_external_chat' });
  });

  it('concurrent identical callbacks apply once', async () => {
    const { s, receiver } = await connected();
    wecom.seed(receiver.corpid, {
      groupChats: [
        { chat_id: 'wrChat0003', owner: s.staffA, member_list: [{ userid: s.customer, type: 2, join_time: 1_700_000_000, join_scene: 1 }], admin_list: [] },
      ],
    });
    const fields = { Event: 'change_external_chat', ChangeType: 'create', ChatId: 'wrChat0003', CreateTime: 1_700_000_500 };
    const answers = await Promise.all(Array.from({ length: 4 }, () => postCallback(app(), receiver, fields)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const log = await logOf(s.corpId);
    expect(log.filter((r) => r.outcome === 'applied')).toHaveLength(1);
    expect(log.filter((r) => r.outcome === 'duplicate')).toHaveLength(3);
    const joins = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.type, 'group_chat.member_joined')));
    expect(joins).toHaveLength(1);
  });

  it('GET /connector/callbacks lists the log newest first, by outcome and page, for corp.settings only', async () => {
    const { s, receiver } = await connected();
    await verifyUrl(app(), receiver);
    for (let i = 0; i < 3; i++) await postCallback(app(), receiver, { Event: 'x' }, { badSignature: true });
    const api = apiClient(app, s.key);
    const all = await api.get('/connector/callbacks');
    expect(all.status).toBe(200);
    expect(all.body.callbacks.map((c: { outcome: string }) => c.outcome)).toEqual(['refused', 'refused', 'refused', 'applied']);
    expect(all.body.callbacks[0]).toMatchObject({ event: null, reason: expect.stringContaining('callback_signature_invalid'), receivedAt: expect.any(String) });
    const first = await api.get('/connector/callbacks?outcome=refused&limit=2');
    expect(first.body.callbacks).toHaveLength(2);
    const rest = await api.get(`/connector/callbacks?outcome=refused&limit=2&before=${first.body.nextBefore}`);
    expect(rest.body).toMatchObject({ callbacks: [{ outcome: 'refused' }], nextBefore: null });
    const seen = [...first.body.callbacks, ...rest.body.callbacks].map((c: { callbackId: string }) => c.callbackId);
    expect(new Set(seen).size).toBe(3);
    expect((await apiClient(app, s.key, s.staffA).get('/connector/callbacks')).status).toBe(403);
    expect((await api.get('/connector/callbacks?limit=0')).status).toBe(400);
    // Another corp sees none of it.
    const other = await buildApiScene(db().db);
    expect((await apiClient(app, other.key).get('/connector/callbacks')).body.callbacks).toEqual([]);
  });
});
