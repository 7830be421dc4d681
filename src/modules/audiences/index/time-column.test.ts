import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRuns, TimeColumn, type TimeRun } from './time-column.js';

function runOf(entries: [number, number][]): TimeRun {
  const sorted = [...entries].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return { seqs: Uint32Array.from(sorted, (e) => e[0]), times: Float64Array.from(sorted, (e) => e[1]) };
}

const time = fc.integer({ min: 0, max: 50 });
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), seq: fc.integer({ min: 1, max: 60 }), t: time }),
  fc.record({ kind: fc.constant('unset' as const), seq: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('range' as const), from: fc.option(time, { nil: undefined }), to: fc.option(time, { nil: undefined }) }),
);

describe('TimeColumn', () => {
  it('merges sorted runs by (time, seq)', () => {
    const merged = mergeRuns(
      runOf([
        [1, 5],
        [2, 9],
      ]),
      runOf([
        [3, 5],
        [0, 7],
      ]),
    );
    expect([...merged.seqs]).toEqual([1, 3, 0, 2]);
    expect([...merged.times]).toEqual([5, 5, 7, 9]);
  });

  it('answers from ≤ t < to like a plain map, through sets, removals and compactions', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 60 }), time), { selector: (e) => e[0], maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(op, { maxLength: 6000 }),
        (initial, parts, ops) => {
          const model = new Map(initial);
          const chunk = Math.ceil(initial.length / parts) || 1;
          const runs = Array.from({ length: parts }, (_, i) => runOf(initial.slice(i * chunk, (i + 1) * chunk)));
          const column = TimeColumn.fromRuns(runs);
          for (const o of ops) {
            if (o.kind === 'set') {
              column.set(o.seq, o.t);
              model.set(o.seq, o.t);
            } else if (o.kind === 'unset') {
              column.set(o.seq, null);
              model.delete(o.seq);
            } else {
              const want = [...model]
                .filter(([, t]) => (o.from === undefined || t >= o.from) && (o.to === undefined || t < o.to))
                .map(([s]) => s)
                .sort((a, b) => a - b);
              expect(column.range(o.from, o.to).toArray()).toEqual(want);
            }
          }
          expect(column.entries()).toEqual([...model].sort((a, b) => a[0] - b[0]));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stays right across compactions (thousands of distinct changes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 9000 }), fc.option(time, { nil: null })), { minLength: 5000, maxLength: 9000 }),
        fc.tuple(time, time),
        (changes, [x, y]) => {
          const column = TimeColumn.fromRuns([
            runOf([
              [1, 3],
              [2, 40],
              [9001, 7],
            ]),
          ]);
          const model = new Map<number, number>([
            [1, 3],
            [2, 40],
            [9001, 7],
          ]);
          for (const [seq, t] of changes) {
            column.set(seq, t);
            if (t === null) model.delete(seq);
            else model.set(seq, t);
          }
          const [from, to] = x <= y ? [x, y] : [y, x];
          const want = [...model]
            .filter(([, t]) => t >= from && t < to)
            .map(([s]) => s)
            .sort((a, b) => a - b);
          expect(column.range(from, to).toArray()).toEqual(want);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('holds several labelled entries per customer: range, labels and occurrences agree with a plain model', () => {
    type Entry = [time: number, label: number];
    const entries = fc.array(fc.tuple(time, fc.nat(2)), { maxLength: 3 });
    const multiOp = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), seq: fc.integer({ min: 1, max: 30 }), entries }),
      fc.record({
        kind: fc.constant('query' as const),
        from: fc.option(time, { nil: undefined }),
        to: fc.option(time, { nil: undefined }),
        label: fc.option(fc.nat(2), { nil: undefined }),
        seq: fc.integer({ min: 1, max: 30 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), entries)), fc.array(multiOp, { maxLength: 5000 }), (initial, ops) => {
        const model = new Map<number, Entry[]>();
        for (const [seq, es] of initial) model.set(seq, es);
        const flat = [...model].flatMap(([seq, es]) => es.map(([t, l]): [number, number, number] => [seq, t, l])).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
        const column = TimeColumn.fromRuns([
          { seqs: Uint32Array.from(flat, (e) => e[0]), times: Float64Array.from(flat, (e) => e[1]), labels: Uint32Array.from(flat, (e) => e[2]) },
        ]);
        for (const o of ops) {
          if (o.kind === 'set') {
            column.set(
              o.seq,
              o.entries.map((e) => e[0]),
              o.entries.map((e) => e[1]),
            );
            model.set(o.seq, o.entries);
          } else {
            const hits = [...model].flatMap(([seq, es]) =>
              es
                .filter(([t, l]) => (o.from === undefined || t >= o.from) && (o.to === undefined || t < o.to) && (o.label === undefined || l === o.label))
                .map(() => seq),
            );
            expect(column.range(o.from, o.to, o.label).toArray()).toEqual([...new Set(hits)].sort((a, b) => a - b));
            expect([...column.occurrences(o.from, o.to, o.label)].sort((a, b) => a - b)).toEqual(hits.sort((a, b) => a - b));
            // Asked between changes, so the lazily built holders are kept up to date by set().
            expect(column.has(o.seq)).toBe((model.get(o.seq) ?? []).length > 0);
          }
        }
        for (let seq = 1; seq <= 30; seq += 1) expect(column.has(seq)).toBe((model.get(seq) ?? []).length > 0);
        const want = [...model]
          .flatMap(([seq, es]) => es.map(([t, l]): [number, number, number] => [seq, t, l]))
          .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
        expect(column.labelledEntries()).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps labels through merges of labelled and unlabelled runs', () => {
    const merged = mergeRuns({ seqs: Uint32Array.of(1), times: Float64Array.of(5), labels: Uint32Array.of(7) }, runOf([[2, 3]]));
    expect([...merged.seqs]).toEqual([2, 1]);
    expect([...merged.labels!]).toEqual([0, 7]);
  });

  it('is empty when built from nothing', () => {
    expect(TimeColumn.fromRuns([]).range().size).toBe(0);
  });

  it('answers every range through the block levels exactly as a scan would, before and after changes', () => {
    // Blocks of 1–3 positions on a few hundred entries: every range is wide, tiled by blocks of
    // several levels (up to 3·16² positions) and ragged edges; customers hold several entries.
    const entry = fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 1000 }));
    const bound = fc.option(fc.integer({ min: -5, max: 1005 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(entry, { maxLength: 900 }),
        fc.array(fc.tuple(bound, bound), { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 130 }), fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null })), { maxLength: 30 }),
        (blockSize, entries, ranges, changes) => {
          const column = TimeColumn.fromRuns([runOf(entries)], { blockSize });
          const model = new Map<number, number[]>();
          for (const [seq, t] of entries) model.set(seq, [...(model.get(seq) ?? []), t]);
          const check = () => {
            for (const [from, to] of ranges) {
              const want = [...model]
                .filter(([, ts]) => ts.some((t) => (from === undefined || t >= from) && (to === undefined || t < to)))
                .map(([s]) => s)
                .sort((a, b) => a - b);
              expect(column.range(from, to).toArray()).toEqual(want);
            }
          };
          check();
          // The answer is the caller's: changing it leaves the precomputed blocks as they were.
          column.range().clear();
          check();
          for (const [seq, t] of changes) {
            column.set(seq, t);
            if (t === null) model.delete(seq);
            else model.set(seq, [t]);
          }
          check();
          column.entries(); // folds the changes in: the blocks are rebuilt from the new run
          check();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers wide ranges (whole precomputed slices plus partial ends) exactly as a scan would', () => {
    // 300k entries: wide ranges go through the chunk bitmaps, narrow ones through a direct slice.
    let state = 7;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const entries: [number, number][] = Array.from({ length: 300_000 }, () => [Math.floor(random() * 200_000), Math.floor(random() * 1e9)]);
    const column = TimeColumn.fromRuns([runOf(entries)]);
    const scan = (from: number, to: number) => [...new Set(entries.filter(([, t]) => t >= from && t < to).map(([seq]) => seq))].sort((a, b) => a - b);
    for (const [from, to] of [
      [0, 1e9],
      [1e8, 9e8],
      [123_456, 654_321_000],
      [5e8, 5e8 + 1e5],
    ] as const)
      expect(column.range(from, to).toArray()).toEqual(scan(from, to));
    // A pending change (not yet compacted) still wins over the chunk bitmaps: `null` drops every entry of the customer.
    const gone = entries[0]![0];
    column.set(gone, null);
    expect(column.range(0, 1e9).has(gone)).toBe(false);
    expect(column.range(0, 1e9).size).toBe(scan(0, 1e9).length - 1);
  });
});
