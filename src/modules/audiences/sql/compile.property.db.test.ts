import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Leaf } from '../../../../contracts/audience-expression/ast.js';
import { describeDb } from '../../../test/db.js';
import { unique } from '../../../test/factories.js';
import { evaluate } from '../expression/evaluate.js';
import { exprArbitrary, groupChatArbitrary, leafArbitrary } from '../expression/test-support.js';
import { audienceCount, audienceSeqs } from './compile.js';
import { loadCustomerFacts, loadCustomersFacts } from './facts.js';
import { corpDataArbitrary, focusDateLeaf, focusWindowLeaf, personalOwner, personalTag, seedCorp, seedFacts, testContext } from './test-support.js';

// Pool leaves plus, now and then, the owner's personal tag, and dates and windows on the edges
// of the stored ones (which random literals would rarely hit).
const leaves = fc.oneof(
  { weight: 14, arbitrary: leafArbitrary('pool') },
  { weight: 1, arbitrary: fc.constant<Leaf>({ tag: personalTag }) },
  { weight: 3, arbitrary: focusDateLeaf() },
  { weight: 2, arbitrary: focusWindowLeaf() },
  { weight: 2, arbitrary: groupChatArbitrary('pool') },
  { weight: 1, arbitrary: fc.subarray(['华东', '华北', '华南'], { minLength: 1 }).map((region): Leaf => ({ region })) },
);

describeDb('audience SQL agrees with the reference evaluator', (db) => {
  it('selects exactly the customers evaluate() admits, on facts loaded from the database and on facts built in memory', async () => {
    await fc.assert(
      fc.asyncProperty(
        corpDataArbitrary(40),
        fc.array(exprArbitrary('pool', leaves), { minLength: 12, maxLength: 12 }),
        fc.constantFrom(undefined, 480, 0, -330),
        async (data, exprs, offset) => {
          const corpId = unique('ww');
          await seedCorp(db().db, corpId, data);
          const ctx = testContext(offset);
          const ids = data.customers.map((c) => c.externalUserid);
          const loaded = await loadCustomersFacts(db().db, corpId, ids, ctx, { personalOwner });
          expect(loaded.size).toBe(ids.length);
          if (ids.length > 0)
            expect(await loadCustomerFacts(db().db, corpId, ids[ids.length - 1]!, ctx, { personalOwner })).toEqual(loaded.get(ids[ids.length - 1]!));
          for (const expr of exprs) {
            const fromDb = data.customers.flatMap((c, i) => (evaluate(expr, loaded.get(c.externalUserid)!) ? [i + 1] : []));
            const fromSeed = data.customers.flatMap((c, i) => (evaluate(expr, seedFacts(data, c, ctx)) ? [i + 1] : []));
            expect(fromDb, JSON.stringify(expr)).toEqual(fromSeed);
            expect(await audienceSeqs(db().db, corpId, expr, ctx), JSON.stringify(expr)).toEqual(fromDb);
            expect(await audienceCount(db().db, corpId, expr, ctx)).toBe(fromDb.length);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
