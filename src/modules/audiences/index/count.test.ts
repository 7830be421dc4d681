import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr, Leaf } from '../../../../contracts/audience-expression/ast.js';
import type { EvalContext } from '../context.js';
import { bitmapOf } from './bitmaps.js';
import { addTo, type CorpIndex, emptyCorpIndex } from './corp-index.js';
import { countOnIndex, evaluateOnIndex } from './evaluate.js';

// A corp large enough that its sets take each of CRoaring's forms: dense tags and genders become
// bitsets, rare tags sorted arrays, a contiguous block runs; the orders of the count's steps differ
// most there. Seqs 1..n; `seed` spreads each tag differently.
const n = 300_000;
function spreadIndex(): CorpIndex {
  const index = emptyCorpIndex('ww-count', { xmax: 0n, pending: [], floor: 0 });
  index.universe.addRange(1, n + 1);
  const every = (step: number, offset: number) => Uint32Array.from({ length: Math.floor((n - offset) / step) }, (_, i) => 1 + offset + i * step);
  addTo(index.tags, 'dense', every(2, 0));
  addTo(index.tags, 'third', every(3, 1));
  addTo(index.tags, 'rare', every(97, 5));
  addTo(index.tags, 'rarer', every(1009, 11));
  addTo(
    index.tags,
    'block',
    Uint32Array.from({ length: 70_000 }, (_, i) => 100_000 + i),
  );
  for (const g of [0, 1, 2]) addTo(index.facets.gender, String(g), every(3, g));
  for (const b of index.tags.values()) b.runOptimize();
  return index;
}

const ctx: EvalContext = { now: new Date('2025-08-15T00:00:00Z'), tagGroups: new Map(), departmentParents: new Map() };

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.constantFrom('dense', 'third', 'rare', 'rarer', 'block', 'none').map((tag) => ({ tag })),
  fc.constantFrom(0, 1, 2).map((g) => ({ gender: [g as 0 | 1 | 2] })),
);
const { expr } = fc.letrec<{ expr: Expr; all: Expr; any: Expr; not: Expr }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', maxDepth: 3 }, leaf, tie('all'), tie('any'), tie('not')),
  all: fc.array(tie('expr'), { minLength: 1, maxLength: 5 }).map((all) => ({ all })),
  any: fc.array(tie('expr'), { minLength: 1, maxLength: 5 }).map((any) => ({ any })),
  not: tie('expr').map((not) => ({ not })),
}));

describe('countOnIndex, the live count that never builds its final set', () => {
  const index = spreadIndex();
  const scope = bitmapOf(Uint32Array.from({ length: 120_000 }, (_, i) => 1 + i * 2 + (i % 7 === 0 ? 1 : 0)));

  it('counts what evaluateOnIndex selects, alone and within a data scope, and leaves the index as it was', () => {
    const before = [...index.tags, ...index.facets.gender].map(([k, b]) => [k, Buffer.from(b.serialize('portable')).toString('base64')]);
    fc.assert(
      fc.property(expr, (e) => {
        const members = evaluateOnIndex(index, e, ctx);
        expect(countOnIndex(index, e, ctx)).toBe(members.size);
        expect(countOnIndex(index, e, ctx, scope)).toBe(members.andCardinality(scope));
      }),
      { numRuns: 300 },
    );
    expect([...index.tags, ...index.facets.gender].map(([k, b]) => [k, Buffer.from(b.serialize('portable')).toString('base64')])).toEqual(before);
    expect(index.universe.size).toBe(n);
  });

  // The expected counts by brute force over the seqs, from how spreadIndex placed them.
  const placed = (step: number, offset: number) => (s: number) =>
    (s - 1 - offset) % step === 0 && s > offset && (s - 1 - offset) / step < Math.floor((n - offset) / step);
  const [dense, third, rare] = [placed(2, 0), placed(3, 1), placed(97, 5)];
  const block = (s: number) => s >= 100_000 && s < 170_000;
  const tally = (holds: (s: number) => boolean) => {
    let k = 0;
    for (let s = 1; s <= n; s += 1) if (holds(s)) k += 1;
    return k;
  };
  it.each<[string, Expr, (s: number) => boolean]>([
    ['a subtraction from a dense set', { all: [{ tag: 'dense' }, { not: { tag: 'third' } }] }, (s) => dense(s) && !third(s)],
    ['not of a union, as everyone minus each', { not: { any: [{ tag: 'dense' }, { tag: 'third' }] } }, (s) => !dense(s) && !third(s)],
    ['a union of two', { any: [{ tag: 'rare' }, { tag: 'block' }] }, (s) => rare(s) || block(s)],
    ['nobody, when one positive is empty', { all: [{ tag: 'none' }, { tag: 'dense' }] }, () => false],
    ['everyone, as not nobody', { not: { tag: 'none' } }, () => true],
  ])('counts %s', (_name, e, holds) => {
    const want = tally(holds);
    expect(countOnIndex(index, e, ctx)).toBe(want);
    expect(evaluateOnIndex(index, e, ctx).size).toBe(want);
  });
});
