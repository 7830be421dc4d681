import { and, asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import type { Db } from '../../../db/client.js';
import { operationJournal, operations, tags } from '../../../db/schema/index.js';
import { type ApiResponse, apiClient, buildApiScene, expectRefused, useTestApp } from '../../../test/api.js';
import { describeDb } from '../../../test/db.js';
import { employeeCtx } from '../../../test/factories.js';
import { createPersonalTag } from '../../tags/commands/personal-tags.js';
import { marksOf, runTestOperation } from './test-support.js';

/** What `expectRefused` does not cover: the operations and their journal stay exactly as they were. */
async function expectRefusedWhole(db: Db, corpId: string, send: () => Promise<ApiResponse>, status: number, code: string): Promise<void> {
  const snapshot = async () => ({
    operations: await db.select().from(operations).where(eq(operations.corpId, corpId)).orderBy(asc(operations.operationId)),
    journal: await db.select().from(operationJournal).where(eq(operationJournal.corpId, corpId)).orderBy(asc(operationJournal.seq), asc(operationJournal.item)),
  });
  const before = await snapshot();
  await expectRefused(db, corpId, send, status, code);
  expect(await snapshot()).toEqual(before);
}

describeDb('undo and redo routes', (db) => {
  const app = useTestApp(db);

  it('follows the status ladder: 401, 400, 404, 403, 409, then 200 for undo and redo', async () => {
    const s = await buildApiScene(db().db);
    const [t1] = s.tags.map((t) => t.tagId) as [string];
    const op = await runTestOperation(employeeCtx(db().db, s.corpId, s.staffA), [{ externalUserid: s.customer, userid: s.staffA, tagId: t1, change: 'add' }]);
    const asA = apiClient(app, s.key, s.staffA);
    const asB = apiClient(app, s.key, s.staffB);
    const d = db().db;

    await expectRefusedWhole(d, s.corpId, () => apiClient(app, null).post(`/operations/${op}/undo`), 401, 'unauthorized');
    await expectRefusedWhole(d, s.corpId, () => asA.post(`/operations/${'x'.repeat(65)}/undo`), 400, 'validation_failed');
    await expectRefusedWhole(d, s.corpId, () => asA.post('/operations/opNOPE/undo'), 404, 'not_found');
    await expectRefusedWhole(d, s.corpId, () => asB.post(`/operations/${op}/undo`), 404, 'not_found');
    await expectRefusedWhole(d, s.corpId, () => asA.post(`/operations/${op}/redo`), 409, 'conflict');

    const undo = await asA.post(`/operations/${op}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({
      operation: { kind: 'undo', status: 'succeeded', targetOperationId: op, actor: `user:${s.staffA}`, result: { added: 0, removed: 1, conflictCount: 0 } },
      conflicts: [],
      conflictCount: 0,
    });
    expect(await marksOf(d, s.corpId)).toEqual([]);
    await expectRefusedWhole(d, s.corpId, () => asA.post(`/operations/${op}/undo`), 409, 'conflict');
    await expectRefusedWhole(d, s.corpId, () => asA.post(`/operations/${undo.body.operation.operationId}/undo`), 409, 'conflict');

    const redo = await apiClient(app, s.key).post(`/operations/${op}/redo`);
    expect(redo.status).toBe(200);
    expect(redo.body).toMatchObject({
      operation: { kind: 'redo', targetOperationId: op, actor: 'app:customer_contact', result: { added: 1, removed: 0 } },
      conflictCount: 0,
    });
    expect((await marksOf(d, s.corpId)).map((m) => [m.tagId, m.operationId])).toEqual([[t1, op]]);
  });

  it('answers 403 for a personal tag that is not the actor’s, and 410 for a deletion past the restore window', async () => {
    const s = await buildApiScene(db().db);
    const mine = employeeCtx(db().db, s.corpId, s.staffA);
    const personal = await withTx(mine, (tx) => createPersonalTag(tx, { name: '老朋友' }));
    const op = await runTestOperation(mine, [{ externalUserid: s.customer, userid: s.staffA, tagId: personal.tagId, change: 'add' }]);
    await expectRefusedWhole(db().db, s.corpId, () => apiClient(app, s.key, s.admin).post(`/operations/${op}/undo`), 403, 'forbidden');

    const deleted = await apiClient(app, s.key).delete(`/tags/${s.tags[0]!.tagId}`);
    expect(deleted.status).toBe(200);
    const [deletion] = await db()
      .db.select()
      .from(operations)
      .where(and(eq(operations.corpId, s.corpId), eq(operations.kind, 'deletion')));
    await db()
      .db.update(tags)
      .set({ deletedAt: new Date(Date.now() - 31 * 86400_000) })
      .where(and(eq(tags.corpId, s.corpId), eq(tags.tagId, s.tags[0]!.tagId)));
    await expectRefusedWhole(db().db, s.corpId, () => apiClient(app, s.key).post(`/operations/${deletion!.operationId}/undo`), 410, 'restore_expired');
  });
});
