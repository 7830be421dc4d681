import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The `tagloom` command, run as a user runs it. */
export const tagloomBin = join(import.meta.dirname, '..', '..', 'bin', 'tagloom.js');

/** A spawned process with what it has printed so far and a promise of how it ended. */
export type Spawned = {
  proc: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first. */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
};

/**
 * Spawns `node ARGS` (with `--import tsx` for a TypeScript file) in `env` on top of this process's
 * environment, collecting its output. Tests use it to run the server and the CLI for real.
 */
export function spawnNode(args: string[], env: Record<string, string>): Spawned {
  const tsx = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...tsx, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...watchers]) {
      const match = out.match(w.pattern);
      if (match) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(match);
      }
    }
  });
  proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const now = out.match(pattern);
      if (now) return resolve(now);
      watchers.push({ pattern, resolve });
      void exited.then(({ code, signal }) => reject(new Error(`the process ended (${code ?? signal}) before printing ${pattern}:\n${out}\n${err}`)));
    });
  return { proc, stdout: () => out, stderr: () => err, exited, waitFor };
}

/** Runs `tagloom ARGS` to the end and returns its exit code and output. */
export async function runTagloom(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = spawnNode([tagloomBin, ...args], env);
  run.proc.stdin.end();
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Starts `tagloom serve` and waits until it listens; answers the process and its base URL. */
export async function startTagloomServer(env: Record<string, string>, script: string[] = [tagloomBin, 'serve']): Promise<Spawned & { url: string }> {
  const server = spawnNode(script, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
  const [, url] = await server.waitFor(/Tagloom serves (http:\/\/\S+)/);
  return { ...server, url: url! };
}
