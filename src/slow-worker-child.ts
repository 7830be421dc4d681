/**
 * A child process for `server-stop.db.test.ts`: `tagloom serve` as the command runs it, but with a
 * worker slowed down to 100 ms per 200-relation chunk that prints `progress N` before each chunk,
 * so that the test can stop the server while a batch is mid-run.
 */
import { readEnv } from './env.js';
import { startServer } from './server.js';

await startServer(readEnv(), {
  worker: {
    chunkSize: 200,
    beforeChunk: async (_op, done) => {
      process.stdout.write(`progress ${done}\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    },
  },
});
