import { EventEmitter } from 'node:events';

/** Where a job stands, as the progress stream and the detail report it. */
export type ProgressSnapshot = {
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  done: number;
  total: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
};

/** Whether a status is final (the stream ends on it). */
export function isTerminal(status: ProgressSnapshot['status']): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** Relations per second since the start and the seconds left at that pace; null until there is a pace. */
export function rateAndEta(
  done: number,
  total: number,
  startedAtMs: number | null,
  nowMs = Date.now(),
): { ratePerSecond: number | null; etaSeconds: number | null } {
  if (startedAtMs === null || done <= 0) return { ratePerSecond: null, etaSeconds: null };
  const seconds = Math.max((nowMs - startedAtMs) / 1000, 0.001);
  const rate = done / seconds;
  return { ratePerSecond: Math.round(rate * 10) / 10, etaSeconds: Math.max(0, Math.round(((total - done) / rate) * 10) / 10) };
}

type Live = { status: ProgressSnapshot['status']; done: number; total: number; startedAtMs: number };

/**
 * The progress of the jobs this process runs, in memory: the worker reports every chunk here and
 * progress streams listen, so a stream sees each step even on PGlite, where the database is held
 * by the job's transaction until it ends. Jobs of other processes are seen by polling the row.
 */
export class ProgressHub extends EventEmitter {
  private readonly live = new Map<string, Live>();

  constructor() {
    super();
    // Every open progress stream adds a listener; there is no leak to warn about.
    this.setMaxListeners(0);
  }

  /** The event name a stream listens on for one operation. */
  static key(corpId: string, operationId: string): string {
    return `${corpId}/${operationId}`;
  }

  /** Records a step and tells listeners; a final status is announced once, then forgotten. */
  report(corpId: string, operationId: string, patch: Partial<Omit<Live, 'startedAtMs'>> & { startedAtMs?: number }): void {
    const key = ProgressHub.key(corpId, operationId);
    const prev = this.live.get(key) ?? { status: 'running', done: 0, total: 0, startedAtMs: Date.now() };
    const next = { ...prev, ...patch };
    if (isTerminal(next.status)) this.live.delete(key);
    else this.live.set(key, next);
    this.emit(key, this.snapshotOf(next));
  }

  /** The live snapshot of a job running in this process, if any. */
  get(corpId: string, operationId: string): ProgressSnapshot | undefined {
    const live = this.live.get(ProgressHub.key(corpId, operationId));
    return live ? this.snapshotOf(live) : undefined;
  }

  private snapshotOf(live: Live): ProgressSnapshot {
    return {
      status: live.status,
      done: live.done,
      total: live.total,
      ...(live.status === 'running' ? rateAndEta(live.done, live.total, live.startedAtMs) : { ratePerSecond: null, etaSeconds: null }),
    };
  }
}
