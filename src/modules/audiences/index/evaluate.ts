import type { Expr } from '../../../../contracts/audience-expression/ast.js';
import type { EvalContext } from '../context.js';
import { type Bitmap, complement, or } from './bitmaps.js';
import type { CorpIndex } from './corp-index.js';
import { leafBitmap } from './leaf-bitmap.js';

// `all` intersects its positive children from the smallest up and subtracts its `not` children
// directly, so `a and not b` never materialises the (large) complement of b.
function all(index: CorpIndex, children: Expr[], ctx: EvalContext): Bitmap {
  const positive: Bitmap[] = [];
  const negative: Bitmap[] = [];
  for (const child of children) {
    const set = evaluateOnIndex(index, 'not' in child ? child.not : child, ctx);
    if ('not' in child) negative.push(set);
    else if (set.isEmpty) return set;
    else positive.push(set);
  }
  positive.sort((a, b) => a.size - b.size);
  const acc = positive[0] ?? index.universe.clone();
  for (const set of positive.slice(1)) {
    acc.andInPlace(set);
    if (acc.isEmpty) return acc;
  }
  for (const set of negative) {
    acc.andNotInPlace(set);
    if (acc.isEmpty) return acc;
  }
  return acc;
}

/**
 * The customers (seqs) an expression selects, computed from the index alone. It means exactly
 * what the reference evaluator (`evaluate` over `CustomerFacts`) means, customer by customer;
 * `not` is relative to the corp's customers (`index.universe`). The result is a new bitmap the
 * caller owns; the index's own bitmaps are never changed.
 * @example evaluateOnIndex(index, { all: [{ tag: 'etA' }, { not: { city: ['上海'] } }] }, ctx).size
 */
export function evaluateOnIndex(index: CorpIndex, expr: Expr, ctx: EvalContext): Bitmap {
  if ('all' in expr) return all(index, expr.all, ctx);
  if ('any' in expr) return or(...expr.any.map((child) => evaluateOnIndex(index, child, ctx)));
  if ('not' in expr) return complement(index.universe, evaluateOnIndex(index, expr.not, ctx));
  return leafBitmap(index, expr, ctx);
}
