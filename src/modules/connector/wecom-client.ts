// A thin typed client for WeCom's server API (https://qyapi.weixin.qq.com, or a fake or another
// Tagloom in tests): it gets and caches the access token, refreshes it once when WeCom says it is
// invalid or expired, and classifies failures so callers know whether to retry.

/** Errcodes that mean "the token is bad": fetch a new one and repeat the call once. */
const tokenErrcodes = new Set([40014, 42001, 41001]);
/** Errcodes that mean "not now": rate limits (45009 per API, 45033 concurrency) and "system busy" (-1). */
const retryableErrcodes = new Set([45009, 45033, -1]);

/** A failed call: WeCom's errcode and errmsg (or -1 and the network error), and whether a retry may succeed. */
export class WecomError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
    /** Overrides the errcode's verdict: an answer that is not WeCom's (a 404 from a wrong base URL) is not worth retrying. */
    private readonly transient?: boolean,
  ) {
    super(`WeCom ${path} failed: ${errcode} ${errmsg}`);
    this.name = 'WecomError';
  }

  /** Rate limits, "busy", HTTP 5xx and network errors: back off and retry. */
  get retryable(): boolean {
    return this.transient ?? retryableErrcodes.has(this.errcode);
  }
}

/** Where the access token is kept between calls and processes (the connection row, sealed). */
export type TokenStore = {
  load(): Promise<{ token: string; expiresAt: Date } | null>;
  save(token: string, expiresAt: Date): Promise<void>;
};

/** What a client needs: WeCom's base URL, the corp's id and 客户联系 secret, and optionally a token store. */
export type WecomClientOptions = {
  apiBase: string;
  corpid: string;
  secret: string;
  tokens?: TokenStore;
  fetch?: typeof fetch;
  /** Per-request timeout; a timeout counts as retryable. */
  timeoutMs?: number;
  /** Read the clock (tests move it). */
  now?: () => number;
};

/** A successful answer: `errcode` 0 and the endpoint's fields. */
export type WecomAnswer = { errcode: 0; errmsg: string; [field: string]: unknown };

/**
 * One corp's client. `call(path, body)` POSTs JSON (GET without a body) with `access_token`, and
 * resolves with the answer when `errcode` is 0; otherwise it throws a `WecomError`. Tokens are
 * fetched once for concurrent callers and renewed five minutes before WeCom says they expire.
 * @example const { tag_group } = await client.call('externalcontact/get_corp_tag_list', {});
 */
export class WecomClient {
  private cached: { token: string; expiresAt: number } | null = null;
  private fetching: Promise<string> | null = null;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly opts: WecomClientOptions) {
    this.fetchFn = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
  }

  /** Calls `/cgi-bin/<path>`; repeats once with a new token when WeCom refuses the current one. */
  async call(path: string, body?: unknown, query: Record<string, string> = {}): Promise<WecomAnswer> {
    const token = await this.token();
    try {
      return await this.send(path, body, { ...query, access_token: token });
    } catch (error) {
      if (!(error instanceof WecomError) || !tokenErrcodes.has(error.errcode)) throw error;
      this.invalidate(token);
      return this.send(path, body, { ...query, access_token: await this.token() });
    }
  }

  /** The current access token, fetched (once for concurrent callers) when missing or about to expire. */
  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - 5 * 60_000 > this.now()) return this.cached.token;
    this.fetching ??= this.fetchToken().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  /** Forgets a token WeCom refused (only if it is still the cached one: a newer one stays). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  private async fetchToken(): Promise<string> {
    const stored = await this.opts.tokens?.load();
    if (stored && stored.expiresAt.getTime() - 5 * 60_000 > this.now() && stored.token !== this.refused) {
      this.cached = { token: stored.token, expiresAt: stored.expiresAt.getTime() };
      return stored.token;
    }
    const answer = await this.send('gettoken', undefined, { corpid: this.opts.corpid, corpsecret: this.opts.secret });
    const token = String(answer.access_token ?? '');
    const expiresAt = this.now() + Number(answer.expires_in ?? 7200) * 1000;
    if (!token) throw new WecomError(-1, 'gettoken answered no access_token', 'gettoken');
    this.cached = { token, expiresAt };
    this.refused = null;
    await this.opts.tokens?.save(token, new Date(expiresAt));
    return token;
  }

  // The token WeCom last refused: a stored copy of it (another process saved it) is not reused.
  private refused: string | null = null;

  private async send(path: string, body: unknown, query: Record<string, string>): Promise<WecomAnswer> {
    const url = new URL(`cgi-bin/${path}`, this.opts.apiBase.endsWith('/') ? this.opts.apiBase : `${this.opts.apiBase}/`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // The message of a network error may carry the URL, and so the token: keep only its kind.
      throw new WecomError(-1, `network error (${(error as Error).name})`, path);
    }
    if (res.status >= 500 || res.status === 429) throw new WecomError(-1, `HTTP ${res.status}`, path);
    // WeCom answers 200 on every known path; anything else (404 from a wrong base URL, a proxy's 403)
    // will not heal by retrying, and a JSON body without errcode must not pass for success.
    if (res.status < 200 || res.status > 299) throw new WecomError(-1, `HTTP ${res.status}`, path, false);
    let answer: Record<string, unknown>;
    try {
      answer = (await res.json()) as Record<string, unknown>;
    } catch {
      throw new WecomError(-1, `HTTP ${res.status}, not JSON`, path);
    }
    const errcode = Number(answer.errcode ?? 0);
    if (errcode !== 0) {
      if (tokenErrcodes.has(errcode) && query.access_token) this.refused = query.access_token;
      throw new WecomError(errcode, String(answer.errmsg ?? ''), path);
    }
    return answer as WecomAnswer;
  }
}
