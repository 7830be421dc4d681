import fc from 'fast-check';
import { expect, it } from 'vitest';
import { withTx } from '../../../context.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp, buildCustomer, buildEmployees, buildTagGroup } from '../../../test/factories.js';
import { markTags } from '../../customers/commands/mark-tags.js';
import type { MarkChange, MarkOrigin } from '../../marks/write-marks.js';
import { redoOperation } from './redo-operation.js';
import { marksOf, runTestOperation } from './test-support.js';
import { undoOperation } from './undo-operation.js';

// A change may name its own evidence event, as a rule run's changes do.
const change = fc.record({ relation: fc.nat(3), tag: fc.nat(2), add: fc.boolean(), evidence: fc.option(fc.nat(5)) });
// A rule run's origin (rule, version, evidence event), or none for a plain batch.
const ruleOrigin = fc.option(fc.record({ rule: fc.nat(1), version: fc.integer({ min: 1, max: 3 }), evidence: fc.option(fc.nat(5)) }));
// The prior state: marks made one by one (no operation id) or by earlier operations (with one), some by rules.
const prior = fc.array(fc.record({ relation: fc.nat(3), tag: fc.nat(2), byOperation: fc.boolean(), origin: ruleOrigin }), { maxLength: 8 });

type RuleOrigin = { rule: number; version: number; evidence: number | null } | null;

/** A test operation's kind and origin: a rule run with its rule columns, or a batch. */
function runAs(origin: RuleOrigin): ['batch' | 'rule', MarkOrigin] {
  if (!origin) return ['batch', { source: 'batch' }];
  const ruleOrigin: MarkOrigin = { source: 'rule', ruleId: `rule${origin.rule}`, ruleVersion: origin.version };
  return ['rule', origin.evidence === null ? ruleOrigin : { ...ruleOrigin, evidenceSeq: 100 + origin.evidence }];
}

describeDb('undo and redo (property)', (db) => {
  it('apply → undo returns the marks exactly (provenance, rule and evidence included); → redo equals apply; → undo again equals the start', async () => {
    await fc.assert(
      fc.asyncProperty(prior, fc.array(change, { maxLength: 12 }), ruleOrigin, async (initial, ops, opOrigin) => {
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
        const toChange = (c: { relation: number; tag: number; add: boolean; evidence?: number | null }): MarkChange => ({
          userid: relations[c.relation]![0],
          externalUserid: relations[c.relation]![1],
          tagId: tagIds[c.tag]!,
          change: c.add ? 'add' : 'remove',
          ...(c.evidence === null || c.evidence === undefined ? {} : { evidenceSeq: 200 + c.evidence }),
        });

        for (const p of initial) {
          const [userid, externalUserid] = relations[p.relation]!;
          if (p.byOperation) await runTestOperation(ctx, [toChange({ ...p, add: true })], ...runAs(p.origin));
          else await withTx(ctx, (tx) => markTags(tx, { userid, externalUserid, add: [tagIds[p.tag]!] }));
        }
        const before = await marksOf(db().db, corpId);
        const op = await runTestOperation(ctx, ops.map(toChange), ...runAs(opOrigin));
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
