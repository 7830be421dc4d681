import { and, asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { actorLabel, type Ctx, withTx } from '../../../context.js';
import { archivedMarks, events, follows, marks, operationJournal, operations, tags } from '../../../db/schema/index.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup, employeeCtx } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import { applyToRelations, type MarkChange } from '../../marks/write-marks.js';
import { deleteTags } from '../../tags/commands/delete-tags.js';
import { createPersonalTag } from '../../tags/commands/personal-tags.js';
import { redoOperation } from './redo-operation.js';
import { marksOf, operationRow, runTestOperation } from './test-support.js';
import { undoOperation } from './undo-operation.js';

type Db = Parameters<typeof buildCorp>[0];

/** A corp with an admin, two staff, four customers followed by staff A (the first two by B too) and two groups. */
async function scene(db: Db) {
  const corp = await buildCorp(db);
  const [admin] = await buildEmployees(corp.ctx, 1, 'admin');
  const [a, b] = await buildEmployees(corp.ctx, 2, 'staff');
  const [manager] = await buildEmployees(corp.ctx, 1, 'manager');
  const customers = [
    await buildCustomer(corp.ctx, [a!, b!]),
    await buildCustomer(corp.ctx, [a!, b!]),
    await buildCustomer(corp.ctx, [a!]),
    await buildCustomer(corp.ctx, [a!]),
  ];
  const grade = await buildTagGroup(corp.ctx, ['A级', 'B级']);
  const other = await buildTagGroup(corp.ctx, ['其他']);
  const [t1, t2] = grade.tags.map((t) => t.tagId) as [string, string];
  const t3 = other.tags[0]!.tagId;
  return {
    ...corp,
    admin: admin!,
    a: a!,
    b: b!,
    manager: manager!,
    customers,
    t1,
    t2,
    t3,
    grade,
    as: (userid: string, role = 'staff'): Ctx => employeeCtx(db, corp.corpId, userid, role),
  };
}

const add = (externalUserid: string, userid: string, tagId: string): MarkChange => ({ externalUserid, userid, tagId, change: 'add' });
const remove = (externalUserid: string, userid: string, tagId: string): MarkChange => ({ externalUserid, userid, tagId, change: 'remove' });
const sortConflicts = (list: { tagId: string; externalUserid: string | null; userid: string | null; reason: string }[]) =>
  [...list].sort((x, y) => `${x.tagId}${x.externalUserid}`.localeCompare(`${y.tagId}${y.externalUserid}`));

describeDb('undo and redo of operations', (db) => {
  it('undoes adds: marks the operation put on come off, others stay; the undo is an operation, journaled and audited', async () => {
    const s = await scene(db().db);
    const [c1, c2, c3] = s.customers as [string, string, string];
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c3, add: [s.t1] }));
    const before = await marksOf(db().db, s.corpId);
    const op = await runTestOperation(s.as(s.a), [add(c1, s.a, s.t1), add(c2, s.a, s.t1), add(c3, s.a, s.t1)]);
    expect(await marksOf(db().db, s.corpId)).toHaveLength(3);

    const undo = await withTx(s.as(s.a), (tx) => undoOperation(tx, op));
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
    expect(undo.conflictCount).toBe(0);
    expect(undo.operation).toMatchObject({
      kind: 'undo',
      status: 'succeeded',
      targetOperationId: op,
      actorLabel: `user:${s.a}`,
      result: { added: 0, removed: 2, conflictCount: 0 },
    });
    expect(await operationRow(db().db, s.corpId, op)).toMatchObject({ undoneBy: undo.operation.operationId });
    const journal = await db()
      .db.select()
      .from(operationJournal)
      .where(and(eq(operationJournal.corpId, s.corpId), eq(operationJournal.operationId, undo.operation.operationId)));
    expect(journal.map((j) => j.change)).toEqual([-1, -1]);
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.operationId, undo.operation.operationId)));
    expect(event).toMatchObject({
      type: 'operation.applied',
      actor: `user:${s.a}`,
      subjectType: 'operation',
      payload: { tagIds: [s.t1], added: 0, removed: 2, undoes: op },
    });
  });

  it('undoes removes, putting marks back with exactly their provenance', async () => {
    const s = await scene(db().db);
    const [c1, c2] = s.customers as [string, string];
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c1, add: [s.t1, s.t2] }));
    await runTestOperation(s.ctx, [add(c2, s.a, s.t1), add(c2, s.b, s.t1)], 'import');
    const before = await marksOf(db().db, s.corpId);
    const op = await runTestOperation(s.as(s.admin, 'admin'), [remove(c1, s.a, s.t1), remove(c1, s.a, s.t2), remove(c2, s.a, s.t1), remove(c2, s.b, s.t1)]);
    expect(await marksOf(db().db, s.corpId)).toEqual([]);
    const undo = await withTx(s.as(s.admin, 'admin'), (tx) => undoOperation(tx, op));
    expect(undo.operation.result).toMatchObject({ added: 4, removed: 0 });
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
  });

  it('leaves marks changed since alone and lists them as conflicts with their reason', async () => {
    const s = await scene(db().db);
    const [c1, c2, c3, c4] = s.customers as [string, string, string, string];
    for (const c of [c1, c2, c3]) await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c, add: [s.t2] }));
    const op = await runTestOperation(s.ctx, [
      ...[c1, c2, c3, c4].map((c) => add(c, s.a, s.t1)),
      ...[c1, c2, c3].map((c) => remove(c, s.a, s.t2)),
      add(c1, s.a, s.t3),
    ]);
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c1, remove: [s.t1] })); // removed since
    await runTestOperation(s.ctx, [remove(c2, s.a, s.t1)]);
    await runTestOperation(s.ctx, [add(c2, s.a, s.t1), add(c2, s.a, s.t2)]); // T1 re-added by another op; T2 re-added
    await db()
      .db.delete(marks)
      .where(and(eq(marks.corpId, s.corpId), eq(marks.externalUserid, c3)));
    await db()
      .db.delete(follows)
      .where(and(eq(follows.corpId, s.corpId), eq(follows.externalUserid, c3))); // relation gone
    await withTx(s.ctx, (tx) => deleteTags(tx, { tagIds: [s.t3] })); // tag deleted

    const undo = await withTx(s.ctx, (tx) => undoOperation(tx, op));
    expect(sortConflicts(undo.conflicts)).toEqual(
      sortConflicts([
        { tagId: s.t1, externalUserid: c1, userid: s.a, reason: 'removed_since' },
        { tagId: s.t1, externalUserid: c2, userid: s.a, reason: 'changed_since' },
        { tagId: s.t1, externalUserid: c3, userid: s.a, reason: 'removed_since' },
        { tagId: s.t2, externalUserid: c2, userid: s.a, reason: 'readded_since' },
        { tagId: s.t2, externalUserid: c3, userid: s.a, reason: 'relation_gone' },
        { tagId: s.t3, externalUserid: c1, userid: s.a, reason: 'tag_deleted' },
      ]),
    );
    expect(undo.conflictCount).toBe(6);
    expect(undo.operation.result).toMatchObject({ added: 1, removed: 1, conflictCount: 6 });
    const left = (await marksOf(db().db, s.corpId)).map((m) => `${m.externalUserid}|${m.tagId}`).sort();
    expect(left).toEqual([`${c1}|${s.t2}`, `${c2}|${s.t1}`, `${c2}|${s.t2}`].sort());
  });

  it('refuses a second undo and a redo of what is not undone (409), changing nothing', async () => {
    const s = await scene(db().db);
    const op = await runTestOperation(s.ctx, [add(s.customers[0]!, s.a, s.t1)]);
    await expect(withTx(s.ctx, (tx) => redoOperation(tx, op))).rejects.toMatchObject({ code: 'conflict' });
    const undo = await withTx(s.ctx, (tx) => undoOperation(tx, op));
    const state = await marksOf(db().db, s.corpId);
    await expect(withTx(s.ctx, (tx) => undoOperation(tx, op))).rejects.toMatchObject({ code: 'conflict' });
    await expect(withTx(s.ctx, (tx) => undoOperation(tx, undo.operation.operationId))).rejects.toMatchObject({ code: 'conflict' });
    await expect(withTx(s.ctx, (tx) => undoOperation(tx, 'opNOPE'))).rejects.toMatchObject({ code: 'not_found' });
    expect(await marksOf(db().db, s.corpId)).toEqual(state);
    expect(await operationRow(db().db, s.corpId, op)).toMatchObject({ undoneBy: undo.operation.operationId });
  });

  it('redoes an undone operation exactly, and it can then be undone again', async () => {
    const s = await scene(db().db);
    const [c1, c2] = s.customers as [string, string];
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c1, add: [s.t2] }));
    const before = await marksOf(db().db, s.corpId);
    const op = await runTestOperation(s.ctx, [add(c1, s.a, s.t1), add(c2, s.a, s.t1), remove(c1, s.a, s.t2)]);
    const applied = await marksOf(db().db, s.corpId);
    const undo = await withTx(s.ctx, (tx) => undoOperation(tx, op));
    const redo = await withTx(s.ctx, (tx) => redoOperation(tx, op));
    expect(redo.operation).toMatchObject({ kind: 'redo', targetOperationId: op, result: { added: 2, removed: 1, conflictCount: 0 } });
    expect(await marksOf(db().db, s.corpId)).toEqual(applied);
    expect(await operationRow(db().db, s.corpId, op)).toMatchObject({ undoneBy: null });
    expect(await operationRow(db().db, s.corpId, undo.operation.operationId)).toMatchObject({ undoneBy: redo.operation.operationId });
    const [event] = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.operationId, redo.operation.operationId)));
    expect(event).toMatchObject({ type: 'operation.applied', payload: { redoes: op, added: 2, removed: 1 } });

    const again = await withTx(s.ctx, (tx) => undoOperation(tx, op));
    expect(again.conflictCount).toBe(0);
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
  });

  it('leaves marks changed since the undo alone when redoing', async () => {
    const s = await scene(db().db);
    const [c1, c2] = s.customers as [string, string];
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c1, add: [s.t2] }));
    const op = await runTestOperation(s.ctx, [add(c1, s.a, s.t1), add(c2, s.a, s.t1), remove(c1, s.a, s.t2)]);
    await withTx(s.ctx, (tx) => undoOperation(tx, op));
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c1, add: [s.t1], remove: [s.t2] }));
    const redo = await withTx(s.ctx, (tx) => redoOperation(tx, op));
    expect(sortConflicts(redo.conflicts)).toEqual(
      sortConflicts([
        { tagId: s.t1, externalUserid: c1, userid: s.a, reason: 'readded_since' },
        { tagId: s.t2, externalUserid: c1, userid: s.a, reason: 'removed_since' },
      ]),
    );
    expect(redo.operation.result).toMatchObject({ added: 1, removed: 0, conflictCount: 2 });
  });

  it('undoes a deletion by restoring exactly its archived marks; redo deletes again; undo again restores', async () => {
    const s = await scene(db().db);
    const [c1, c2] = s.customers as [string, string];
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c1, add: [s.t1, s.t2] }));
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.b, externalUserid: c2, add: [s.t1] }));
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c2, add: [s.t3] }));
    const before = await marksOf(db().db, s.corpId);
    const deleted = await withTx(s.ctx, (tx) => deleteTags(tx, { groupIds: [s.grade.group.groupId] }));
    expect(await operationRow(db().db, s.corpId, deleted.deletionId)).toMatchObject({
      kind: 'deletion',
      status: 'succeeded',
      result: { archivedMarks: 3 },
      params: { groupIds: [s.grade.group.groupId] },
    });

    const undo = await withTx(s.ctx, (tx) => undoOperation(tx, deleted.deletionId));
    expect(undo.operation.result).toMatchObject({ added: 3, removed: 0, restoredGroupIds: [s.grade.group.groupId] });
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
    const restoredEvents = await db()
      .db.select()
      .from(events)
      .where(and(eq(events.corpId, s.corpId), eq(events.operationId, undo.operation.operationId)))
      .orderBy(asc(events.seq));
    expect(restoredEvents.map((e) => e.type)).toEqual(['tag.restored', 'tag.restored', 'tag_group.restored', 'operation.applied']);

    const redo = await withTx(s.ctx, (tx) => redoOperation(tx, deleted.deletionId));
    expect(redo.operation.result).toMatchObject({ removed: 3 });
    const live = await db()
      .db.select()
      .from(tags)
      .where(and(eq(tags.corpId, s.corpId), eq(tags.groupId, s.grade.group.groupId)));
    expect(live.map((t) => t.deletionId)).toEqual([deleted.deletionId, deleted.deletionId]);
    expect((await marksOf(db().db, s.corpId)).map((m) => m.tagId)).toEqual([s.t3]);

    await db()
      .db.delete(follows)
      .where(and(eq(follows.corpId, s.corpId), eq(follows.externalUserid, c2), eq(follows.userid, s.b)));
    const again = await withTx(s.ctx, (tx) => undoOperation(tx, deleted.deletionId));
    expect(again.conflicts).toEqual([{ tagId: s.t1, externalUserid: c2, userid: s.b, reason: 'relation_gone' }]);
    expect(await marksOf(db().db, s.corpId)).toEqual(before.filter((m) => m.userid !== s.b));
    expect(await db().db.select().from(archivedMarks).where(eq(archivedMarks.corpId, s.corpId))).toEqual([]);
  });

  it('refuses to undo a deletion older than 30 days or already restored, changing nothing', async () => {
    const s = await scene(db().db);
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: s.customers[0]!, add: [s.t3] }));
    const deleted = await withTx(s.ctx, (tx) => deleteTags(tx, { tagIds: [s.t3] }));
    await db()
      .db.update(tags)
      .set({ deletedAt: new Date(Date.now() - 31 * 86400_000) })
      .where(and(eq(tags.corpId, s.corpId), eq(tags.tagId, s.t3)));
    await expect(withTx(s.ctx, (tx) => undoOperation(tx, deleted.deletionId))).rejects.toMatchObject({ code: 'restore_expired' });
    expect(await operationRow(db().db, s.corpId, deleted.deletionId)).toMatchObject({ undoneBy: null });
    await db()
      .db.update(tags)
      .set({ deletedAt: new Date(), deletionId: null })
      .where(and(eq(tags.corpId, s.corpId), eq(tags.tagId, s.t3)));
    await expect(withTx(s.ctx, (tx) => undoOperation(tx, deleted.deletionId))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('lets actors undo their own operations and admins anyone’s; personal tags stay their owner’s', async () => {
    const s = await scene(db().db);
    const [c1] = s.customers as [string];
    const adminOp = await runTestOperation(s.as(s.admin, 'admin'), [add(c1, s.a, s.t1)]);
    await expect(withTx(s.as(s.a), (tx) => undoOperation(tx, adminOp))).rejects.toMatchObject({ code: 'not_found' });
    // A manager's view of activity follows their data scope: someone else's operation is unknown to them.
    await expect(withTx(s.as(s.manager, 'manager'), (tx) => undoOperation(tx, adminOp))).rejects.toMatchObject({ code: 'not_found' });
    const staffOp = await runTestOperation(s.as(s.a), [add(c1, s.a, s.t2)]);
    await expect(withTx(s.as(s.b), (tx) => undoOperation(tx, staffOp))).rejects.toMatchObject({ code: 'not_found' });
    await withTx(s.as(s.admin, 'admin'), (tx) => undoOperation(tx, staffOp));

    const personal = await withTx(s.as(s.a), (tx) => createPersonalTag(tx, { name: '老朋友' }));
    const personalOp = await runTestOperation(s.as(s.a), [add(c1, s.a, personal.tagId)]);
    await expect(withTx(s.as(s.admin, 'admin'), (tx) => undoOperation(tx, personalOp))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(withTx(s.ctx, (tx) => undoOperation(tx, personalOp))).rejects.toMatchObject({ code: 'forbidden' });
    await withTx(s.as(s.a), (tx) => undoOperation(tx, personalOp));
    expect((await marksOf(db().db, s.corpId)).map((m) => m.tagId)).toEqual([s.t1]);
  });

  it('restores the provenance of a mark the operation took off and put back (a move onto a tag already there)', async () => {
    const s = await scene(db().db);
    const [c1] = s.customers as [string];
    await withTx(s.ctx, (tx) => markTags(tx, { userid: s.a, externalUserid: c1, add: [s.t1, s.t2] }));
    const before = await marksOf(db().db, s.corpId);
    const op = await runTestOperation(s.ctx, [remove(c1, s.a, s.t1), remove(c1, s.a, s.t2), add(c1, s.a, s.t1)]);
    const applied = await marksOf(db().db, s.corpId);
    expect(applied.map((m) => [m.tagId, m.operationId])).toEqual([[s.t1, op]]);
    await withTx(s.ctx, (tx) => undoOperation(tx, op));
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
    await withTx(s.ctx, (tx) => redoOperation(tx, op));
    expect(await marksOf(db().db, s.corpId)).toEqual(applied);
  });

  it('keeps a rule-made mark’s rule, version and evidence through undo and redo of its removal and of a move', async () => {
    const s = await scene(db().db);
    const [c1, c2] = s.customers as [string, string];
    const rule = { source: 'rule', ruleId: 'ruleA', ruleVersion: 2 } as const;
    await runTestOperation(s.ctx, [{ ...add(c1, s.a, s.t1), evidenceSeq: 7 }, add(c2, s.a, s.t1), add(c1, s.a, s.t2)], 'rule', { ...rule, evidenceSeq: 8 });
    const before = await marksOf(db().db, s.corpId);
    expect(before.map((m) => [m.ruleId, m.ruleVersion, m.evidenceSeq])).toContainEqual(['ruleA', 2, 7]);

    // A move: T1 off everywhere, T2 put on (c1 already has it from the rule run: taken off and put back).
    const move = await runTestOperation(s.ctx, [remove(c1, s.a, s.t1), remove(c2, s.a, s.t1), remove(c1, s.a, s.t2), add(c1, s.a, s.t2), add(c2, s.a, s.t2)]);
    const moved = await marksOf(db().db, s.corpId);
    expect(moved.every((m) => m.ruleId === null && m.evidenceSeq === null)).toBe(true);
    const [journaled] = await db()
      .db.select()
      .from(operationJournal)
      .where(
        and(
          eq(operationJournal.corpId, s.corpId),
          eq(operationJournal.operationId, move),
          eq(operationJournal.externalUserid, c1),
          eq(operationJournal.tagId, s.t1),
        ),
      );
    expect(journaled).toMatchObject({ change: -1, priorSource: 'rule', priorRuleId: 'ruleA', priorRuleVersion: 2, priorEvidenceSeq: 7 });

    await withTx(s.ctx, (tx) => undoOperation(tx, move));
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
    await withTx(s.ctx, (tx) => redoOperation(tx, move));
    expect(await marksOf(db().db, s.corpId)).toEqual(moved);
    await withTx(s.ctx, (tx) => undoOperation(tx, move));
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
  });

  it('keeps rule origin through undo and redo of a compact (relation set) removal', async () => {
    const s = await scene(db().db);
    const [c1, c2] = s.customers as [string, string];
    const relations = { externalUserids: [c1, c2], userids: [s.a, s.a] };
    await withTx(s.ctx, (tx) =>
      applyToRelations(
        tx,
        'opRULEDONE',
        relations,
        { add: [s.t1], remove: [], personal: new Set() },
        { source: 'rule', ruleId: 'ruleB', ruleVersion: 4, evidenceSeq: 9 },
      ),
    );
    const before = await marksOf(db().db, s.corpId);
    const op = 'opSETREMOVE';
    await withTx(s.ctx, async (tx) => {
      await tx.tx.insert(operations).values({
        corpId: s.corpId,
        operationId: op,
        kind: 'batch',
        status: 'succeeded',
        params: { test: true },
        actor: s.ctx.actor,
        actorLabel: actorLabel(s.ctx.actor),
        source: s.ctx.source,
      });
      await applyToRelations(tx, op, relations, { add: [], remove: [s.t1], personal: new Set() }, { source: 'batch' });
    });
    expect(await marksOf(db().db, s.corpId)).toEqual([]);
    await withTx(s.ctx, (tx) => undoOperation(tx, op));
    const restored = await marksOf(db().db, s.corpId);
    expect(restored).toEqual(before);
    expect(restored.map((m) => [m.ruleId, m.ruleVersion, m.evidenceSeq])).toEqual([
      ['ruleB', 4, 9],
      ['ruleB', 4, 9],
    ]);
    await withTx(s.ctx, (tx) => redoOperation(tx, op));
    expect(await marksOf(db().db, s.corpId)).toEqual([]);
    await withTx(s.ctx, (tx) => undoOperation(tx, op));
    expect(await marksOf(db().db, s.corpId)).toEqual(before);
  });
});
