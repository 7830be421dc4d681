import { type Bitmap, bitmapOf, or } from './bitmaps.js';

/**
 * Entries (seq, time in epoch milliseconds, optional label) sorted by time then seq. A customer
 * may have any number of entries (one per follow relation, one per behaviour event); `labels`,
 * when present, tags each entry with a small integer (an interned event target).
 */
export type TimeRun = { seqs: Uint32Array; times: Float64Array; labels?: Uint32Array };

// Changes wait in a small side table and are folded into the sorted arrays only when it grows
// past this, so a stream of new customers does not re-sort a million entries per query.
const compactAt = 4096;
// A wide range is answered from precomputed bitmaps of aligned blocks of the sorted run, in levels
// of `blockSize`·16^k positions (as a segment tree with fanout 16), plus the two partial blocks at
// its ends: at most ~30 blocks per level and two edges of < `blockSize` seqs, instead of one bitmap
// built from millions of unsorted seqs per query (a within-180-days range of a 10M corp).
const defaultBlockSize = 4096;
const fanout = 16;

/** First index whose time is ≥ `t` (binary search); the Moments cap ledger searches its times with it too. */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const emptyRun = (): TimeRun => ({ seqs: new Uint32Array(0), times: new Float64Array(0) });

/** Merges two runs sorted by (time, seq) into one; labels survive (0 where a run has none). */
export function mergeRuns(a: TimeRun, b: TimeRun): TimeRun {
  const n = a.seqs.length + b.seqs.length;
  const seqs = new Uint32Array(n);
  const times = new Float64Array(n);
  const labels = a.labels || b.labels ? new Uint32Array(n) : undefined;
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k += 1) {
    const takeA = j >= b.seqs.length || (i < a.seqs.length && (a.times[i]! < b.times[j]! || (a.times[i] === b.times[j] && a.seqs[i]! < b.seqs[j]!)));
    if (takeA) {
      seqs[k] = a.seqs[i]!;
      times[k] = a.times[i]!;
      if (labels) labels[k] = a.labels?.[i] ?? 0;
      i += 1;
    } else {
      seqs[k] = b.seqs[j]!;
      times[k] = b.times[j]!;
      if (labels) labels[k] = b.labels?.[j] ?? 0;
      j += 1;
    }
  }
  return labels ? { seqs, times, labels } : { seqs, times };
}

/** One customer's entries waiting to be folded in: parallel times and labels (empty = none). */
type Pending = { times: readonly number[]; labels: readonly number[] };

/**
 * A time attribute of customers (created_at, every relation's add time, the events of one type)
 * kept sorted by time, so a range such as "added within 30 days" is two binary searches and one
 * bitmap built natively from the slice between them. A customer is in a range when ANY of its
 * entries is, which is how "some relation was added in the window" reads.
 */
export class TimeColumn {
  private run: TimeRun;
  private readonly pending = new Map<number, Pending>();
  private pendingSeqs = bitmapOf();
  // Who has at least one entry; built on first use (refreshes ask it, queries never do).
  private holders: Bitmap | null = null;
  // levels[j][k] = the customers of run positions [k·size_j, (k+1)·size_j), size_j = blockSize·16^j,
  // whole blocks only; built on the first wide range, dropped when pending changes are folded in.
  private levels: Bitmap[][] | null = null;

  private constructor(
    run: TimeRun,
    private readonly blockSize: number,
  ) {
    this.run = run;
  }

  /**
   * A column from runs that are each sorted by (time, seq), e.g. one per build page. `blockSize`
   * (positions per smallest precomputed block) is for tests that need the blocked path on small data.
   */
  static fromRuns(runs: TimeRun[], opts: { blockSize?: number } = {}): TimeColumn {
    let level = runs.filter((r) => r.seqs.length > 0);
    // Pairwise rounds: log(k) passes over the data instead of k.
    while (level.length > 1) {
      const next: TimeRun[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergeRuns(level[i]!, level[i + 1]!) : level[i]!);
      level = next;
    }
    return new TimeColumn(level[0] ?? emptyRun(), Math.max(1, opts.blockSize ?? defaultBlockSize));
  }

