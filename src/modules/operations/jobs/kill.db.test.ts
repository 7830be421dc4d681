import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemContext, withTx } from '../../../context.js';
import type { Database } from '../../../db/client.js';
import { marks, operationJournal, operations } from '../../../db/schema/index.js';
import { dbKinds, processDatabase } from '../../../test/db.js';
import { buildCorp, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { addCustomers } from '../../customers/commands/add-customers.js';
import { queueBatch } from '../batch/queue-batch.js';
import { OperationWorker } from './worker.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const customers = 20_000;

/** A database the child process can open too: an on-disk PGlite folder, or a fresh PostgreSQL database. */
async function sharedDatabase(kind: 'pglite' | 'postgres') {
  const shared = await processDatabase(kind, 'tagloom-kill');
  const env: Record<string, string> = shared.dataDir ? { CRASH_DATA_DIR: shared.dataDir } : { CRASH_DB_URL: shared.url! };
  return { ...shared, env };
}

/** Starts the child, waits for its first progress line (the batch is mid-transaction), SIGKILLs it. */
function runAndKill(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/progress \d+/.test(out) && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child ended without being killed: ${out}${err}`))));
  });
}

for (const kind of dbKinds) {
  describe(`a batch killed mid-transaction [${kind}]`, () => {
    it('leaves none of it, and a new worker resumes it to the end', async () => {
      const shared = await sharedDatabase(kind);
      let database: Database = await shared.open();
      try {
        const corp = await buildCorp(database.db);
        const [seller] = await buildEmployees(corp.ctx, 1, 'staff');
        for (let i = 0; i < customers; i += 5000) {
          await withTx(systemContext(database.db, corp.corpId), (tx) =>
            addCustomers(
              tx,
              Array.from({ length: 5000 }, (_, j) => ({ name: `客户${i + j}`, follows: [{ userid: seller! }] })),
            ),
          );
        }
        const tagId = (await buildTagGroup(corp.ctx, ['大批量'])).tags[0]!.tagId;
        const op = await withTx(corp.ctx, (tx) => queueBatch(tx, { action: 'tag', tagIds: [tagId], selection: { text: 'not tag:大批量' } }));
        expect(op.total).toBe(customers);
        // PGlite is one process per folder: the parent lets go before the child opens it.
        if (kind === 'pglite') await database.close();

        const out = await runAndKill(shared.env);
        expect(out).toMatch(/progress 1000/);
        expect(out).not.toMatch(/finished/);

        if (kind === 'pglite') database = await shared.open();
        const marksOf = async () =>
          (
            await database.db
              .select({ n: count() })
              .from(marks)
              .where(and(eq(marks.corpId, corp.corpId), eq(marks.operationId, op.operationId)))
          )[0]!.n;
        const journal = async () =>
          (
            await database.db
              .select({ n: count() })
              .from(operationJournal)
              .where(and(eq(operationJournal.corpId, corp.corpId), eq(operationJournal.operationId, op.operationId)))
          )[0]!.n;
        const row = async () => (await database.db.select().from(operations).where(eq(operations.operationId, op.operationId)))[0]!;
        // None of it: the claim committed (running), the marks did not.
        expect(await marksOf()).toBe(0);
        expect(await journal()).toBe(0);
        expect(await row()).toMatchObject({ status: 'running', attempts: 1 });

        // A new worker finds it: at start on PGlite (one process), once its heartbeat is stale on PostgreSQL.
        const worker = new OperationWorker(database.db, { kind, staleMs: 1000 });
        if (kind === 'pglite') await worker.recover(true);
        else
          for (let requeued = 0; requeued === 0; ) {
            await new Promise((r) => setTimeout(r, 250));
            requeued = (await worker.recover(false)).requeued;
          }
        expect(await row()).toMatchObject({ status: 'queued' });
        expect(await worker.drain()).toEqual([op.operationId]);
        expect(await row()).toMatchObject({ status: 'succeeded', attempts: 2, done: customers, result: { added: customers, removed: 0 } });
        expect(await marksOf()).toBe(customers);
        expect(await journal()).toBe(customers);
      } finally {
        await database.close().catch(() => {});
        await shared.drop();
      }
    }, 300_000);
  });
}
