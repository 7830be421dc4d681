import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { importBodyLimit } from '../modules/imports/imports.routes.js';
import { describeDb } from '../test/db.js';
import { buildCorp } from '../test/factories.js';
import { RawConnection, rawUpload, type UploadResult } from './raw-http.test-support.js';

const tenMegabytes = 10 * 1024 * 1024;

describeDb('bodies over the limit, over real sockets: a clean answer, never a reset', (db) => {
  let app: FastifyInstance;
  let port: number;
  let secret: string;
  let token: string;

  beforeAll(async () => {
    app = await buildApp({ db: db().db, runJobs: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    const corp = await buildCorp(db().db);
    secret = corp.secret;
    token = (await app.inject({ url: `/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${corp.secret}` })).json().access_token;
  });
  afterAll(async () => {
    await app?.close();
  });

  const surfaces = {
    native: {
      path: () => '/api/v1/tag-groups',
      headers: () => ({ authorization: `Bearer ${secret}` }),
      check: (result: UploadResult) => {
        const last = result.responses.at(-1)!;
        expect(last.status).toBe(413);
        expect(JSON.parse(last.body).error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('4194304 bytes') });
      },
    },
    wecom: {
      path: () => `/cgi-bin/externalcontact/add_corp_tag?access_token=${token}`,
      headers: () => ({}),
      // WeCom answers every known path with HTTP 200; a body too long is its 40058.
      check: (result: UploadResult) => {
        const last = result.responses.at(-1)!;
        expect(last.status).toBe(200);
        expect(JSON.parse(last.body)).toMatchObject({ errcode: 40058, errmsg: expect.stringContaining('larger than 4194304 bytes'), tag_group: {} });
      },
    },
  };

  /** The connection still carries requests: a probe on it is answered. */
  async function stillServes(connection: RawConnection) {
    await connection.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    expect((await connection.readResponse())?.status).toBe(200);
  }

  const framings = [
    { framing: 'content-length', chunked: false },
    { framing: 'chunked', chunked: true },
  ];

  for (const [surface, s] of Object.entries(surfaces)) {
    for (const { framing, chunked } of framings) {
      it(`${surface}, ${framing}, keep-alive: the answer arrives and the connection serves the next request`, async () => {
        const connection = await RawConnection.open(port);
        const result = await rawUpload(connection, { path: s.path(), headers: s.headers(), size: tenMegabytes, chunked });
        expect(result.error).toBeUndefined();
        s.check(result);
        await stillServes(connection);
        connection.destroy();
      });

      it(`${surface}, ${framing}, Connection: close: the answer arrives, then the server closes without a reset`, async () => {
        const connection = await RawConnection.open(port);
        const result = await rawUpload(connection, { path: s.path(), headers: { ...s.headers(), connection: 'close' }, size: tenMegabytes, chunked });
        s.check(result);
        connection.end();
        expect(await connection.waitClosed()).toBe(true);
        expect(connection.error).toBeUndefined();
      });
    }

    it(`${surface}, Expect: 100-continue with a length over the limit: answered at once, the body never invited`, async () => {
      const connection = await RawConnection.open(port);
      const result = await rawUpload(connection, { path: s.path(), headers: s.headers(), size: tenMegabytes, expectContinue: true });
      expect(result.continued).toBe(false);
      s.check(result);
      expect(result.closed).toBe(true);
      expect(connection.error).toBeUndefined();
    });

    it(`${surface}, Expect: 100-continue, chunked: the body is invited, drained, answered, and the connection kept`, async () => {
      const connection = await RawConnection.open(port);
      const result = await rawUpload(connection, { path: s.path(), headers: s.headers(), size: tenMegabytes, chunked: true, expectContinue: true });
      expect(result.continued).toBe(true);
      expect(result.error).toBeUndefined();
      s.check(result);
      await stillServes(connection);
      connection.destroy();
    });

    it(`${surface}, through fetch (keep-alive): the answer, not a network error`, async () => {
      const res = await fetch(`http://127.0.0.1:${port}${s.path()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...s.headers() },
        body: Buffer.alloc(tenMegabytes, 'a'),
      });
      s.check({ responses: [{ status: res.status, headers: {}, body: await res.text() }], continued: false, closed: false });
    });
  }

  it('an upload refused before its body is read (no credentials) is answered 401 and the body drained', async () => {
    const connection = await RawConnection.open(port);
    const result = await rawUpload(connection, { path: '/api/v1/tag-groups', size: tenMegabytes });
    expect(result.error).toBeUndefined();
    expect(result.responses.map((r) => r.status)).toEqual([401]);
    await stillServes(connection);
    connection.destroy();
  });

  it('with Expect: 100-continue and no credentials, the body is never invited', async () => {
    const connection = await RawConnection.open(port);
    const result = await rawUpload(connection, { path: '/api/v1/tag-groups', size: tenMegabytes, expectContinue: true });
    expect({ continued: result.continued, statuses: result.responses.map((r) => r.status), closed: result.closed, error: connection.error }).toEqual({
      continued: false,
      statuses: [401],
      closed: true,
      error: undefined,
    });
  });

  it('an import (its own 50 MB limit) over the limit is a 413 too', async () => {
    const connection = await RawConnection.open(port);
    const result = await rawUpload(connection, {
      path: '/api/v1/imports',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'text/csv' },
      size: importBodyLimit + 1,
    });
    expect(result.error).toBeUndefined();
    expect(result.responses.at(-1)?.status).toBe(413);
    expect(JSON.parse(result.responses.at(-1)!.body).error.code).toBe('payload_too_large');
    await stillServes(connection);
    connection.destroy();
  });
});
