import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

// PGlite is PostgreSQL in one process: two processes on one data directory each replay and write
// the same files and one's writes are lost. Every opener of a directory takes this lock first.
//
// Why generations. A lock file made with O_EXCL is atomic, but taking over a stale one is not: two
// openers that both find it stale both delete it and both create a new one. Here the lock is the
// highest-numbered file `N.json` in `tagloom-lock/`. An opener that finds N stale (or none) creates
// N+1 with link(2), which fails if the name exists, so of two openers racing past the same stale
// holder exactly one wins. A winner deletes the files below N but keeps N: a directory listing taken
// while N+1 is being created may miss N+1, and must then still see N, so that its owner tries N+1 too
// and loses. A holder deletes its own file on release and at process exit.
//
// Why the holder is judged alive by more than its pid: after a kill -9 the pid may belong to another
// process by now, so the process's start time and the machine's boot id are recorded and compared
// too. A pid means something only in its own pid namespace on its own host: a holder in another
// container (even one with the same hostname) or on another host cannot be looked up. It refreshes
// its file's mtime every 5 s and is presumed dead 30 s after the last refresh (generous, since a
// long synchronous PGlite statement holds up the refresh); a container restarted after a kill -9
// is in a new pid namespace, so its server waits out that time (its restart policy retries).

const lockFolder = 'tagloom-lock';
const heartbeatMs = 5_000;
const foreignStaleMs = 30_000;

/** Who holds a data directory: the process, where it runs, and what it is doing (for the refusal message). */
export type LockHolder = {
  pid: number;
  startTime: string | null;
  bootId: string | null;
  pidNs?: string | null;
  host: string;
  command: string;
  url?: string;
  since: string;
};

/** Another live process holds the data directory; `holder` says which and what it is doing. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
    /** For a holder this process cannot look up (another host or container): when its lock expires unless refreshed. */
    readonly expiresInMs: number | null = null,
  ) {
    super(`The data directory ${dir} is in use by ${describeHolder(holder)}.`);
    this.name = 'DataDirBusyError';
  }
}

/** One line naming the holder, e.g. `pid 4242 (tagloom serve on http://127.0.0.1:3000, since …)`. */
export function describeHolder(h: LockHolder): string {
  const where = h.host === hostname() ? '' : ` on host ${h.host}`;
  return `pid ${h.pid}${where} (${h.command}${h.url ? ` on ${h.url}` : ''}, since ${h.since})`;
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function readLinkOptional(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

const bootId = readOptional('/proc/sys/kernel/random/boot_id');
const pidNs = readLinkOptional('/proc/self/ns/pid');

/** A process's start time in clock ticks since boot (Linux); null where /proc is not available. */
function startTimeOf(pid: number): string | null {
  const stat = readOptional(`/proc/${pid}/stat`);
  // Field 22; the command name (field 2) may hold spaces and parentheses, so count from its closing one.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

// The directories this process holds, so that a second open here is refused and exit releases them.
const heldHere = new Map<string, DataDirLock>();
let exitHookInstalled = false;

/** Whether the holder still runs: null when it does not, else how long its lock lasts without a refresh (Infinity: checked by pid). */
function aliveFor(dir: string, file: string, h: LockHolder): number | null {
  const sameHost = h.host === hostname();
  if (sameHost && h.bootId && bootId && h.bootId !== bootId) return null; // the machine restarted since
  if (!sameHost || (h.pidNs ?? null) !== pidNs) {
    let left = 0;
    try {
      left = foreignStaleMs - (Date.now() - statSync(file).mtimeMs);
    } catch {
      // released meanwhile
    }
    return left > 0 ? left : null;
  }
  if (h.pid === process.pid) return heldHere.has(dir) ? Infinity : null;
  try {
    process.kill(h.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return null;
  }
  const now = startTimeOf(h.pid);
  return h.startTime && now && now !== h.startTime ? null : Infinity;
}

function generations(folder: string): number[] {
  return readdirSync(folder)
    .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already: another opener cleaned it up
  }
}

/**
 * An exclusive, stale-safe lock on a PGlite data directory, held from `acquire` to `release` (or
 * to process exit). Atomic: of several processes starting at once exactly one gets it; a holder
 * killed with -9 is recognised as dead and taken over without a manual step.
 */
export class DataDirLock {
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    readonly dir: string,
    private readonly file: string,
    private holder: LockHolder,
  ) {}

  /**
   * Takes the lock on `dataDir` for `command` (shown to whoever is refused), or throws
   * `DataDirBusyError` naming the live holder.
   */
  static acquire(dataDir: string, command: string): DataDirLock {
    const dir = resolve(dataDir);
    const folder = join(dir, lockFolder);
    mkdirSync(folder, { recursive: true });
    const holder: LockHolder = {
      pid: process.pid,
      startTime: startTimeOf(process.pid),
      bootId,
      pidNs,
      host: hostname(),
      command,
      since: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 50; attempt++) {
      const gens = generations(folder);
      const top = gens[0] ?? 0;
      if (top > 0) {
        const path = join(folder, `${top}.json`);
        const text = readOptional(path);
        if (text === null) continue; // released meanwhile: look again
        let current: LockHolder | null = null;
        try {
          current = JSON.parse(text) as LockHolder;
        } catch {
          // not a lock we wrote: no one can be holding it
        }
        const left = current ? aliveFor(dir, path, current) : null;
        if (current && left !== null) throw new DataDirBusyError(dir, current, Number.isFinite(left) ? left : null);
      }
      const temp = join(folder, `tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
      writeFileSync(temp, JSON.stringify(holder));
      const file = join(folder, `${top + 1}.json`);
      try {
        linkSync(temp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        continue; // another opener took this generation first: judge it as the holder now
      } finally {
        unlinkQuietly(temp);
      }
      for (const g of gens) if (g < top) unlinkQuietly(join(folder, `${g}.json`));
      const lock = new DataDirLock(dir, file, holder);
      lock.startHeartbeat();
      heldHere.set(dir, lock);
      if (!exitHookInstalled) process.on('exit', releaseAll);
      exitHookInstalled = true;
      return lock;
    }
    throw new Error(`Could not take the lock on ${dir}: it changed hands 50 times while trying.`);
  }

  /** Adds what the holder is doing now (the server's address once it listens) to the lock file. */
  note(extra: Pick<LockHolder, 'url'>): void {
    this.holder = { ...this.holder, ...extra };
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify(this.holder));
    renameSync(temp, this.file); // atomic: a reader sees the old or the new holder, never half of one
  }

  /** Gives the directory up; a no-op when already released. */
  release(): void {
    if (heldHere.get(this.dir) !== this) return;
    heldHere.delete(this.dir);
    if (this.timer) clearInterval(this.timer);
    unlinkQuietly(this.file);
  }

  private startHeartbeat(): void {
    this.timer = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(this.file, now, now);
      } catch {
        // the folder was removed under us; nothing to refresh
      }
    }, heartbeatMs);
    this.timer.unref();
  }
}

function releaseAll(): void {
  for (const lock of [...heldHere.values()]) lock.release();
}
