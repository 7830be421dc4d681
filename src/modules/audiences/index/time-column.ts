import { bitmapOf, type Bitmap } from './bitmaps.js';

/** Seqs with their times (epoch milliseconds), sorted by time then seq. */
export type TimeRun = { seqs: Uint32Array; times: Float64Array };

// Changes wait in a small side table and are folded into the sorted arrays only when it grows
// past this, so a stream of new customers does not re-sort a million entries per query.
const compactAt = 4096;

/** First index whose time is ≥ `t` (binary search). */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges two runs sorted by (time, seq) into one. */
export function mergeRuns(a: TimeRun, b: TimeRun): TimeRun {
  const n = a.seqs.length + b.seqs.length;
  const seqs = new Uint32Array(n);
  const times = new Float64Array(n);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k += 1) {
    const takeA = j >= b.seqs.length || (i < a.seqs.length && (a.times[i]! < b.times[j]! || (a.times[i] === b.times[j] && a.seqs[i]! < b.seqs[j]!)));
    if (takeA) {
      seqs[k] = a.seqs[i]!;
      times[k] = a.times[i]!;
      i += 1;
    } else {
      seqs[k] = b.seqs[j]!;
      times[k] = b.times[j]!;
      j += 1;
    }
  }
  return { seqs, times };
}

/**
 * One time attribute of every customer (created_at, first add time) kept sorted by time, so a
 * range such as "added within 30 days" is two binary searches and one bitmap built natively from
 * the slice between them.
 */
export class TimeColumn {
  private run: TimeRun;
  private readonly pending = new Map<number, number | null>();
  private pendingSeqs = bitmapOf();

  private constructor(run: TimeRun) {
    this.run = run;
  }

  /** A column from runs that are each sorted by (time, seq), e.g. one per build page. */
  static fromRuns(runs: TimeRun[]): TimeColumn {
    let level = runs.filter((r) => r.seqs.length > 0);
    // Pairwise rounds: log(k) passes over the data instead of k.
    while (level.length > 1) {
      const next: TimeRun[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergeRuns(level[i]!, level[i + 1]!) : level[i]!);
      level = next;
    }
    return new TimeColumn(level[0] ?? { seqs: new Uint32Array(0), times: new Float64Array(0) });
  }

  /** Sets (or, with `null`, removes) the time of one customer. */
  set(seq: number, time: number | null): void {
    this.pending.set(seq, time);
    this.pendingSeqs.add(seq);
    if (this.pending.size >= compactAt) this.compact();
  }

  /** Customers whose time t satisfies `from ≤ t < to`; a missing bound is open. */
  range(from?: number, to?: number): Bitmap {
    const { seqs, times } = this.run;
    const lo = from === undefined ? 0 : lowerBound(times, from);
    const hi = to === undefined ? seqs.length : lowerBound(times, to);
    const out = bitmapOf(seqs.subarray(lo, Math.max(lo, hi)));
    if (this.pending.size === 0) return out;
    out.andNotInPlace(this.pendingSeqs);
    for (const [seq, t] of this.pending) {
      if (t !== null && (from === undefined || t >= from) && (to === undefined || t < to)) out.add(seq);
    }
    return out;
  }

  /** Every (seq, time) pair, sorted by seq: for tests and diagnostics, not for queries. */
  entries(): [number, number][] {
    this.compact();
    const out: [number, number][] = [];
    for (let i = 0; i < this.run.seqs.length; i += 1) out.push([this.run.seqs[i]!, this.run.times[i]!]);
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** Folds pending changes into the sorted arrays. */
  private compact(): void {
    if (this.pending.size === 0) return;
    const { seqs, times } = this.run;
    const keptSeqs = new Uint32Array(seqs.length);
    const keptTimes = new Float64Array(seqs.length);
    let n = 0;
    for (let i = 0; i < seqs.length; i += 1) {
      if (this.pending.has(seqs[i]!)) continue;
      keptSeqs[n] = seqs[i]!;
      keptTimes[n] = times[i]!;
      n += 1;
    }
    const added = [...this.pending].filter((e): e is [number, number] => e[1] !== null).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const extra: TimeRun = { seqs: Uint32Array.from(added, (e) => e[0]), times: Float64Array.from(added, (e) => e[1]) };
    this.run = mergeRuns({ seqs: keptSeqs.subarray(0, n), times: keptTimes.subarray(0, n) }, extra);
    this.pending.clear();
    this.pendingSeqs = bitmapOf();
  }
}
