import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consolePlugin } from './console.js';

describe('serving the built console', () => {
  let dir = '';
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tagloom-dist-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'sidebar.html'), '<!doctype html><title>sidebar</title>');
    writeFileSync(join(dir, 'assets', 'console-abc123.js'), 'console.log(1)');
    app = Fastify();
    // The API surfaces answer their own 404s inside their prefixes, as in the real app.
    await app.register(async (api) => api.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: { code: 'not_found' } })), { prefix: '/api/v1' });
    await app.register(consolePlugin, { dir });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the console at / and for its client routes, the sidebar at /sidebar, never cached, never framed (the sidebar by WeCom only)', async () => {
    for (const url of ['/', '/tags', '/tags?group=et1', '/customers/wm1']) {
      const res = await app.inject({ url, headers: { accept: 'text/html,*/*' } });
      expect({ url, status: res.statusCode, body: res.body }).toEqual({ url, status: 200, body: '<!doctype html><title>console</title>' });
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const sidebar = await app.inject({ url: '/sidebar?externalUserid=wm1', headers: { accept: 'text/html' } });
    expect(sidebar.body).toBe('<!doctype html><title>sidebar</title>');
    expect(sidebar.headers['content-security-policy']).toContain("frame-ancestors 'self'");
  });

  it('caches hashed assets for good, and leaves 404s to the API surfaces and to missing files', async () => {
    const asset = await app.inject({ url: '/assets/console-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/missing.js', headers: { accept: 'text/html' } })).statusCode).toBe(404);
    const api = await app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(api.json()).toEqual({ error: { code: 'not_found' } });
    expect((await app.inject({ url: '/cgi-bin/nope', headers: { accept: 'text/html' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/tags', headers: { accept: 'text/html' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/tags', headers: { accept: 'application/json' } })).statusCode).toBe(404);
  });
});
