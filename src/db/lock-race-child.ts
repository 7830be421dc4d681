/**
 * A child process for the lock race in `data-dir-lock.test.ts`: for each `go DIR` line on stdin it
 * tries to take the lock on DIR and answers `won` or `busy`; `release` lets go of what it holds.
 * Several children wait for the same `go`, so their attempts overlap.
 */
import { createInterface } from 'node:readline';
import { DataDirBusyError, DataDirLock } from './data-dir-lock.js';

let held: DataDirLock | null = null;
for await (const line of createInterface({ input: process.stdin })) {
  if (line.startsWith('go ')) {
    try {
      held = DataDirLock.acquire(line.slice(3), 'lock race');
      process.stdout.write('won\n');
    } catch (error) {
      process.stdout.write(error instanceof DataDirBusyError ? 'busy\n' : `error ${String(error)}\n`);
    }
  } else if (line === 'release') {
    held?.release();
    held = null;
    process.stdout.write('released\n');
  }
}
