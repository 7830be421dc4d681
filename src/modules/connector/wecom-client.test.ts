import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeWecom } from './fake-wecom.test-support.js';
import { type TokenStore, WecomClient, WecomError } from './wecom-client.js';

// The WeCom client against the fake WeCom server: one token for concurrent callers, one refresh
// when WeCom refuses a token, failures classified for the retry logic, and no secret in errors.

const corpid = 'wwclient01';
const secret = 'client-secret-do-not-leak';

let wecom: FakeWecom;

function client(extra: Partial<ConstructorParameters<typeof WecomClient>[0]> = {}): WecomClient {
  return new WecomClient({ apiBase: wecom.url, corpid, secret, ...extra });
}

/** A token store in memory, as the connection row would keep it. */
function memoryStore(initial: { token: string; expiresAt: Date } | null = null): TokenStore & { saved: string[] } {
  let current = initial;
  const saved: string[] = [];
  return {
    saved,
    load: async () => current,
    save: async (token, expiresAt) => {
      saved.push(token);
      current = { token, expiresAt };
    },
  };
}

/** The error a call fails with (the test fails if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<WecomError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WecomError);
    return error as WecomError;
  }
  throw new Error('the call succeeded');
}

const tagList = 'externalcontact/get_corp_tag_list';

beforeEach(async () => {
  wecom = await FakeWecom.start();
  wecom.addCorp(corpid, secret);
  wecom.seed(corpid, {
    tagGroups: [{ group_id: 'etGroup', group_name: '等级', tags: [{ id: 'etGold', name: '金卡' }] }],
    followUsers: ['lisi'],
    customers: [{ external_userid: 'wmAlice', name: 'Alice', follow: [{ userid: 'zhangsan' }] }],
  });
});

afterEach(async () => {
  await wecom.close();
});

describe('WecomClient: tokens', () => {
  it('fetches the token once for 20 concurrent calls, and sends it only in the query', async () => {
    const c = client();
    const answers = await Promise.all(Array.from({ length: 20 }, () => c.call(tagList, {})));
    expect(answers.every((a) => (a.tag_group as unknown[]).length === 1)).toBe(true);
    expect(wecom.callsTo('gettoken')).toHaveLength(1);
    expect(wecom.callsTo(tagList)).toHaveLength(20);
    expect(wecom.callsTo(tagList).every((call) => call.errcode === 0 && call.method === 'POST')).toBe(true);
  });

  it('uses GET without a body and POST with one', async () => {
    const c = client();
    const listed = await c.call('externalcontact/list', undefined, { userid: 'zhangsan' });
    expect(listed.external_userid).toEqual(['wmAlice']);
    await c.call('externalcontact/mark_tag', { userid: 'zhangsan', external_userid: 'wmAlice', add_tag: ['etGold'] });
    expect(wecom.callsTo('externalcontact/list')[0]?.method).toBe('GET');
    expect(wecom.marks(corpid, 'zhangsan', 'wmAlice')).toEqual(['etGold']);
  });

  it.each([42001, 40014])('on %i fetches a new token once and repeats the call', async (errcode) => {
    const c = client();
    await c.call(tagList, {});
    wecom.expireTokens();
    wecom.failNext(tagList, errcode);
    const answer = await c.call(tagList, {});
    expect(answer.errcode).toBe(0);
    expect(wecom.callsTo('gettoken')).toHaveLength(2);
    expect(wecom.callsTo(tagList).map((call) => call.errcode)).toEqual([0, errcode, 0]);
  });

  it('renews a token WeCom expired early (real 42001 from the token check)', async () => {
    const c = client();
    await c.call(tagList, {});
    wecom.expireTokens();
    expect((await c.call(tagList, {})).errcode).toBe(0);
    expect(wecom.callsTo(tagList).map((call) => call.errcode)).toEqual([0, 42001, 0]);
    expect(wecom.issuedTokens).toBe(2);
  });

  it('20 concurrent calls that meet an expired token share one refresh', async () => {
    const c = client();
    await c.call(tagList, {});
    wecom.expireTokens();
    const answers = await Promise.all(Array.from({ length: 20 }, () => c.call(tagList, {})));
    expect(answers.every((a) => a.errcode === 0)).toBe(true);
    expect(wecom.issuedTokens).toBe(2);
  });

  it('refreshes only once: a second token refusal is thrown, not looped on', async () => {
    wecom.failNext(tagList, 40014, 5);
    const error = await failure(client().call(tagList, {}));
    expect(error).toMatchObject({ errcode: 40014, retryable: false });
    expect(wecom.callsTo(tagList)).toHaveLength(2);
  });

  it('reuses a stored token that is still valid (another process fetched it) without calling gettoken', async () => {
    const store = memoryStore();
    await client({ tokens: store }).call(tagList, {});
    expect(store.saved).toHaveLength(1);
    await client({ tokens: store }).call(tagList, {});
    expect(wecom.callsTo('gettoken')).toHaveLength(1);
  });

  it('does not reuse a stored token past its expiry', async () => {
    const store = memoryStore({ token: 'fake-token-stale', expiresAt: new Date(Date.now() - 1000) });
    await client({ tokens: store }).call(tagList, {});
    expect(wecom.callsTo('gettoken')).toHaveLength(1);
    expect(wecom.callsTo(tagList).map((call) => call.errcode)).toEqual([0]);
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]).not.toBe('fake-token-stale');
  });

  it('does not reuse a stored token WeCom refused, even when the store still holds it', async () => {
    const store = memoryStore({ token: 'fake-token-revoked', expiresAt: new Date(Date.now() + 3_600_000) });
    // The store keeps answering the refused token (another process has not replaced it yet).
    const stubborn: TokenStore = { load: store.load, save: async () => {} };
    expect((await client({ tokens: stubborn }).call(tagList, {})).errcode).toBe(0);
    expect(wecom.callsTo(tagList).map((call) => call.errcode)).toEqual([40014, 0]);
    expect(wecom.callsTo('gettoken')).toHaveLength(1);
  });

  it('renews a token about to expire (inside five minutes) before calling', async () => {
    let now = Date.now();
    const c = client({ now: () => now });
    await c.call(tagList, {});
    now += 7200_000 - 4 * 60_000;
    wecom.expireTokens();
    await c.call(tagList, {});
    expect(wecom.callsTo(tagList).map((call) => call.errcode)).toEqual([0, 0]);
    expect(wecom.callsTo('gettoken')).toHaveLength(2);
  });
});

describe('WecomClient: failures', () => {
  it.each([45009, 45033, -1])('errcode %i is retryable', async (errcode) => {
    wecom.failNext(tagList, errcode);
    const error = await failure(client().call(tagList, {}));
    expect(error).toMatchObject({ errcode, retryable: true, path: tagList });
  });

  it('HTTP 500, a dropped connection and an unreachable server are retryable', async () => {
    wecom.failNext(tagList, { httpStatus: 500 });
    expect((await failure(client().call(tagList, {}))).retryable).toBe(true);
    wecom.failNext(tagList, { drop: true });
    expect((await failure(client().call(tagList, {}))).retryable).toBe(true);
    const c = client();
    await c.call(tagList, {});
    await wecom.close();
    expect((await failure(c.call(tagList, {}))).retryable).toBe(true);
    wecom = await FakeWecom.start();
  });

  it.each([40068, 84061, 60020, 48002, 40058])('errcode %i is not retryable and keeps WeCom’s errcode', async (errcode) => {
    wecom.failNext(tagList, errcode);
    const error = await failure(client().call(tagList, {}));
    expect(error).toMatchObject({ errcode, retryable: false });
    expect(wecom.callsTo(tagList)).toHaveLength(1);
  });

  it('a business error from the endpoint itself (84061 without a relation) is not retryable', async () => {
    const error = await failure(client().call('externalcontact/mark_tag', { userid: 'lisi', external_userid: 'wmAlice', add_tag: ['etGold'] }));
    expect(error).toMatchObject({ errcode: 84061, retryable: false });
  });

  it('a wrong secret fails at gettoken (40001), not retryable', async () => {
    const error = await failure(client({ secret: 'wrong-secret' }).call(tagList, {}));
    expect(error).toMatchObject({ errcode: 40001, path: 'gettoken', retryable: false });
    expect(wecom.callsTo(tagList)).toHaveLength(0);
  });

  it('a wrong base URL (404, empty body) is not retried as if WeCom were busy', async () => {
    const error = await failure(new WecomClient({ apiBase: `${wecom.url}/not-wecom`, corpid, secret }).call(tagList, {}));
    expect(error.retryable).toBe(false);
  });

  it('a timeout counts as retryable, and a network error naming the URL does not leak it', async () => {
    const timeout = new WecomClient({
      apiBase: wecom.url,
      corpid,
      secret,
      fetch: async () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
    });
    expect(await failure(timeout.call(tagList, {}))).toMatchObject({ errcode: -1, retryable: true });
    const chatty = new WecomClient({
      apiBase: wecom.url,
      corpid,
      secret,
      fetch: async (url) => {
        throw new TypeError(`fetch failed: ${String(url)}`);
      },
    });
    const error = await failure(chatty.call(tagList, {}));
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('corpsecret');
  });

  it('no secret or token appears in any error message or stack', async () => {
    const c = client();
    await c.call(tagList, {});
    const token = await c.token();
    const errors: WecomError[] = [];
    for (const failureKind of [40014, 45009, 84061, { httpStatus: 500 }, { drop: true }] as const) {
      wecom.failNext(tagList, failureKind, 2);
      errors.push(await failure(c.call(tagList, {})));
    }
    errors.push(await failure(client({ secret: 'wrong-secret' }).call(tagList, {})));
    await wecom.close();
    errors.push(await failure(c.call(tagList, {})));
    wecom = await FakeWecom.start();
    for (const error of errors) {
      const shown = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String((error as { cause?: unknown }).cause ?? '')}`;
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain('wrong-secret');
      expect(shown).not.toContain(token);
    }
  });
});
