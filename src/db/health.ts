// Socket errors and PostgreSQL states that mean "the connection is gone or cannot be made", as
// opposed to a statement that failed: class 08 (connection exception), 57P01–57P03 (terminated by an
// administrator, crash, or the server is starting/stopping), 53300 (too many connections).
const lostCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
// node-postgres reports a dropped or unusable connection by message only.
const lostMessages = /Connection terminated|not queryable|timeout exceeded when trying to connect|is not currently accepting connections/;

/**
 * Whether an error (or one it wraps: Drizzle puts the driver's error in `cause`) says the database
 * connection was lost or could not be made, rather than that a statement failed. Such a failure is
 * nobody's fault in the request or job and is worth retrying.
 */
export function isConnectionLost(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && lostCodes.has(code)) return true;
    if (typeof message === 'string' && lostMessages.test(message)) return true;
  }
  return false;
}

/** What `/readyz` reports of the database. */
export type DatabaseState = { up: true } | { up: false; reason: string };

type Listener = (state: DatabaseState) => void;

/**
 * Whether the database is reachable: answered for `/readyz` by a `select 1` at most once per
 * `cacheMs` (concurrent probes share it, and it gives up after `timeoutMs`), and told of lost
 * connections and new ones by the driver and the background loops, so that an outage is logged
 * once when it starts and once when it ends instead of by every failing poll. Without a ping
 * (PGlite, in this process) the database is always up.
 */
export class DatabaseHealth {
  private state: DatabaseState = { up: true };
  private probe: Promise<DatabaseState> | null = null;
  private probedAt = 0;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly ping: (() => Promise<unknown>) | null = null,
    private readonly opts: { cacheMs?: number; timeoutMs?: number } = {},
  ) {}

  /** Calls `fn` when the database goes down or comes back; returns the unsubscribe function. */
  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /**
   * Takes note of a failure seen anywhere: true when it is a lost connection (reported through
   * `onChange` once per outage, so the caller need not log it), false for any other error.
   */
  noteFailure(error: unknown): boolean {
    if (!isConnectionLost(error)) return false;
    this.set({ up: false, reason: error instanceof Error ? error.message : String(error) });
    return true;
  }

  /** A connection was just made: the database is reachable (again). */
  noteConnected(): void {
    this.set({ up: true });
  }

  /** The database's state now, from a recent ping. */
  async check(): Promise<DatabaseState> {
    if (!this.ping) return this.state;
    if (this.probe) return this.probe;
    if (Date.now() - this.probedAt < (this.opts.cacheMs ?? 1000)) return this.state;
    this.probe = this.runProbe(this.ping).finally(() => {
      this.probe = null;
      this.probedAt = Date.now();
    });
    return this.probe;
  }

  private async runProbe(ping: () => Promise<unknown>): Promise<DatabaseState> {
    const timeoutMs = this.opts.timeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([ping(), timeout]);
      this.set({ up: true });
    } catch (error) {
      this.set({ up: false, reason: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
    return this.state;
  }

  private set(next: DatabaseState): void {
    const changed = next.up !== this.state.up;
    this.state = next;
    if (changed) for (const fn of this.listeners) fn(next);
  }
}
