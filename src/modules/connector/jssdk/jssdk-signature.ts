import { createHash, randomBytes } from 'node:crypto';

/**
 * WeCom's JS-SDK signature: sha1 of `jsapi_ticket=<t>&noncestr=<n>&timestamp=<ts>&url=<url>`, the
 * keys in that order and the URL exactly as the page has it (without its `#fragment`).
 * @example jssdkSignature({ ticket, nonceStr: 'Wm3WZYTPz0wzccnW', timestamp: 1414587457, url: 'http://mp.weixin.qq.com?params=value' })
 */
export function jssdkSignature(input: { ticket: string; nonceStr: string; timestamp: number; url: string }): string {
  const plain = `jsapi_ticket=${input.ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${input.url}`;
  return createHash('sha1').update(plain).digest('hex');
}

const nonceAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 16-letter nonce (letters and digits, as WeCom's examples use). */
export function jssdkNonce(): string {
  return [...randomBytes(16)].map((b) => nonceAlphabet[b % nonceAlphabet.length]).join('');
}

/** The paths the sidebar is served at: `/sidebar` by the server, `/sidebar.html` by the dev server. */
const sidebarPaths = new Set(['/sidebar', '/sidebar/', '/sidebar.html']);

/**
 * Why `url` is not this server's sidebar page, or null when it is: http(s), the request's own host
 * (and port), the sidebar's path, no fragment and no credentials. A signature is only handed out for
 * our own page, so it cannot be used to vouch for another site.
 */
export function sidebarUrlProblem(url: string, requestHost: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be http or https';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  if (url.includes('#')) return 'must be sent without its #fragment';
  let ours: string;
  try {
    // Through URL too, so a default port (`:80` on http) compares equal to none.
    ours = new URL(`${parsed.protocol}//${requestHost}`).host;
  } catch {
    return 'must be on this server';
  }
  if (parsed.host !== ours) return `must be on this server (${ours})`;
  if (!sidebarPaths.has(parsed.pathname)) return 'must be the sidebar page (/sidebar)';
  return null;
}
