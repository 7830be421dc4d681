import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DataDirBusyError, DataDirLock, type LockHolder } from './data-dir-lock.js';

const root = mkdtempSync(join(tmpdir(), 'tagloom-lock-'));
let n = 0;
const freshDir = () => join(root, `d${++n}`);
const held: DataDirLock[] = [];
const take = (dir: string, command = 'test') => {
  const lock = DataDirLock.acquire(dir, command);
  held.push(lock);
  return lock;
};

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Leaves a lock file as a holder that never released it would (killed with -9, or on another host). */
function plantHolder(dir: string, holder: Partial<LockHolder>, generation = 1): string {
  mkdirSync(join(dir, 'tagloom-lock'), { recursive: true });
  const file = join(dir, 'tagloom-lock', `${generation}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      pid: 1,
      startTime: null,
      bootId: null,
      pidNs: ownPidNs,
      host: hostname(),
      command: 'tagloom serve',
      since: '2026-01-01T00:00:00.000Z',
      ...holder,
    }),
  );
  return file;
}

/** The pid of a process that has ended (and, this soon, not been reused). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const proc = existsSync('/proc/self/stat');
const ownPidNs = proc ? readlinkSync('/proc/self/ns/pid') : null;

describe('the data directory lock', () => {
  it('is exclusive: a second opener, in this process or named in the refusal, gets DataDirBusyError', () => {
    const dir = freshDir();
    const lock = take(dir, 'tagloom serve');
    lock.note({ url: 'http://127.0.0.1:3000' });
    let refusal: unknown;
    try {
      DataDirLock.acquire(dir, 'tagloom import');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirBusyError);
    expect((refusal as DataDirBusyError).holder).toMatchObject({ pid: process.pid, command: 'tagloom serve', url: 'http://127.0.0.1:3000' });
    expect((refusal as Error).message).toContain(`pid ${process.pid} (tagloom serve on http://127.0.0.1:3000`);
    lock.release();
    expect(() => take(dir)).not.toThrow();
  });

  it('is taken over from a holder that died without releasing it (kill -9)', () => {
    const dir = freshDir();
    plantHolder(dir, { pid: deadPid() });
    const lock = take(dir);
    expect(readdirSync(join(dir, 'tagloom-lock')).sort()).toEqual(['1.json', '2.json']);
    lock.release();
    // Released: the stale generation below stays (see the module's comment), ours is gone.
    expect(readdirSync(join(dir, 'tagloom-lock'))).toEqual(['1.json']);
  });

  it.runIf(proc)('is taken over when the holder’s pid now belongs to another process (pid reused), and refused while it is the same process', () => {
    const startTime = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;
    const other = process.ppid;
    const reused = freshDir();
    plantHolder(reused, { pid: other, startTime: String(Number(startTime(other)) + 1) });
    expect(() => take(reused)).not.toThrow();
    const same = freshDir();
    plantHolder(same, { pid: other, startTime: startTime(other) });
    expect(() => take(same)).toThrow(DataDirBusyError);
  });

  it('is taken over when the holder had this process’s pid (a restarted container) or ran before the machine restarted', () => {
    const restartedContainer = freshDir();
    plantHolder(restartedContainer, { pid: process.pid, startTime: 'earlier' });
    expect(() => take(restartedContainer)).not.toThrow();
    const beforeReboot = freshDir();
    plantHolder(beforeReboot, { pid: process.ppid, bootId: 'another-boot' });
    if (proc) expect(() => take(beforeReboot)).not.toThrow();
  });

  it('trusts a holder it cannot look up (another host, or another container of the same name) while it refreshes its lock, and takes over 30 s after it stopped', () => {
    for (const holder of [{ host: 'another-host' }, { pidNs: 'pid:[another container]' }]) {
      const dir = freshDir();
      const file = plantHolder(dir, { ...holder, pid: process.pid });
      let refusal: unknown;
      try {
        take(dir);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(DataDirBusyError);
      expect((refusal as DataDirBusyError).expiresInMs).toBeGreaterThan(25_000);
      const aMinuteAgo = new Date(Date.now() - 60_000);
      utimesSync(file, aMinuteAgo, aMinuteAgo);
      expect(() => take(dir)).not.toThrow();
    }
  });

  it('refreshes its own lock file every 5 s, so that an opener elsewhere sees it alive', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const dir = freshDir();
      take(dir);
      const file = join(dir, 'tagloom-lock', readdirSync(join(dir, 'tagloom-lock'))[0]!);
      const longAgo = new Date(Date.now() - 60_000);
      utimesSync(file, longAgo, longAgo);
      vi.advanceTimersByTime(5_000);
      expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(5_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores a lock file it cannot read as a holder', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'tagloom-lock'), { recursive: true });
    writeFileSync(join(dir, 'tagloom-lock', '7.json'), 'not json');
    take(dir);
    expect(readdirSync(join(dir, 'tagloom-lock'))).toContain('8.json');
  });
});

describe('several processes starting at once on one data directory', () => {
  const child = fileURLToPath(new URL('./lock-race-child.ts', import.meta.url));
  const contenders = 4;
  const rounds = 12;

  /** Starts a contender and returns a function that sends it a line and waits for its answer. */
  function contender(): { ask: (line: string) => Promise<string>; proc: ChildProcessWithoutNullStreams } {
    const p = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['pipe', 'pipe', 'pipe'] });
    const answers: string[] = [];
    const waiting: ((answer: string) => void)[] = [];
    let buffered = '';
    p.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        const next = waiting.shift();
        if (next) next(line);
        else answers.push(line);
      }
    });
    const ask = (line: string) =>
      new Promise<string>((resolve) => {
        waiting.push(resolve);
        p.stdin.write(`${line}\n`);
      });
    return { ask, proc: p };
  }

  it('lets exactly one of them have it, with and without a stale holder to take over', async () => {
    const procs = Array.from({ length: contenders }, contender);
    try {
      for (let round = 0; round < rounds; round++) {
        const dir = freshDir();
        if (round % 2 === 1) plantHolder(dir, { pid: deadPid() }, round);
        const answers = await Promise.all(procs.map((c) => c.ask(`go ${dir}`)));
        expect(
          answers.filter((a) => a === 'won'),
          `round ${round}: ${answers.join(', ')}`,
        ).toHaveLength(1);
        expect(answers.filter((a) => a === 'busy')).toHaveLength(contenders - 1);
        await Promise.all(procs.map((c) => c.ask('release')));
      }
    } finally {
      for (const c of procs) c.proc.kill();
    }
  }, 120_000);
});
