import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the test receiver got: its headers and raw body. */
export type Received = { path: string; headers: IncomingHttpHeaders; body: Buffer; json: any };

/** How the receiver answers: a status (200, 500, 302…) or never (`hang`, for timeouts). */
export type ReceiverMode = number | 'hang';

/**
 * A local webhook receiver on 127.0.0.1 (allowed in tests through `allowPrivateWebhooks`): records
 * every request and answers with `mode`. `url(path)` is where a subscription points.
 */
export async function startReceiver(): Promise<{
  url: (path?: string) => string;
  received: Received[];
  setMode: (m: ReceiverMode) => void;
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  let mode: ReceiverMode = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body.toString('utf8')) });
      if (mode === 'hang') return;
      res.writeHead(mode, mode >= 300 && mode < 400 ? { location: 'http://127.0.0.1:1/elsewhere' } : {});
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    setMode: (m) => {
      mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}
