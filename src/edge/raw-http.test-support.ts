import net from 'node:net';

/** One HTTP/1.1 response as read off the socket. */
export type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** What a raw upload saw: every response in order, whether a `100 Continue` came, and any socket error. */
export type UploadResult = { responses: RawResponse[]; continued: boolean; error?: string; closed: boolean };

/**
 * A bare HTTP/1.1 connection for tests that need what `inject` cannot show: how the server treats
 * the socket (resets, keep-alive, `100 Continue`) while a large body is still being sent.
 */
export class RawConnection {
  private readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  error?: string;
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error ??= error.code ?? error.message;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connects to the server on 127.0.0.1. */
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private until(test: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(test()), timeoutMs);
      const check = () => {
        if (test() || this.closed) {
          clearTimeout(timer);
          resolve(test());
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Writes bytes, waiting for the socket to take them; a write error (EPIPE, ECONNRESET) is recorded, not thrown. */
  write(bytes: Buffer | string): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed || this.socket.writableEnded) return resolve();
      this.socket.write(bytes, (error) => {
        if (error) this.error ??= (error as NodeJS.ErrnoException).code ?? error.message;
        resolve();
      });
    });
  }

  /** Reads one response (a content-length or chunked body; informational `1xx` ones included), or undefined if none arrives in time. */
  async readResponse(timeoutMs = 10_000): Promise<RawResponse | undefined> {
    let parsed: { response: RawResponse; length: number } | undefined;
    await this.until(() => (parsed = parseResponse(this.buffer)) !== undefined, timeoutMs);
    if (!parsed) return undefined;
    this.buffer = this.buffer.subarray(parsed.length);
    return parsed.response;
  }

  /** Waits until the server closes the connection; true if it did within the time. */
  waitClosed(timeoutMs = 15_000): Promise<boolean> {
    return this.until(() => this.closed, timeoutMs);
  }

  /** Closes the client side. */
  end(): void {
    this.socket.end();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }
}

function parseResponse(buffer: Buffer): { response: RawResponse; length: number } | undefined {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...lines] = buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(statusLine!.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let at = headEnd + 4;
  if (status < 200) return { response: { status, headers, body: '' }, length: at };
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
      if (size === 0) return { response: { status, headers, body: Buffer.concat(parts).toString('utf8') }, length: at };
    }
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.length < at + length) return undefined;
  return { response: { status, headers, body: buffer.subarray(at, at + length).toString('utf8') }, length: at + length };
}

/**
 * Sends a POST whose body is `size` bytes, as a content length or in 64 KiB chunks, optionally with
 * `Expect: 100-continue` (then the body goes only after a `100 Continue`), and reads the answer.
 * The body is written while the server may already be answering, as a real client does.
 */
export async function rawUpload(
  connection: RawConnection,
  opts: { path: string; headers?: Record<string, string>; size: number; chunked?: boolean; expectContinue?: boolean },
): Promise<UploadResult> {
  const headers: Record<string, string> = { host: '127.0.0.1', 'content-type': 'application/json', ...opts.headers };
  if (opts.chunked) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = String(opts.size);
  if (opts.expectContinue) headers.expect = '100-continue';
  await connection.write(
    `POST ${opts.path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`,
  );

  const responses: RawResponse[] = [];
  let continued = false;
  if (opts.expectContinue) {
    const first = await connection.readResponse();
    if (first) {
      if (first.status === 100) continued = true;
      else responses.push(first);
    }
    if (!continued) return { responses, continued, error: connection.error, closed: await connection.waitClosed() };
  }
  const chunk = Buffer.alloc(64 * 1024, 'a');
  for (let sent = 0; sent < opts.size && !connection.error; sent += chunk.length) {
    const piece = chunk.subarray(0, Math.min(chunk.length, opts.size - sent));
    await connection.write(opts.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
  }
  if (opts.chunked) await connection.write('0\r\n\r\n');
  const response = await connection.readResponse();
  if (response) responses.push(response);
  return { responses, continued, error: connection.error, closed: connection.closed };
}
