import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wecomConnections } from '../../../db/schema/index.js';
import { buildApiScene, fingerprint, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { sealedPlace } from '../connection.js';
import { jssdkSignature } from './jssdk-signature.js';

// A stand-in for WeCom's gettoken and ticket/get, counting the ticket fetches.
const ticket = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
let ticketCalls = 0;
let ticketErrcode = 0;
let wecom: Server;
let apiBase = '';

beforeAll(async () => {
  wecom = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/cgi-bin/gettoken') return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: 'AT-1', expires_in: 7200 }));
    if (url.pathname === '/cgi-bin/ticket/get' && url.searchParams.get('type') === 'agent_config' && url.searchParams.get('access_token') === 'AT-1') {
      ticketCalls += 1;
      if (ticketErrcode) return res.end(JSON.stringify({ errcode: ticketErrcode, errmsg: 'invalid agentid' }));
      return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', ticket, expires_in: 7200 }));
    }
    res.end(JSON.stringify({ errcode: 40001, errmsg: 'unexpected call' }));
  });
  await new Promise<void>((done) => wecom.listen(0, '127.0.0.1', done));
  apiBase = `http://127.0.0.1:${(wecom.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => wecom.close(() => done())));

it("signs WeCom's documented example: known ticket, nonce, timestamp and url → known signature", () => {
  expect(jssdkSignature({ ticket, nonceStr: 'Wm3WZYTPz0wzccnW', timestamp: 1414587457, url: 'http://mp.weixin.qq.com?params=value' })).toBe(
    '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
  );
});

describeDb('GET /connector/jssdk-config', (db) => {
  const app = useTestApp(db);
  const ask = (key: string | null, url: string, actingAs?: string) =>
    app().inject({
      method: 'GET',
      url: `/api/v1/connector/jssdk-config?url=${encodeURIComponent(url)}`,
      headers: { host: 'tagloom.example:8080', ...(key ? { authorization: `Bearer ${key}` } : {}), ...(actingAs ? { 'tagloom-acting-user': actingAs } : {}) },
    });
  const connect = async (corpId: string) =>
    db()
      .db.insert(wecomConnections)
      .values({ corpId, wecomCorpid: 'ww-corp-1', agentId: 1000002, apiBase, secretSealed: app().secretBox!.seal('S3CRET', sealedPlace.secret(corpId)) });

  it('without a connection → connector_not_configured; a signed-in staff member gets a signature WeCom would check', async () => {
    const s = await buildApiScene(db().db);
    const page = 'http://tagloom.example:8080/sidebar?externalUserid=wm1';
    expect((await ask(null, page)).statusCode).toBe(401);
    const missing = await ask(s.key, page, s.staffA);
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error.code).toBe('connector_not_configured');

    await connect(s.corpId);
    const res = await ask(s.key, page, s.intern);
    expect(res.statusCode, res.body).toBe(200);
    const config = res.json();
    expect(config).toMatchObject({ corpId: 'ww-corp-1', agentId: 1000002 });
    expect(config.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(Math.abs(config.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(config.signature).toBe(jssdkSignature({ ticket, nonceStr: config.nonceStr, timestamp: config.timestamp, url: page }));
    // Neither the ticket nor the access token is in the answer.
    expect(res.body).not.toContain(ticket);
    expect(res.body).not.toContain('AT-1');
  });

  it('the ticket is fetched once and kept sealed on the connection until it nears expiry', async () => {
    const s = await buildApiScene(db().db);
    await connect(s.corpId);
    const before = ticketCalls;
    for (let i = 0; i < 3; i++) expect((await ask(s.key, 'http://tagloom.example:8080/sidebar', s.staffA)).statusCode).toBe(200);
    expect(ticketCalls - before).toBe(1);
    const [row] = await db().db.select().from(wecomConnections).where(eq(wecomConnections.corpId, s.corpId));
    expect(row!.jsapiTicketSealed).not.toContain(ticket);
    expect(app().secretBox!.open(row!.jsapiTicketSealed!, sealedPlace.jsapiTicket(s.corpId))).toBe(ticket);
    // An expiring ticket is renewed.
    await db()
      .db.update(wecomConnections)
      .set({ jsapiTicketExpiresAt: new Date(Date.now() + 60_000) })
      .where(eq(wecomConnections.corpId, s.corpId));
    expect((await ask(s.key, 'http://tagloom.example:8080/sidebar', s.staffA)).statusCode).toBe(200);
    expect(ticketCalls - before).toBe(2);
  });

  it('refuses any URL but this server’s sidebar page, and says WeCom’s words when it refuses the ticket', async () => {
    const s = await buildApiScene(db().db);
    await connect(s.corpId);
    const state = await fingerprint(db().db, s.corpId);
    for (const url of [
      'https://evil.example/sidebar',
      'http://tagloom.example:8080/settings',
      'http://tagloom.example:9090/sidebar',
      'http://tagloom.example:8080/sidebar#x',
      'http://u:p@tagloom.example:8080/sidebar',
      'javascript:alert(1)',
      'sidebar',
      `http://tagloom.example:8080/sidebar?${'a'.repeat(3000)}`,
    ]) {
      const res = await ask(s.key, url, s.staffA);
      expect(res.statusCode, url).toBe(400);
      expect(['jssdk_url_invalid', 'validation_failed'], url).toContain(res.json().error.code);
    }
    expect((await ask(s.key, 'http://tagloom.example:8080/sidebar.html?externalUserid=wm1', s.staffA)).statusCode).toBe(200);
    expect(await fingerprint(db().db, s.corpId)).toEqual(state);

    const other = await buildApiScene(db().db);
    await connect(other.corpId);
    ticketErrcode = 40056;
    try {
      const refused = await ask(other.key, 'http://tagloom.example:8080/sidebar', other.staffA);
      expect(refused.statusCode).toBe(502);
      expect(refused.json().error).toMatchObject({ code: 'wecom_upstream_failed' });
      expect(refused.json().error.message).toContain('40056 invalid agentid');
    } finally {
      ticketErrcode = 0;
    }
  });
});
