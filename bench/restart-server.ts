import { spawn } from 'node:child_process';

// Timing `tagloom serve` from spawn to /readyz 200, for P5's server start-up figures (bench/p5-index-build.ts)
// and their floor, a bare Fastify process (bench/trivial-server.ts) from spawn to listening.

/**
 * Milliseconds from spawn to the "serves" line and to the first /readyz 200, the difference (the
 * indexes' warm-up once the server listens), and how long the graceful stop took.
 */
export type ServerStart = { servesMs: number; readyMs: number; warmMs: number; stopMs: number };

/** A started server: its times from spawn to the "serves" line and to /readyz 200, and a stop that times itself. */
export type TimedServer = { servesMs: number; readyMs: number; stop: (signal: NodeJS.Signals) => Promise<number> };

/**
 * Spawns `tagloom serve` with exactly `env` (a caller passes `process.env` in if it wants it) and
 * resolves once /readyz answers 200, polling every `pollMs`.
 */
export async function startTimedServer(env: NodeJS.ProcessEnv, pollMs = 10): Promise<TimedServer> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/tagloom.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
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
  while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, pollMs));
  const readyMs = performance.now() - t0;
  const stop = async (signal: NodeJS.Signals) => {
    const s = performance.now();
    child.kill(signal);
    await exited;
    return performance.now() - s;
  };
  return { servesMs, readyMs, stop };
}

/**
 * Starts `tagloom serve` with `env` (DATABASE_URL or TAGLOOM_DATA_DIR), waits for /readyz, then
 * stops it with SIGTERM (which saves the audience index snapshots) and reports the times.
 */
export async function timeServerStart(env: Record<string, string>): Promise<ServerStart> {
  const server = await startTimedServer({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', TAGLOOM_DEMO_SECRET: 'bench-p5-secret', ...env });
  const stopMs = await server.stop('SIGTERM');
  return {
    servesMs: Math.round(server.servesMs),
    readyMs: Math.round(server.readyMs),
    warmMs: Math.round(server.readyMs - server.servesMs),
    stopMs: Math.round(stopMs),
  };
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
