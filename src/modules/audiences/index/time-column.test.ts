import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeColumn, mergeRuns, type TimeRun } from './time-column.js';

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
    const merged = mergeRuns(runOf([[1, 5], [2, 9]]), runOf([[3, 5], [0, 7]]));
    expect([...merged.seqs]).toEqual([1, 3, 0, 2]);
    expect([...merged.times]).toEqual([5, 5, 7, 9]);
  });

  it('answers from ≤ t < to like a plain map, through sets, removals and compactions', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 60 }), time), { selector: (e) => e[0], maxLength: 40 }), fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 6000 }), (initial, parts, ops) => {
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
            const want = [...model].filter(([, t]) => (o.from === undefined || t >= o.from) && (o.to === undefined || t < o.to)).map(([s]) => s).sort((a, b) => a - b);
            expect(column.range(o.from, o.to).toArray()).toEqual(want);
          }
        }
        expect(column.entries()).toEqual([...model].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 60 },
    );
  });

  it('stays right across compactions (thousands of distinct changes)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 9000 }), fc.option(time, { nil: null })), { minLength: 5000, maxLength: 9000 }), fc.tuple(time, time), (changes, [x, y]) => {
        const column = TimeColumn.fromRuns([runOf([[1, 3], [2, 40], [9001, 7]])]);
        const model = new Map<number, number>([[1, 3], [2, 40], [9001, 7]]);
        for (const [seq, t] of changes) {
          column.set(seq, t);
          if (t === null) model.delete(seq);
          else model.set(seq, t);
        }
        const [from, to] = x <= y ? [x, y] : [y, x];
        const want = [...model].filter(([, t]) => t >= from && t < to).map(([s]) => s).sort((a, b) => a - b);
        expect(column.range(from, to).toArray()).toEqual(want);
      }),
      { numRuns: 10 },
    );
  });

  it('is empty when built from nothing', () => {
    expect(TimeColumn.fromRuns([]).range().size).toBe(0);
  });
});
