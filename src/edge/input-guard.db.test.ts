import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { customerEvents } from '../db/schema/index.js';
import { type ApiResponse, apiClient, buildApiScene, detailPaths, expectRefused, useTestApp } from '../test/api.js';
import { describeDb } from '../test/db.js';
import { buildEmployees } from '../test/factories.js';
import { callWecom, fetchToken, snapshotCorp, type WecomReply } from '../wecom/test-support.js';

const json = (text: string | Buffer) => ({ 'content-type': 'application/json', payload: text });

describeDb('bad text refused at the edge, on both surfaces, with nothing written', (db) => {
  const app = useTestApp(db);

  /** Sends raw bytes or text to a native route as JSON. */
  const sendRaw = async (
    key: string,
    method: 'POST' | 'PATCH',
    url: string,
    payload: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> => {
    const res = await app().inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      payload,
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };

  it('/api/v1: NUL, invalid UTF-8 and lone surrogates in body, path and query are a 400 at their path', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    const refused = (send: () => Promise<ApiResponse>) => expectRefused(db().db, s.corpId, send, 400, 'validation_failed');

    let res = await refused(() => api.post('/tag-groups', { name: '组\u0000', tags: [{ name: 'ok' }, { name: 'b\u0000' }] }));
    expect(res.body.error.details).toEqual([
      { path: 'body.name', code: 'invalid_text', message: 'contains a NUL character (U+0000)' },
      { path: 'body.tags.1.name', code: 'invalid_text', message: 'contains a NUL character (U+0000)' },
    ]);
    // Invalid UTF-8 is found on the raw bytes, so it is refused rather than stored as U+FFFD.
    const badBytes = Buffer.concat([Buffer.from('{"name":"组'), Buffer.from([0xff, 0xfe]), Buffer.from('","tags":[{"name":"x"}]}')]);
    res = await refused(() => sendRaw(s.key, 'POST', '/tag-groups', badBytes));
    expect(res.body.error.details).toEqual([
      { path: 'body.name', code: 'invalid_text', message: 'is not valid Unicode text (invalid UTF-8 or a lone surrogate)' },
    ]);
    res = await refused(() => sendRaw(s.key, 'PATCH', `/tags/${s.tags[0]!.tagId}`, '{"description":"\\ud800 alone"}'));
    expect(detailPaths(res)).toEqual(['body.description']);

    res = await refused(() => api.patch(`/tag-groups/${s.group.groupId}%00`, { name: 'x' }));
    expect(detailPaths(res)).toEqual(['params.groupId']);
    res = await refused(() => api.get(`/customers?userid=${s.staffA}%00`));
    expect(detailPaths(res)).toEqual(['query.userid']);
    res = await refused(() => api.get('/customers?userid=a%FFb'));
    expect(res.body.error.details).toEqual([{ path: 'query.userid', code: 'invalid_text', message: 'is not valid UTF-8' }]);
    // A path segment the router cannot decode gets the same envelope, not Fastify's own.
    res = await refused(() => api.patch('/tag-groups/et%ED%A0%80', { name: 'x' }));
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'params', code: 'invalid_text' }], requestId: expect.any(String) });
  });

  it('/api/v1: the acting-user header, deep nesting and the public login route are guarded too', async () => {
    const s = await buildApiScene(db().db);
    const refused = (send: () => Promise<ApiResponse>) => expectRefused(db().db, s.corpId, send, 400, 'validation_failed');
    let res = await refused(() => apiClient(app, s.key, `${s.staffA}\u0000`).get('/personal-tags'));
    expect(detailPaths(res)).toEqual(['headers.tagloom-acting-user']);
    res = await refused(() => sendRaw(s.key, 'POST', '/audiences/count', `{"expression":${'{"not":'.repeat(5000)}{"tag":"x"}${'}'.repeat(5000)}}`));
    expect(res.body.error.details[0]).toMatchObject({ code: 'too_deep' });
    const login = await app().inject({ method: 'POST', url: '/api/v1/auth/login', payload: { corpId: s.corpId, username: 'a\u0000', password: 'x' } });
    expect({ status: login.statusCode, paths: detailPaths({ status: 0, headers: {}, body: login.json() }) }).toEqual({ status: 400, paths: ['body.username'] });
  });

  it('/api/v1: U+FFFD sent as valid UTF-8 is ordinary text, kept where free text goes (names refuse it by their own policy)', async () => {
    const s = await buildApiScene(db().db);
    const event = { externalUserid: s.customer, type: 'link.clicked', target: '页面\uFFFD😀', occurredAt: new Date().toISOString() };
    const res = await sendRaw(s.key, 'POST', '/customer-events', Buffer.from(JSON.stringify({ events: [event] }), 'utf8'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [row] = await db().db.select({ target: customerEvents.target }).from(customerEvents).where(eq(customerEvents.corpId, s.corpId));
    expect(row?.target).toBe('页面\uFFFD😀');
    // In a name the same character is the name policy's to refuse, naming it, not the edge's "invalid UTF-8".
    const named = await sendRaw(s.key, 'POST', '/tag-groups', Buffer.from('{"name":"组\uFFFD","tags":[{"name":"x😀"}]}', 'utf8'));
    expect(named.status).toBe(400);
    expect(named.body.error.details).toMatchObject([{ character: 'U+FFFD' }]);
  });

  it('/api/v1/imports: NUL and bytes that are neither UTF-8 nor GBK are refused by line and column', async () => {
    const s = await buildApiScene(db().db);
    const send =
      (body: Buffer, query = '') =>
      async () => {
        const res = await app().inject({
          method: 'POST',
          url: `/api/v1/imports${query}`,
          headers: { authorization: `Bearer ${s.key}`, 'content-type': 'text/csv' },
          payload: body,
        });
        return { status: res.statusCode, body: res.json(), headers: res.headers };
      };
    const withNul = Buffer.from(`name,userid\n张\u0000三,${s.staffA}\n李四,${s.staffA}\u0000\n`);
    const res = await expectRefused(db().db, s.corpId, send(withNul), 400, 'validation_failed');
    expect(res.body.error.details).toEqual([
      { path: 'line 2, column 2', message: expect.stringContaining('NUL'), line: 2, column: 2 },
      { path: `line 3, column ${4 + s.staffA.length}`, message: expect.stringContaining('NUL'), line: 3, column: 4 + s.staffA.length },
    ]);
    const dry = await send(withNul, '?dryRun=true')();
    expect(dry.body).toMatchObject({ valid: false, errors: [{ line: 2, column: 2 }, { line: 3 }] });
    const notText = Buffer.concat([Buffer.from(`name,userid\n张三,${s.staffA}\nab`), Buffer.from([0xff, 0xff, 0xff]), Buffer.from(`,${s.staffA}\n`)]);
    const bad = await expectRefused(db().db, s.corpId, send(notText), 400, 'validation_failed');
    expect(bad.body.error.details).toEqual([{ path: 'line 3, column 3', message: 'not UTF-8 or GBK', line: 3, column: 3 }]);
  });

  it('/cgi-bin: the token first, then bad text as 40058 naming the field; a repeated access_token is 40014', async () => {
    const s = await buildApiScene(db().db);
    const [other] = await buildEmployees(s.ctx, 1);
    const token = await fetchToken(app(), s.corpId, s.secret);
    const refused = async (path: string, opts: Parameters<typeof callWecom>[2], errcode: number): Promise<WecomReply> => {
      const before = await snapshotCorp(db().db, s.corpId);
      const res = await callWecom(app(), path, opts);
      expect({ status: res.status, errcode: res.body?.errcode }).toEqual({ status: 200, errcode });
      expect(await snapshotCorp(db().db, s.corpId)).toEqual(before);
      return res;
    };

    let res = await refused('externalcontact/add_corp_tag', { token, body: { group_name: '组\u0000', tag: [{ name: 'x' }] } }, 40058);
    expect(res.body).toMatchObject({ errmsg: expect.stringMatching(/^invalid parameter group_name: contains a NUL character/), tag_group: {} });
    res = await refused('externalcontact/add_corp_tag', { token, body: '{"group_name":"g","tag":[{"name":"\\udc00"}]}' }, 40058);
    expect(res.body.errmsg).toMatch(/^invalid parameter tag\.0\.name: is not valid Unicode text/);
    const badBytes = Buffer.concat([Buffer.from('{"group_name":"g","tag":[{"name":"'), Buffer.from([0xc0, 0x80]), Buffer.from('"}]}')]);
    const raw = await app().inject({ method: 'POST', url: `/cgi-bin/externalcontact/add_corp_tag?access_token=${token}`, ...json(badBytes) });
    expect(raw.json()).toMatchObject({ errcode: 40058, errmsg: expect.stringMatching(/^invalid parameter tag\.0\.name/) });
    res = await refused('externalcontact/list', { token, query: { userid: `${other}\u0000` } }, 40058);
    expect(res.body).toMatchObject({ errmsg: expect.stringMatching(/^invalid parameter userid/), external_userid: [] });
    res = await refused('gettoken', { query: { corpid: `${s.corpId}\u0000`, corpsecret: s.secret } }, 40058);

    // The token is checked before anything else: a bad token with a bad body is 40014.
    await refused('externalcontact/add_corp_tag', { token: 'nope', body: { group_name: '组\u0000', tag: [] } }, 40014);
    for (const path of ['externalcontact/get_corp_tag_list', 'externalcontact/mark_tag', 'externalcontact/list']) {
      const method = path.endsWith('list') && !path.includes('tag') ? 'GET' : 'POST';
      const reply = await app().inject({
        method,
        url: `/cgi-bin/${path}?access_token=${token}&access_token=${token}`,
        ...(method === 'POST' ? json('{}') : {}),
      });
      expect(reply.json(), path).toMatchObject({ errcode: 40014 });
    }
  });

  it('/cgi-bin: an unknown path is a 404 with an empty body, with a body or a path the router cannot decode', async () => {
    for (const res of [
      await app().inject({ method: 'POST', url: '/cgi-bin/externalcontact/no_such_api', ...json('{}') }),
      await app().inject({ method: 'GET', url: '/cgi-bin/externalcontact/%FF' }),
    ]) {
      expect({ status: res.statusCode, body: res.body }).toEqual({ status: 404, body: '' });
    }
  });
});

