import { fileURLToPath } from 'node:url';
import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemContext, withTx } from './context.js';
import type { Database } from './db/client.js';
import { marks, operations } from './db/schema/index.js';
import { addCustomers } from './modules/customers/commands/add-customers.js';
import { dbKinds, processDatabase } from './test/db.js';
import { buildCorp, buildEmployees, buildTagGroup } from './test/factories.js';
import { startTagloomServer } from './test/processes.js';

// Issue 12 §7: SIGINT / SIGTERM on a PGlite server ended it with "Error: PGlite is closed", exit 1
// and some 400 KB of minified source on stderr. A stop refuses new requests, ends progress streams,
// hands a running batch back to the queue, closes the database and exits 0.

const child = fileURLToPath(new URL('./slow-worker-child.ts', import.meta.url));
const customers = 3000;

/** A database a server process can open: a PGlite folder (the test lets go of it first) or a fresh PostgreSQL database. */
async function serverDatabase(kind: 'pglite' | 'postgres') {
  const shared = await processDatabase(kind, 'tagloom-stop');
  const env: Record<string, string> = shared.dataDir ? { TAGLOOM_DATA_DIR: shared.dataDir, DATABASE_URL: '' } : { DATABASE_URL: shared.url! };
  return { ...shared, env };
}

for (const kind of dbKinds) {
  describe(`stopping the server [${kind}]`, () => {
    it('on SIGTERM mid-batch: ends the progress stream, hands the batch back, exits 0 without a word on stderr; the next start finishes the batch', async () => {
      const shared = await serverDatabase(kind);
      let database: Database | null = await shared.open();
      try {
        const corp = await buildCorp(database.db);
        const [seller] = await buildEmployees(corp.ctx, 1, 'staff');
        const ids = await withTx(systemContext(database.db, corp.corpId), (tx) =>
          addCustomers(
            tx,
            Array.from({ length: customers }, (_, i) => ({ name: `客户${i}`, follows: [{ userid: seller! }] })),
          ),
        );
        const tagId = (await buildTagGroup(corp.ctx, ['停机'])).tags[0]!.tagId;
        const headers = { authorization: `Bearer ${corp.secret}`, 'content-type': 'application/json' };
        if (kind === 'pglite') {
          await database.close();
          database = null;
        }

        const server = await startTagloomServer(shared.env, [child]);
        let operationId = '';
        try {
          const queued = await fetch(`${server.url}/api/v1/operations/batch`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ action: 'tag', tagIds: [tagId], selection: { externalUserids: ids } }),
          });
          expect(queued.status).toBe(202);
          operationId = ((await queued.json()) as { operation: { operationId: string } }).operation.operationId;
          // Not awaited: on PGlite (one connection) the request waits for the batch's transaction.
          const stream = fetch(`${server.url}/api/v1/operations/${operationId}/progress`, { headers });
          await server.waitFor(/progress 400/);
          const stop = server.exited;
          server.proc.kill('SIGTERM');
          // The stream ends instead of holding the stop up for as long as the batch would run.
          const reader = (await stream).body!.getReader();
          let events = '';
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) events += new TextDecoder().decode(chunk.value);
          expect(events).toMatch(/^event: progress\ndata: \{"status":"(running|queued)"/);
          expect(await stop).toEqual({ code: 0, signal: null });
          expect(server.stderr()).toBe('');
          expect(server.stdout()).toMatch(/SIGTERM: stopping.*\n(.*\n)*Stopped\.\n$/);
        } finally {
          server.proc.kill('SIGKILL');
        }

        database ??= await shared.open();
        const row = async () =>
          (
            await database!.db
              .select()
              .from(operations)
              .where(and(eq(operations.corpId, corp.corpId), eq(operations.operationId, operationId)))
          )[0]!;
        const marksOf = async () =>
          (
            await database!.db
              .select({ n: count() })
              .from(marks)
              .where(and(eq(marks.corpId, corp.corpId), eq(marks.operationId, operationId)))
          )[0]!.n;
        // Handed back: queued again, the interrupted run not counted as an attempt, nothing applied.
        expect(await row()).toMatchObject({ status: 'queued', attempts: 0, done: 0 });
        expect(await marksOf()).toBe(0);
        if (kind === 'pglite') {
          await database.close();
          database = null;
        }

        const again = await startTagloomServer(shared.env, [child]);
        try {
          let status = '';
          for (const started = Date.now(); status !== 'succeeded' && Date.now() - started < 60_000; await new Promise((r) => setTimeout(r, 200))) {
            const res = await fetch(`${again.url}/api/v1/operations/${operationId}`, { headers });
            status = ((await res.json()) as { operation: { status: string } }).operation.status;
          }
          expect(status).toBe('succeeded');
          const stop = again.exited;
          again.proc.kill('SIGINT');
          expect(await stop).toEqual({ code: 0, signal: null });
          expect(again.stderr()).toBe('');
        } finally {
          again.proc.kill('SIGKILL');
        }
        database ??= await shared.open();
        expect(await row()).toMatchObject({ status: 'succeeded', attempts: 1, result: { added: customers, removed: 0 } });
        expect(await marksOf()).toBe(customers);
      } finally {
        await database?.close().catch(() => {});
        await shared.drop();
      }
    }, 240_000);
  });
}