  /**
   * Replaces every entry of one customer with `times` (a single time, several, or none with
   * `null` / `[]`); `labels` runs parallel to `times` and defaults to 0.
   */
  set(seq: number, times: number | readonly number[] | null, labels?: readonly number[]): void {
    const list = times === null ? [] : typeof times === 'number' ? [times] : times;
    this.pending.set(seq, { times: list, labels: labels ?? list.map(() => 0) });
    this.pendingSeqs.add(seq);
    if (this.holders) {
      if (list.length > 0) this.holders.add(seq);
      else this.holders.remove(seq);
    }
    if (this.pending.size >= compactAt) this.compact();
  }

  /** Whether the customer has any entry: a refresh skips the columns it never appeared in. */
  has(seq: number): boolean {
    if (!this.holders) {
      this.holders = bitmapOf(this.run.seqs);
      for (const [s, p] of this.pending) {
        if (p.times.length > 0) this.holders.add(s);
        else this.holders.remove(s);
      }
    }
    return this.holders.has(seq);
  }

  /** Customers with an entry whose time t satisfies `from ≤ t < to` (and whose label is `label`, when given); a missing bound is open. */
  range(from?: number, to?: number, label?: number): Bitmap {
    if (label !== undefined) return bitmapOf(this.occurrences(from, to, label));
    const [lo, hi] = this.bounds(from, to);
    const out = this.slice(lo, hi);
    if (this.pending.size === 0) return out;
    out.andNotInPlace(this.pendingSeqs);
    for (const [seq, p] of this.pending) if (p.times.some((t) => inSpan(t, from, to))) out.add(seq);
    return out;
  }

  /**
   * The seq of every entry in `from ≤ t < to` (with `label`, when given), once per entry and in
   * no particular order: counting a customer's occurrences answers "clicked at least 3 times".
   */
  occurrences(from?: number, to?: number, label?: number): Uint32Array {
    const [lo, hi] = this.bounds(from, to);
    const { seqs, labels } = this.run;
    if (this.pending.size === 0 && label === undefined) return seqs.slice(lo, hi);
    const out: number[] = [];
    for (let i = lo; i < hi; i += 1) {
      if (label !== undefined && (labels?.[i] ?? 0) !== label) continue;
      if (this.pending.size > 0 && this.pending.has(seqs[i]!)) continue;
      out.push(seqs[i]!);
    }
    for (const [seq, p] of this.pending) {
      p.times.forEach((t, k) => {
        if (inSpan(t, from, to) && (label === undefined || p.labels[k] === label)) out.push(seq);
      });
    }
    return Uint32Array.from(out);
  }

  /**
   * The whole column as one run sorted by (time, seq), pending changes folded in: what a snapshot
   * stores. The arrays are never written in place afterwards (folding builds new ones), so a
   * snapshot may keep them while the column changes.
   */
  sortedRun(): TimeRun {
    this.compact();
    return this.run;
  }

  /** Every (seq, time) pair, sorted by seq then time: for tests and diagnostics, not for queries. */
  entries(): [number, number][] {
    return this.labelledEntries().map(([seq, t]) => [seq, t]);
  }

  /** Every (seq, time, label) triple, sorted by seq, time, label: for tests and diagnostics. */
  labelledEntries(): [number, number, number][] {
    this.compact();
    const { seqs, times, labels } = this.run;
    const out: [number, number, number][] = [];
    for (let i = 0; i < seqs.length; i += 1) out.push([seqs[i]!, times[i]!, labels?.[i] ?? 0]);
    return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  }

