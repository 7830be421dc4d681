import type { Expr, Leaf } from '../../../../contracts/audience-expression/ast.js';
import type { EvalContext } from '../context.js';
import { and, andNot, type Bitmap, complement, or } from './bitmaps.js';
import type { CorpIndex } from './corp-index.js';
import { leafBitmap, sharedLeafBitmap } from './leaf-bitmap.js';

// A set with whether this evaluation made it (and may change it in place) or borrows it from the
// index (a tag's, a city's, a region's cached bitmap), which must be read only. Borrowing spares a
// copy of every leaf: at 10M customers a popular tag's copy alone is a large part of a count.
type Part = { set: Bitmap; owned: boolean };

const owned = (set: Bitmap): Part => ({ set, owned: true });

// `all`'s children split into the sets to intersect (smallest first) and the sets to subtract, or
// the empty set as soon as one positive child is empty.
function split(index: CorpIndex, children: Expr[], ctx: EvalContext): { positive: Part[]; negative: Bitmap[] } | Part {
  const positive: Part[] = [];
  const negative: Bitmap[] = [];
  for (const child of children) {
    const part = evaluate(index, 'not' in child ? child.not : child, ctx);
    if ('not' in child) negative.push(part.set);
    else if (part.set.isEmpty) return part;
    else positive.push(part);
  }
  positive.sort((a, b) => a.set.size - b.set.size);
  return { positive, negative };
}

type Step = { op: 'and' | 'andNot'; set: Bitmap };

// The smallest positive, then each negative subtracted, then the other positives intersected.
// Subtracting first keeps the set dense while it is: clearing bits of a dense (bitset) set is
// cheap, while an intersection that leaves it sparse converts it to sorted arrays, from which a
// large subtraction is slow (at 10M customers, 3.3 ms instead of 7.3 for one audience).
// With `count`, the last step is only counted (CRoaring's cardinality of an intersection or
// difference), so the final set, often the largest copy of the evaluation, is never built.
function combine(universe: Bitmap, positive: Part[], negative: Bitmap[], count: true): number;
function combine(universe: Bitmap, positive: Part[], negative: Bitmap[], count: false): Part;
function combine(universe: Bitmap, positive: Part[], negative: Bitmap[], count: boolean): Part | number {
  const [first = { set: universe, owned: false }, ...others] = positive;
  const steps: Step[] = [...negative.map((set) => ({ op: 'andNot' as const, set })), ...others.map(({ set }) => ({ op: 'and' as const, set }))];
  const last = count ? steps.pop() : undefined;
  let acc = first.set;
  // The first step makes a new set from a borrowed one, so no borrowed set is ever changed.
  const opening = first.owned ? undefined : steps.shift();
  if (opening) acc = opening.op === 'and' ? and(acc, opening.set) : andNot(acc, opening.set);
  else if (!first.owned && !count) acc = acc.clone();
  for (const { op, set } of steps) {
    if (acc.isEmpty) break;
    if (op === 'and') acc.andInPlace(set);
    else acc.andNotInPlace(set);
  }
  if (!count) return owned(acc);
  if (!last) return acc.size;
  return last.op === 'and' ? acc.andCardinality(last.set) : acc.andNotCardinality(last.set);
}

function all(index: CorpIndex, children: Expr[], ctx: EvalContext): Part {
  const parts = split(index, children, ctx);
  return 'set' in parts ? parts : combine(index.universe, parts.positive, parts.negative, false);
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

// How many customers `children` select together (an `all`), within `among` when given.
function countAll(index: CorpIndex, children: Expr[], ctx: EvalContext, among: Bitmap | null): number {
  const parts = split(index, children, ctx);
  if ('set' in parts) return 0;
  const positive = among ? [...parts.positive, { set: among, owned: false }].sort((a, b) => a.set.size - b.set.size) : parts.positive;
  return combine(index.universe, positive, parts.negative, true);
}

/**
 * How many customers an expression selects (within `among`, e.g. the caller's data scope, when
 * given): the same number as `evaluateOnIndex(...).size`, without building the final set. The
 * last intersection, difference or union is only counted, and `not (a or b)` is counted as
 * everyone minus a minus b. This is the live count of the audience editor.
 * @example countOnIndex(index, { all: [{ tag: 'etA' }, { not: { city: ['上海'] } }] }, ctx) // → 1234
 */
export function countOnIndex(index: CorpIndex, expr: Expr, ctx: EvalContext, among: Bitmap | null = null): number {
  if ('all' in expr) return countAll(index, expr.all, ctx, among);
  if ('not' in expr) {
    const inner = expr.not;
    // not (a or b or c) = everyone and not a and not b and not c
    return countAll(index, 'any' in inner ? inner.any.map((child) => ({ not: child })) : [expr], ctx, among);
  }
  if (among) return countAll(index, [expr], ctx, among);
  if (!('any' in expr)) return evaluate(index, expr, ctx).set.size;
  const parts = expr.any.map((child) => evaluate(index, child, ctx).set).sort((a, b) => a.size - b.size);
  // |rest ∪ largest| counted, never built: the largest set is the costliest to copy into a union.
  const largest = parts.pop()!;
  if (parts.length === 0) return largest.size;
  const rest = parts.length === 1 ? parts[0]! : or(...parts);
  return rest.orCardinality(largest);
}
