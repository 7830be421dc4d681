import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemContext, withTx } from '../../context.js';
import { type Db, queryRows } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { apiClient, useTestApp } from '../../test/api.js';
import { describeDb } from '../../test/db.js';
import { employeeCtx } from '../../test/factories.js';
import { buildRegionalCorp } from '../../test/org-fixture.js';
import { addFollows } from '../customers/commands/add-follows.js';
import { redoOperation } from '../operations/undo/redo-operation.js';
import { marksOf, operationRow } from '../operations/undo/test-support.js';
import { undoOperation } from '../operations/undo/undo-operation.js';
import { addTags } from '../tags/commands/add-tags.js';
import { syncSmartTag } from './sync-smart-tag.js';

/** Polls until `check` passes (smart tags follow data asynchronously). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function seqsOf(db: Db, corpId: string, externalUserids: string[]): Promise<number[]> {
  const rows = await queryRows<{ seq: number }>(
    db,
    sql`select seq from customers where corp_id = ${corpId} and external_userid = any(${sql.param(externalUserids)}::text[]) order by seq`,
  );
  return rows.map((r) => Number(r.seq));
}

async function journalOf(db: Db, corpId: string, operationId: string) {
  return queryRows<{ external_userid: string; userid: string; tag_id: string; change: number }>(
    db,
    sql`
    select external_userid, userid, tag_id, change::int as change from operation_journal where corp_id = ${corpId} and operation_id = ${operationId} order by external_userid, userid`,
  );
}

// Without the app (and its smart-group maintainer), so the syncs below are the only ones.
describeDb('smart-tag syncs are operations: journaled, undone and redone like a batch', (db) => {
  it('journals a sync under a smart_sync operation, undoes it exactly and redoes it exactly', async () => {
    const d = db().db;
    const f = await buildRegionalCorp(d);
    const {
      tags: [smart],
    } = await withTx(f.ctx, (tx) =>
      addTags(tx, { groupName: '自动分层', tags: [{ name: '高价值', rule: { tag: f.grade.tags[0]!.tagId } }], onExistingName: 'create', smart: true }),
    );
    const tagId = smart!.tagId;
    const system = systemContext(d, f.corpId, 'smart-groups', 'rule');
    const [sh, bj, intern] = [f.shCustomer, f.bjCustomer, f.internCustomer];

    const [shBj, bjOnly, internOnly] = [await seqsOf(d, f.corpId, [sh, bj]), await seqsOf(d, f.corpId, [bj]), await seqsOf(d, f.corpId, [intern])];
    const first = await withTx(system, (tx) => syncSmartTag(tx, { tagId, gain: shBj, lose: [] }));
    expect(first).toMatchObject({ tagId, added: [sh, bj].sort(), removed: [] });
    const firstOp = await operationRow(d, f.corpId, first!.operationId);
    expect(firstOp).toMatchObject({
      kind: 'smart_sync',
      status: 'succeeded',
      actorLabel: 'system:smart-groups',
      params: { tagId, tagName: '高价值' },
      result: { added: 2, removed: 0 },
      undoneBy: null,
    });
    expect((await journalOf(d, f.corpId, first!.operationId)).map((j) => [j.external_userid, j.change])).toEqual(
      [
        [sh, 1],
        [bj, 1],
      ].sort(),
    );
    const afterFirst = await marksOf(d, f.corpId);
    expect(afterFirst.filter((m) => m.tagId === tagId).map((m) => [m.source, m.createdBy, m.operationId])).toEqual([
      ['rule', 'system:smart-groups', first!.operationId],
      ['rule', 'system:smart-groups', first!.operationId],
    ]);

    // The second sync moves the tag from 北京客户 to 实习生客户.
    const second = await withTx(system, (tx) => syncSmartTag(tx, { tagId, gain: internOnly, lose: bjOnly }));
    expect(second).toMatchObject({ added: [intern], removed: [bj] });
    expect(await operationRow(d, f.corpId, second!.operationId)).toMatchObject({ kind: 'smart_sync', result: { added: 1, removed: 1 } });
    const afterSecond = await marksOf(d, f.corpId);

    // A staff member neither sees nor undoes the smart groups' operations; nothing changes.
    const staff = employeeCtx(d, f.corpId, f.people.shStaff, 'staff');
    await expect(withTx(staff, (tx) => undoOperation(tx, second!.operationId))).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'not_found');
    expect(await marksOf(d, f.corpId)).toEqual(afterSecond);

    // Undo puts 北京客户's mark back exactly as the first sync made it and takes 实习生客户's off.
    const admin = employeeCtx(d, f.corpId, f.people.admin, 'admin');
    const undo = await withTx(admin, (tx) => undoOperation(tx, second!.operationId));
    expect(undo.operation).toMatchObject({ kind: 'undo', targetOperationId: second!.operationId, result: { added: 1, removed: 1, conflictCount: 0 } });
    expect(await marksOf(d, f.corpId)).toEqual(afterFirst);
    expect(await operationRow(d, f.corpId, second!.operationId)).toMatchObject({ undoneBy: undo.operation.operationId });

    const redo = await withTx(admin, (tx) => redoOperation(tx, second!.operationId));
    expect(redo.conflictCount).toBe(0);
    expect(await marksOf(d, f.corpId)).toEqual(afterSecond);

    // A smart tag extended onto a new relation of a member is a smart_sync operation too.
    await withTx(f.ctx, (tx) => addFollows(tx, [{ externalUserid: sh, userid: f.people.bjStaff }]));
    const extended = (await marksOf(d, f.corpId)).find((m) => m.tagId === tagId && m.externalUserid === sh && m.userid === f.people.bjStaff);
    expect(extended).toMatchObject({ source: 'rule', createdBy: 'system:smart-groups' });
    expect(await operationRow(d, f.corpId, extended!.operationId!)).toMatchObject({
      kind: 'smart_sync',
      result: { added: 1, removed: 0 },
      params: { newRelations: true, tagIds: [tagId] },
    });
  });
});

describeDb('smart-tag syncs in the running app', (db) => {
  const app = useTestApp(db);

  it('lists a live sync in /operations; undoing it is allowed and the group re-converges as a new sync', async () => {
    const f = await buildRegionalCorp(db().db);
    const admin = apiClient(app, f.secret);
    const a = f.grade.tags[0]!.tagId;
    expect((await admin.post(`/customers/${f.shCustomer}/follows/${f.people.shStaff}/tags`, { add: [a] })).status).toBe(200);
    const created = await admin.post('/smart-groups', { name: '自动', tags: [{ name: '有A', expression: { tag: a } }] });
    expect(created.status).toBe(201);
    const syncs = async () =>
      (await admin.get('/operations?kind=smart_sync')).body.operations as {
        operationId: string;
        result: { added: number; removed: number };
        abilities: { undo: boolean };
      }[];
    const [sync] = await eventually(syncs, (list) => list.length === 1);
    expect(sync).toMatchObject({ result: { added: 1, removed: 0 }, abilities: { undo: true } });

    const undo = await admin.post(`/operations/${sync!.operationId}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ operation: { kind: 'undo', result: { added: 0, removed: 1 } }, conflictCount: 0 });
    // The rule still selects 上海客户: the maintainer puts the tag back as a new smart_sync operation.
    const after = await eventually(syncs, (list) => list.length === 2);
    expect(after.map((o) => o.operationId)).toContain(sync!.operationId);
    const again = after.find((o) => o.operationId !== sync!.operationId)!;
    expect(again.result).toEqual({ added: 1, removed: 0 });
    // Redoing the undone sync then finds the mark there again (made by the new sync): a conflict, nothing written.
    const redo = await admin.post(`/operations/${sync!.operationId}/redo`);
    expect(redo.status).toBe(200);
    expect(redo.body).toMatchObject({
      operation: { result: { added: 0, removed: 0 } },
      conflictCount: 1,
      conflicts: [{ reason: 'readded_since', externalUserid: f.shCustomer }],
    });
  });
});
