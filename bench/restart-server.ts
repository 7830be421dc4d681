import { spawn } from 'node:child_process';

// Timing `tagloom serve` from spawn to /readyz 200, for P5's server start-up figures (bench/p5-index-build.ts)
// and their floor, a bare Fastify process (bench/trivial-server.ts) from spawn to listening.

/**
 * Milliseconds from spawn to the "serves" line and to the first /readyz 200, the difference (the
 * indexes' warm-up once the server listens), and how long the graceful stop took.
 */
export type ServerStart = { servesMs: number; readyMs: number; warmMs: number; stopMs: number };

/**
 * Starts `tagloom serve` with `env` (DATABASE_URL or TAGLOOM_DATA_DIR), waits for /readyz, then
 * stops it with SIGTERM (which saves the audience index snapshots) and reports the times.
 */
export async function timeServerStart(env: Record<string, string>): Promise<ServerStart> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/tagloom.js', 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', TAGLOOM_DEMO_SECRET: 'bench-p5-secret', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Tagloom serves (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`the server ended before serving:\n${out}`)));
  });
  const servesMs = performance.now() - t0;
  while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 10));
  const readyMs = performance.now() - t0;
  const s = performance.now();
  child.kill('SIGTERM');
  await exited;
  return { servesMs: Math.round(servesMs), readyMs: Math.round(readyMs), warmMs: Math.round(readyMs - servesMs), stopMs: Math.round(performance.now() - s) };
}

/** The floor of a server start on this machine: node + tsx + Fastify from spawn to listening (bench/trivial-server.ts). */
export async function timeBareServerStart(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/trivial-server.ts'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void exited.then(() => reject(new Error('the bare server ended before listening')));
  });
  const ms = performance.now() - t0;
  child.kill('SIGTERM');
  await exited;
  return Math.round(ms);
}
