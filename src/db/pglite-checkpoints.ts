import type { PGlite } from '@electric-sql/pglite';

// PGlite runs PostgreSQL in single-user mode, without the checkpointer process: nothing
// checkpoints until a clean close (neither checkpoint_timeout nor max_wal_size triggers one), so
// after a crash or kill -9 the next start replays every write since the process opened the folder.
// Measured: 379 MB of WAL took 4–5 s to replay where a clean open takes 1 s, and a checkpoint of
// that much took 0.2 s. So an open folder is checkpointed once a minute when 16 MB have built up.

const pendingSql = 'select pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::bigint as pending from pg_control_checkpoint()';

/** Options of `keepRecoveryShort`; the defaults suit a server. */
export type CheckpointOptions = { everyMs?: number; walBytes?: number; onError?: (error: unknown) => void };

/** The periodic checkpoint of one open PGlite: `runOnce` checks now (tests), `stop` ends it before the close. */
export type Checkpoints = { runOnce: () => Promise<boolean>; stop: () => Promise<void> };

/**
 * Checkpoints `client` every `everyMs` once `walBytes` of WAL have been written since the last
 * checkpoint, so that a killed process's successor replays at most about that much.
 */
export function keepRecoveryShort(client: PGlite, opts: CheckpointOptions = {}): Checkpoints {
  const walBytes = opts.walBytes ?? 16 * 2 ** 20;
  let running: Promise<boolean> | null = null;
  const runOnce = () => {
    running ??= (async () => {
      const [row] = (await client.query<{ pending: string | number }>(pendingSql)).rows;
      if (Number(row?.pending ?? 0) < walBytes) return false;
      await client.exec('checkpoint');
      return true;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce().catch((error: unknown) => opts.onError?.(error)), opts.everyMs ?? 60_000);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
