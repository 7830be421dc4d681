import fc from 'fast-check';
import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import type { MarkChange } from '../../marks/write-marks.js';
import { redoOperation } from './redo-operation.js';
import { marksOf, runTestOperation } from './test-support.js';
import { undoOperation } from './undo-operation.js';

const change = fc.record({ relation: fc.nat(3), tag: fc.nat(2), add: fc.boolean() });
// The prior state: marks made one by one (no operation id) or by earlier operations (with one).
const prior = fc.array(fc.record({ relation: fc.nat(3), tag: fc.nat(2), byOperation: fc.boolean() }), { maxLength: 8 });

describeDb('undo and redo (property)', (db) => {
  it('apply → undo returns the marks exactly (provenance included); → redo equals apply; → undo again equals the start', async () => {
    await fc.assert(
      fc.asyncProperty(prior, fc.array(change, { maxLength: 12 }), async (initial, ops) => {
        const { ctx, corpId } = await buildCorp(db().db);
        const [u0, u1] = (await buildEmployees(ctx, 2)) as [string, string];
        const c0 = await buildCustomer(ctx, [u0, u1]);
        const c1 = await buildCustomer(ctx, [u0]);
        const c2 = await buildCustomer(ctx, [u1]);
        const relations = [
          [u0, c0],
          [u1, c0],
          [u0, c1],
          [u1, c2],
        ] as const;
        const tagIds = (await buildTagGroup(ctx, ['甲', '乙', '丙'])).tags.map((t) => t.tagId);
        const toChange = (c: { relation: number; tag: number; add: boolean }): MarkChange => ({
          userid: relations[c.relation]![0],
          externalUserid: relations[c.relation]![1],
          tagId: tagIds[c.tag]!,
          change: c.add ? 'add' : 'remove',
        });

        for (const p of initial) {
          const [userid, externalUserid] = relations[p.relation]!;
          if (p.byOperation) await runTestOperation(ctx, [toChange({ ...p, add: true })]);
          else await withTx(ctx, (tx) => markTags(tx, { userid, externalUserid, add: [tagIds[p.tag]!] }));
        }
        const before = await marksOf(db().db, corpId);
        const op = await runTestOperation(ctx, ops.map(toChange));
        const applied = await marksOf(db().db, corpId);

        const undo = await withTx(ctx, (tx) => undoOperation(tx, op));
        expect(undo.conflictCount).toBe(0);
        expect(await marksOf(db().db, corpId)).toEqual(before);
        const redo = await withTx(ctx, (tx) => redoOperation(tx, op));
        expect(redo.conflictCount).toBe(0);
        expect(await marksOf(db().db, corpId)).toEqual(applied);
        await withTx(ctx, (tx) => undoOperation(tx, op));
        expect(await marksOf(db().db, corpId)).toEqual(before);
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
