import type { Expr, Leaf } from '../../../../contracts/audience-expression/ast.js';
import type { EvalContext } from '../context.js';
import { and, type Bitmap, complement, or } from './bitmaps.js';
import type { CorpIndex } from './corp-index.js';
import { leafBitmap, sharedLeafBitmap } from './leaf-bitmap.js';

// A set with whether this evaluation made it (and may change it in place) or borrows it from the
// index (a tag's, a city's, a region's cached bitmap), which must be read only. Borrowing spares a
// copy of every leaf: at 10M customers a popular tag's copy alone is a large part of a count.
type Part = { set: Bitmap; owned: boolean };

const owned = (set: Bitmap): Part => ({ set, owned: true });

// `all` intersects its positive children from the smallest up and subtracts its `not` children
// directly, so `a and not b` never materialises the (large) complement of b.
function all(index: CorpIndex, children: Expr[], ctx: EvalContext): Part {
  const positive: Part[] = [];
  const negative: Bitmap[] = [];
  for (const child of children) {
    const part = evaluate(index, 'not' in child ? child.not : child, ctx);
    if ('not' in child) negative.push(part.set);
    else if (part.set.isEmpty) return part;
    else positive.push(part);
  }
  positive.sort((a, b) => a.set.size - b.set.size);
  // The first intersection makes a new set, so no borrowed one is ever changed.
  const [first, second] = positive;
  let acc: Bitmap;
  if (!first) acc = index.universe.clone();
  else if (second) acc = first.owned ? first.set : and(first.set, second.set);
  else acc = first.owned ? first.set : first.set.clone();
  for (const { set } of positive.slice(first?.owned || !second ? 1 : 2)) {
    acc.andInPlace(set);
    if (acc.isEmpty) return owned(acc);
  }
  for (const set of negative) {
    acc.andNotInPlace(set);
    if (acc.isEmpty) return owned(acc);
  }
  return owned(acc);
}

// One leaf: the index's own bitmap when it is one stored set, else a new one.
function leaf(index: CorpIndex, expr: Leaf, ctx: EvalContext): Part {
  const shared = sharedLeafBitmap(index, expr);
  return shared ? { set: shared, owned: false } : owned(leafBitmap(index, expr, ctx));
}

function evaluate(index: CorpIndex, expr: Expr, ctx: EvalContext): Part {
  if ('all' in expr) return all(index, expr.all, ctx);
  if ('any' in expr) {
    const parts = expr.any.map((child) => evaluate(index, child, ctx));
    return parts.length === 1 ? parts[0]! : owned(or(...parts.map((p) => p.set)));
  }
  if ('not' in expr) return owned(complement(index.universe, evaluate(index, expr.not, ctx).set));
  return leaf(index, expr, ctx);
}

/**
 * The customers (seqs) an expression selects, computed from the index alone. It means exactly
 * what the reference evaluator (`evaluate` over `CustomerFacts`) means, customer by customer;
 * `not` is relative to the corp's customers (`index.universe`). The result is a new bitmap the
 * caller owns; the index's own bitmaps are never changed.
 * @example evaluateOnIndex(index, { all: [{ tag: 'etA' }, { not: { city: ['上海'] } }] }, ctx).size
 */
export function evaluateOnIndex(index: CorpIndex, expr: Expr, ctx: EvalContext): Bitmap {
  const { set, owned: mine } = evaluate(index, expr, ctx);
  return mine ? set : set.clone();
}
