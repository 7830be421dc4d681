import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Leaf } from '../../../../contracts/audience-expression/ast.js';
import { describeDb } from '../../../test/db.js';
import { buildCorp } from '../../../test/factories.js';
import type { EvalContext } from '../context.js';
import { evaluate } from '../expression/evaluate.js';
import { exprArbitrary, groupChatArbitrary, leafArbitrary, poolGroups, testNow } from '../expression/test-support.js';
import { audienceSeqs } from '../sql/compile.js';
import { buildCorpIndex } from './corp-index.js';
import { evaluateOnIndex } from './evaluate.js';
import { departmentParentsFromDb, factsFromDb } from './facts-from-db.test-support.js';
import { randomCorpArbitrary, seedRandomCorp } from './random-corp.test-support.js';

// The pool's event leaves mostly select nobody or everybody (four types, two targets, a window and
// a count each); these hit more often, so counts around the real ones get exercised.
const eventLeaf = fc
  .record(
    {
      type: fc.constantFrom('link.clicked', 'live.attended'),
      target: fc.constantFrom('p1', 'p2', ''),
      count: fc.record({ op: fc.constantFrom('gte' as const, 'lte' as const, 'eq' as const), n: fc.integer({ min: 0, max: 3 }) }),
      window: fc.oneof(
        fc.record({ within: fc.record({ amount: fc.integer({ min: 1, max: 90 }), unit: fc.constant('d' as const) }) }),
        fc.constant({ from: '2026-02-15' }),
        fc.constant({ to: '2026-03-10' }),
      ),
    },
    { requiredKeys: ['type'] },
  )
  .map((event): Leaf => ({ event }));

describeDb('the bitmap index, the SQL compiler and the reference evaluator agree', (db) => {
  it('select exactly the customers evaluate() admits, for random corps and expressions', async () => {
    // Chat conditions on their own too, so chats named, any chat and join windows meet the memberships often.
    const leaf = fc.oneof(leafArbitrary('pool'), eventLeaf, groupChatArbitrary('pool'));
    const exprs = fc.array(fc.oneof(exprArbitrary('pool', leaf), leaf), { minLength: 20, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(
        randomCorpArbitrary(40),
        exprs,
        fc.constantFrom(480, 0, -330),
        fc.integer({ min: 1, max: 3 }),
        async (data, expressions, offset, pageSize) => {
          const { corpId } = await buildCorp(db().db);
          await seedRandomCorp(db().db, corpId, data);
          const ctx: EvalContext = {
            now: testNow,
            utcOffsetMinutes: offset,
            tagGroups: poolGroups,
            departmentParents: await departmentParentsFromDb(db().db, corpId),
          };
          // Small pages: time and event columns are merged from several pages' runs, targets interned across them.
          const index = await buildCorpIndex(db().db, corpId, { pageSize: pageSize * 7 });
          const facts = [...(await factsFromDb(db().db, corpId, ctx))];
          const universe = index.universe.toArray();
          for (const expr of expressions) {
            const want = facts
              .filter(([, f]) => evaluate(expr, f))
              .map(([seq]) => seq)
              .sort((a, b) => a - b);
            const got = evaluateOnIndex(index, expr, ctx).toArray();
            expect({ expr, got }).toEqual({ expr, got: want });
            const sqlGot = await audienceSeqs(db().db, corpId, expr, ctx);
            expect({ expr, sqlGot }).toEqual({ expr, sqlGot: want });
          }
          expect(universe).toEqual(facts.map(([seq]) => seq).sort((a, b) => a - b));
        },
      ),
      { numRuns: 25 },
    );
  });
});
