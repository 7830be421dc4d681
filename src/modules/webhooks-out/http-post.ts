import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './url-safety.js';

/** What one POST came to: the receiver's status, or why there was none. */
export type PostOutcome = { status: number | null; error: string | null };

/** The most of a receiver's answer that is read (then discarded): enough to finish the exchange politely. */
export const maxResponseBytes = 64 * 1024;

/**
 * POSTs `body` to a checked target, connecting to exactly the checked address whatever DNS says
 * now (the `lookup` is pinned, so a rebinding answer cannot redirect the connection; TLS still
 * verifies the certificate against the host name). Redirects are not followed: the status is
 * returned as is. Gives up after `timeoutMs` in all (connect, send, answer), and reads at most
 * 64 KiB of the answer.
 */
export function postJson(target: CheckedTarget, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<PostOutcome> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const { url } = target;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = client.request(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, 'content-length': String(body.length) },
        lookup: pinned,
        agent: false,
      },
      (response) => {
        let read = 0;
        const status = response.statusCode ?? null;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxResponseBytes) {
            response.destroy();
            finish({ status, error: null });
          }
        });
        response.on('end', () => finish({ status, error: null }));
        response.on('error', () => finish({ status, error: null }));
        response.on('close', () => finish({ status, error: null }));
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, error: `no answer within ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, error: error.code ? `${error.code}: ${error.message}` : error.message }));
    request.end(body);
  });
}
