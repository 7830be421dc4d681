/**
 * A child process for `three-processes.db.test.ts`: `tagloom serve` as the command runs it, with a
 * worker slowed to 100 ms per 200-relation chunk that prints `progress <operationId> <done>` before
 * each chunk after the first (so the test knows which process holds a batch mid-run and may SIGKILL
 * it), a short staleness window so a killed job is taken over within seconds, and schedules and
 * the Moments dispatcher looked at every 500 ms.
 */
import { readEnv } from '../env.js';
import { startServer } from '../server.js';

await startServer(readEnv(), {
  worker: {
    chunkSize: 200,
    pollMs: 500,
    staleMs: 5000,
    beforeChunk: async (op, done) => {
      process.stdout.write(`progress ${op.operationId} ${done}\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    },
  },
  rules: { scheduleEveryMs: 500 },
  moments: { everyMs: 500 },
});
