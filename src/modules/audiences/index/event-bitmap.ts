import type { EventPredicate } from '../../../../contracts/audience-expression/ast.js';
import type { Interval } from '../../../../contracts/audience-expression/time.js';
import { type Bitmap, bitmapOf, complement } from './bitmaps.js';
import type { CorpIndex } from './corp-index.js';

// The seqs occurring `keep(count)` times in an unsorted list of occurrences (sorted in place).
function byCount(occurrences: Uint32Array, keep: (count: number) => boolean): Bitmap {
  occurrences.sort();
  const out: number[] = [];
  for (let i = 0; i < occurrences.length; ) {
    let j = i + 1;
    while (j < occurrences.length && occurrences[j] === occurrences[i]) j += 1;
    if (keep(j - i)) out.push(occurrences[i]!);
    i = j;
  }
  return bitmapOf(out);
}

/**
 * The customers whose number of events of the predicate's type (and target) within `span`
 * satisfies its count (default `>= 1`). `>= 1` is a bitmap of the time slice; other counts count
 * occurrences per customer over the slice. `count=0` and `<= n` are complements within the
 * universe, so customers with no such event at all are in them, as in the reference evaluator.
 * @example eventBitmap(index, { type: 'link.clicked', target: 'p1', count: { op: 'gte', n: 2 } }, { start: -Infinity, end: Infinity })
 */
export function eventBitmap(index: CorpIndex, e: EventPredicate, span: Interval): Bitmap {
  const count = e.count ?? { op: 'gte' as const, n: 1 };
  const column = index.events.get(e.type);
  const label = e.target === undefined ? undefined : index.eventTargets.get(e.target);
  // No column, or a target never seen: nobody has a matching event.
  const source = e.target !== undefined && label === undefined ? undefined : column;
  const occurrences = () => (source ? source.occurrences(span.start, span.end, label) : new Uint32Array(0));
  const atLeast = (k: number): Bitmap => {
    if (k <= 0) return index.universe.clone();
    if (!source) return bitmapOf();
    return k === 1 ? source.range(span.start, span.end, label) : byCount(occurrences(), (c) => c >= k);
  };
  if (count.op === 'gte') return atLeast(count.n);
  if (count.op === 'lte') return complement(index.universe, atLeast(count.n + 1));
  if (count.n === 0) return complement(index.universe, atLeast(1));
  return byCount(occurrences(), (c) => c === count.n);
}
