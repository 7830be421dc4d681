import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { seedDemoCorp } from './demo/seed-demo.js';
import { describeDb } from './test/db.js';

const root = new URL('..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** The fenced ```sh blocks of a markdown file, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/**
 * The audience expressions a README gives as examples: inline code in a paragraph that says
 * "Examples:" or "e.g.", where the span starts like an expression (a condition keyword, `not` or a
 * parenthesis). Grammar fragments elsewhere (`not tag:T`) are explanations, not examples.
 */
function exampleExpressions(markdown: string): string[] {
  const starts = /^(\(|not |!|tag:|group:|groupchat:|event:|source\b|state:|added:|region:|province:|city:|company[:~]|attr\.|dept:|follower:|gender:)/;
  const paragraphs = markdown.split(/\n\s*\n/).filter((p) => /Examples:|e\.g\./.test(p));
  return paragraphs.flatMap((p) => [...p.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s*\n\s*/g, ' '))).filter((span) => starts.test(span));
}

/** Runs a bash script without blocking the event loop (the server under test lives in this process). */
function runBash(script: string, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { PATH: process.env.PATH, HOME: cwd } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

// The quick start (`npm ci && npm start`, `npm test`) installs and serves; CI runs exactly those.
// Every other shell block is run here, in order, in one shell, against the demo corp.
const installs = /\bnpm (ci|start|test|run)\b/;

describeDb('the READMEs run as printed against the demo corp', (db) => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    await seedDemoCorp(db().db, {});
    app = await buildApp({ db: db().db, listen: db().listen, dbKind: db().kind });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('every shell block of README.md succeeds, with no error in any answer', async () => {
    const blocks = shellBlocks(read('README.md')).filter((b) => !installs.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const dir = mkdtempSync(join(tmpdir(), 'tagloom-readme-'));
    try {
      // Each block's output is fenced by a marker line so every answer is checked against its block.
      const script = blocks.map((b, i) => `${b.replaceAll('http://localhost:3000', base)}\necho; echo "@@block ${i}"`).join('\n');
      const run = await runBash(script, dir);
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      const outputs = run.stdout.split(/^@@block \d+$/m);
      expect(outputs.length - 1).toBe(blocks.length);
      blocks.forEach((block, i) => {
        const out = outputs[i]!;
        expect(out, `block ${i}:\n${block}`).not.toMatch(/"error":\s*\{|"errcode":\s*-?[1-9]/);
        expect(out.trim(), `block ${i} printed nothing:\n${block}`).not.toBe('');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every audience expression shown in the READMEs counts on the demo corp', async () => {
    const spans = [...exampleExpressions(read('README.md')), ...exampleExpressions(read('src/modules/audiences/expression/README.md'))];
    expect(spans.length).toBeGreaterThanOrEqual(8);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { corpId: 'ww-demo', username: 'd12u1', password: 'demo-admin-2026' },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const refused: string[] = [];
    for (const text of spans) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/audiences/count', headers: { cookie }, payload: { text } });
      if (res.statusCode !== 200) refused.push(`${text} → ${res.statusCode} ${res.body}`);
    }
    expect(refused).toEqual([]);
  });
});
