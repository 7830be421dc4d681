/**
 * A child process for the crash test (`kill.db.test.ts`): opens the database the environment
 * names (`CRASH_DB_URL` or `CRASH_DATA_DIR`), runs the queue with a slowed-down worker, and prints
 * `progress N` before each chunk so the parent knows the batch is mid-transaction and may SIGKILL it.
 */
import { openDatabase } from '../../../db/client.js';
import { OperationWorker } from './worker.js';

const url = process.env.CRASH_DB_URL;
const database = await openDatabase(url ? { url } : { dataDir: process.env.CRASH_DATA_DIR! });
const worker = new OperationWorker(database.db, {
  kind: database.kind,
  chunkSize: 1000,
  beforeChunk: async (_op, done) => {
    process.stdout.write(`progress ${done}\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  },
});
await worker.drain();
process.stdout.write('finished\n');
await database.close();