  /**
   * The customers of run positions [lo, hi): a narrow slice is built from its seqs; a wide one is
   * the union of the largest aligned precomputed blocks that tile it, plus its two ragged edges.
   */
  private slice(lo: number, hi: number): Bitmap {
    const { seqs } = this.run;
    const size0 = this.blockSize;
    if (hi - lo <= 2 * size0) return bitmapOf(seqs.subarray(lo, hi));
    const levels = this.blockLevels();
    const parts: Bitmap[] = [];
    let pos = lo;
    while (pos < hi) {
      // The largest block that starts at `pos` and ends by `hi` (a whole block, so it exists).
      let j = -1;
      for (let size = size0, k = 0; k < levels.length && pos % size === 0 && pos + size <= hi; size *= fanout, k += 1) j = k;
      if (j < 0) {
        // A ragged edge: up to the next block boundary, or `hi`.
        const next = Math.min(hi, (Math.floor(pos / size0) + 1) * size0);
        parts.push(bitmapOf(seqs.subarray(pos, next)));
        pos = next;
      } else {
        const size = size0 * fanout ** j;
        parts.push(levels[j]![pos / size]!);
        pos += size;
      }
    }
    return or(...parts);
  }

  // Every level's blocks: the smallest from the seqs, each larger one as the union of its 16 children.
  private blockLevels(): Bitmap[][] {
    if (this.levels) return this.levels;
    const { seqs } = this.run;
    const size0 = this.blockSize;
    const levels: Bitmap[][] = [Array.from({ length: Math.floor(seqs.length / size0) }, (_, k) => bitmapOf(seqs.subarray(k * size0, (k + 1) * size0)))];
    for (let below = levels[0]!; below.length >= fanout; below = levels.at(-1)!) {
      levels.push(Array.from({ length: Math.floor(below.length / fanout) }, (_, k) => or(...below.slice(k * fanout, (k + 1) * fanout))));
    }
    for (const level of levels)
      for (const b of level) {
        b.runOptimize();
        b.freeze();
      }
    this.levels = levels;
    return levels;
  }

  /** The slice of the sorted run that `from ≤ t < to` covers. */
  private bounds(from?: number, to?: number): [number, number] {
    const { times } = this.run;
    const lo = from === undefined ? 0 : lowerBound(times, from);
    const hi = to === undefined ? times.length : lowerBound(times, to);
    return [lo, Math.max(lo, hi)];
  }

  /** Folds pending changes into the sorted arrays. */
  private compact(): void {
    if (this.pending.size === 0) return;
    const { seqs, times, labels } = this.run;
    const kept: TimeRun = {
      seqs: new Uint32Array(seqs.length),
      times: new Float64Array(seqs.length),
      labels: labels ? new Uint32Array(seqs.length) : undefined,
    };
    let n = 0;
    for (let i = 0; i < seqs.length; i += 1) {
      if (this.pending.has(seqs[i]!)) continue;
      kept.seqs[n] = seqs[i]!;
      kept.times[n] = times[i]!;
      if (kept.labels) kept.labels[n] = labels![i]!;
      n += 1;
    }
    const added = [...this.pending]
      .flatMap(([seq, p]) => p.times.map((t, k): [number, number, number] => [seq, t, p.labels[k] ?? 0]))
      .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const extra: TimeRun = { seqs: Uint32Array.from(added, (e) => e[0]), times: Float64Array.from(added, (e) => e[1]) };
    if (added.some((e) => e[2] !== 0)) extra.labels = Uint32Array.from(added, (e) => e[2]);
    const trimmed: TimeRun = { seqs: kept.seqs.subarray(0, n), times: kept.times.subarray(0, n) };
    if (kept.labels) trimmed.labels = kept.labels.subarray(0, n);
    this.run = mergeRuns(trimmed, extra);
    this.levels = null;
    this.pending.clear();
    this.pendingSeqs = bitmapOf();
  }
}

function inSpan(t: number, from?: number, to?: number): boolean {
  return (from === undefined || t >= from) && (to === undefined || t < to);
}
