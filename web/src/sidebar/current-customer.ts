/** Where the sidebar's customer came from, or why there is none. */
export type CurrentCustomer =
  | { externalUserid: string; via: 'jssdk' | 'query' }
  | { externalUserid: null; reason: 'no_customer' | 'jssdk_failed'; detail?: string };

/** What the sidebar needs of `@wecom/jssdk` (injected, so the fallback is testable without WeCom). */
export type WecomSdk = {
  register(options: {
    corpId: string;
    agentId: number | string;
    jsApiList: string[];
    getAgentConfigSignature: (url: string) => Promise<{ timestamp: number | string; nonceStr: string; signature: string }>;
  }): void;
  getCurExternalContact(): Promise<{ userId: string }>;
};

/** The server's agentConfig answer (`GET /connector/jssdk-config`). */
export type JssdkConfigDto = { corpId: string; agentId: number | null; timestamp: number; nonceStr: string; signature: string };

/** True inside the WeCom app (its webview's user agent says `wxwork`). */
export function insideWecom(userAgent: string): boolean {
  return /wxwork/i.test(userAgent);
}

/** The page URL as WeCom signs it: everything but the `#fragment`. */
export function signedUrl(href: string): string {
  return href.split('#')[0]!;
}

/**
 * The customer the sidebar is opened for. Inside WeCom: the JS-SDK's current external contact
 * (`ww.register` with the server-signed agentConfig, then `getCurExternalContact`). Outside WeCom,
 * or when that fails: `?externalUserid=`. Neither: no customer, with why (the JS-SDK's error).
 */
export async function resolveCurrentCustomer(env: {
  userAgent: string;
  href: string;
  fetchConfig: (url: string) => Promise<JssdkConfigDto>;
  loadSdk: () => Promise<WecomSdk>;
  timeoutMs?: number;
}): Promise<CurrentCustomer> {
  const fromQuery = new URL(env.href).searchParams.get('externalUserid')?.trim() || null;
  let failure: string | undefined;
  if (insideWecom(env.userAgent)) {
    try {
      const url = signedUrl(env.href);
      const config = await env.fetchConfig(url);
      if (config.agentId === null) throw new Error('the connection has no AgentId');
      const sdk = await env.loadSdk();
      sdk.register({
        corpId: config.corpId,
        agentId: config.agentId,
        jsApiList: ['getCurExternalContact'],
        // The first signature is the one just fetched; WeCom asks again only after a navigation.
        getAgentConfigSignature: async (asked) => (asked === url ? config : await env.fetchConfig(signedUrl(asked))),
      });
      // A webview without WeCom's bridge may never answer: give up after a while and fall back.
      const { userId } = await withTimeout(sdk.getCurExternalContact(), env.timeoutMs ?? 8000);
      if (userId) return { externalUserid: userId, via: 'jssdk' };
      failure = 'getCurExternalContact answered no userId';
    } catch (error) {
      failure = error instanceof Error ? error.message : typeof error === 'object' && error !== null ? JSON.stringify(error) : String(error);
    }
  }
  if (fromQuery) return { externalUserid: fromQuery, via: 'query' };
  return failure ? { externalUserid: null, reason: 'jssdk_failed', detail: failure } : { externalUserid: null, reason: 'no_customer' };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from the JS-SDK within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
