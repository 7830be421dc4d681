import type { RoaringBitmap32 } from 'roaring';
import roaring from 'roaring';

// `roaring` is CommonJS whose exports Node's ESM loader cannot see by name: only the default
// import works at run time; the type comes from its declarations.
const { RoaringBitmap32: Roaring } = roaring;

/** A set of customer seqs (bitmap positions) in CRoaring's compressed form. */
export type Bitmap = RoaringBitmap32;

/**
 * A new bitmap holding the given seqs (none by default). A `Uint32Array` is copied in natively,
 * which is how the index loads millions of seqs at once.
 * @example bitmapOf([3, 1, 2]).toArray() // [1, 2, 3]
 */
export function bitmapOf(seqs?: Iterable<number> | Uint32Array): Bitmap {
  return seqs === undefined ? new Roaring() : new Roaring(seqs);
}

/** Customers in both sets. */
export function and(a: Bitmap, b: Bitmap): Bitmap {
  return Roaring.and(a, b);
}

/** Customers in any of the sets (CRoaring's many-way union, faster than folding pairs). */
export function or(...sets: Bitmap[]): Bitmap {
  if (sets.length === 0) return bitmapOf();
  if (sets.length === 1) return sets[0]!.clone();
  return Roaring.orMany(sets);
}

/** Customers in `a` but not in `b`. */
export function andNot(a: Bitmap, b: Bitmap): Bitmap {
  return Roaring.andNot(a, b);
}

/** Everyone in `universe` outside `set`: NOT is relative to the corp's customers, never to 2³². */
export function complement(universe: Bitmap, set: Bitmap): Bitmap {
  return Roaring.andNot(universe, set);
}

/** How many customers the set holds. */
export function count(set: Bitmap): number {
  return set.size;
}

/**
 * Up to `n` seqs spread evenly over the set (by rank), so a preview shows a cross-section of the
 * audience rather than only its oldest customers.
 * @example sample(bitmapOf([1, 2, 3, 4, 5, 6]), 3) // [1, 3, 5]
 */
export function sample(set: Bitmap, n: number): number[] {
  const size = set.size;
  if (size <= n) return set.toArray();
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push(set.select(Math.floor((i * size) / n))!);
  return out;
}

/** Bytes the set takes in the portable serialized format: a proxy for its memory footprint. */
export function serializedSize(set: Bitmap): number {
  return set.getSerializationSizeInBytes('portable');
}