describeDb('integers that reach an integer column are bounded in their contracts', (db) => {
  const app = useTestApp(db);

  it('a department id beyond int32, huge, negative, fractional or 1e400 is a 400 at its path, in the query and in a body', async () => {
    const s = await buildApiScene(db().db);
    const api = apiClient(app, s.key);
    for (const value of ['2147483648', '9007199254740991', '-1', '1.5', '1e400']) {
      const res = await expectRefused(db().db, s.corpId, () => api.get(`/employees?department=${value}`), 400, 'validation_failed');
      expect(detailPaths(res), value).toEqual(['query.department']);
    }
    for (const raw of ['2147483648', '9007199254740991', '-1', '1.5', '1e400']) {
      const res = await expectRefused(
        db().db,
        s.corpId,
        () => sendRaw(s.key, 'PATCH', `/tag-groups/${s.group.groupId}`, `{"scope":{"view":{"departments":[${raw}]}}}`),
        400,
        'validation_failed',
      );
      expect(detailPaths(res), raw).toEqual(['body.scope.view.departments.0']);
    }
    expect((await api.get('/employees?department=2147483647')).status).toBe(200);
  });

  /** Sends raw JSON text, so a number can be written as JSON has it (`1e400`). */
  async function sendRaw(key: string, method: 'PATCH', url: string, payload: string): Promise<ApiResponse> {
    const res = await app().inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  }
});
