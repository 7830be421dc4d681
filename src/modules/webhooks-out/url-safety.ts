import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Why a URL is refused, for the `webhook_url_forbidden` detail. */
export type UrlRefusal = { reason: string };

/** A URL that passed: where to connect (the checked address) and what to send as Host / SNI. */
export type CheckedTarget = { url: URL; address: string; family: 4 | 6 };

/** How the host's addresses are found; tests inject one, production asks the system resolver for all of them. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

/** How long a host name may take to resolve: a stalled DNS server must not hold a request (or a transaction) for long. */
export const resolveTimeoutMs = 3000;

const systemResolver: Resolver = (host) => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS timeout')), resolveTimeoutMs);
  });
  return Promise.race([lookup(host, { all: true, verbatim: true }), late]).finally(() => clearTimeout(timer));
};

/**
 * Why an address may not be a webhook target, or null when it may: only global unicast passes.
 * Loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, the cloud metadata
 * address among them), CGNAT, unspecified, multicast, broadcast, reserved, IPv6 ULA and link-local,
 * and IPv4 embedded in IPv6 (mapped, NAT64, 6to4, Teredo) all read as internal, since a
 * webhook must not become a way to reach the server's own network.
 */
export function forbiddenAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? null : `${ip.toString()} is a ${range} address`;
}

/**
 * The URL's shape: http or https only, no user:password (it would leak into logs and proxies),
 * a host. Returns the parsed URL or the refusal.
 */
export function checkUrlShape(raw: string): URL | UrlRefusal {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: 'not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: `the scheme must be http or https, not ${url.protocol.replace(/:$/, '')}` };
  if (url.username !== '' || url.password !== '') return { reason: 'the URL must not carry a user name or password' };
  if (url.hostname === '') return { reason: 'the URL has no host' };
  return url;
}

/** The host without IPv6 brackets, as the resolver and `ipaddr.js` take it. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a URL fully: its shape, then every address of its host (the literal, or all that DNS
 * answers, so one private answer among public ones is refused too). `allowPrivate` skips the address
 * rule (tests, intranet receivers) but not the shape. The first address is where to connect: the
 * sender connects to exactly that address, so a DNS answer that changes between check and
 * connection (rebinding) cannot redirect it.
 */
export async function checkTarget(raw: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<CheckedTarget | UrlRefusal> {
  const url = checkUrlShape(raw);
  if ('reason' in url) return url;
  const host = bareHost(url);
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { reason: `the host ${host} does not resolve` };
    }
    if (addresses.length === 0) return { reason: `the host ${host} does not resolve` };
  }
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const why = forbiddenAddressReason(address);
      if (why) return { reason: ipaddr.isValid(host) ? why : `${host} → ${why}` };
    }
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
