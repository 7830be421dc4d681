import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, andNot, bitmapOf, complement, count, or, sample, serializedSize } from './bitmaps.js';
import { decodeInt4s, decodeRun } from './decode.js';

const seqSet = fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { maxLength: 200 });
const sortedOf = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe('bitmaps', () => {
  it('and / or / andNot / complement agree with plain sets', () => {
    fc.assert(
      fc.property(seqSet, seqSet, seqSet, (xs, ys, zs) => {
        const [a, b, c] = [bitmapOf(xs), bitmapOf(ys), bitmapOf(zs)];
        expect(and(a, b).toArray()).toEqual(sortedOf(xs.filter((x) => ys.includes(x))));
        expect(or(a, b, c).toArray()).toEqual(sortedOf(new Set([...xs, ...ys, ...zs])));
        expect(andNot(a, b).toArray()).toEqual(sortedOf(xs.filter((x) => !ys.includes(x))));
        const universe = or(a, b);
        expect(complement(universe, c).toArray()).toEqual(sortedOf(new Set([...xs, ...ys].filter((x) => !zs.includes(x)))));
        expect(count(a)).toBe(xs.length);
      }),
    );
  });

  it('or of nothing is empty and of one set is a copy, never the set itself', () => {
    expect(or().size).toBe(0);
    const a = bitmapOf([1, 2]);
    const copy = or(a);
    copy.add(3);
    expect(a.toArray()).toEqual([1, 2]);
  });

  it('samples evenly by rank, at most n, all members', () => {
    expect(sample(bitmapOf([1, 2, 3, 4, 5, 6]), 3)).toEqual([1, 3, 5]);
    expect(sample(bitmapOf([7, 9]), 5)).toEqual([7, 9]);
    expect(sample(bitmapOf(), 5)).toEqual([]);
    fc.assert(
      fc.property(seqSet, fc.integer({ min: 1, max: 20 }), (xs, n) => {
        const got = sample(bitmapOf(xs), n);
        expect(got.length).toBe(Math.min(n, xs.length));
        expect(new Set(got).size).toBe(got.length);
        for (const x of got) expect(xs).toContain(x);
      }),
    );
  });

  it('reports a serialized size that grows with content', () => {
    expect(serializedSize(bitmapOf([1]))).toBeGreaterThan(0);
    expect(serializedSize(bitmapOf(Array.from({ length: 1000 }, (_, i) => i * 70)))).toBeGreaterThan(serializedSize(bitmapOf([1])));
  });
});

describe('decode', () => {
  it('reads big-endian int4 runs and (int4, float8) records, from unaligned buffers too', () => {
    const ints = [1, 256, 70_000, 4_294_967_295];
    const be = Buffer.alloc(1 + ints.length * 4);
    ints.forEach((v, i) => be.writeUInt32BE(v, 1 + i * 4));
    expect([...decodeInt4s(be.subarray(1))]).toEqual(ints);
    const records: [number, number][] = [
      [7, 0],
      [3, 1.5],
      [9, 1_795_698_530_962.123],
      [1, -3],
    ];
    const rb = Buffer.alloc(3 + records.length * 12);
    records.forEach(([seq, t], i) => {
      rb.writeUInt32BE(seq, 3 + i * 12);
      rb.writeDoubleBE(t, 3 + i * 12 + 4);
    });
    const run = decodeRun(rb.subarray(3));
    expect([...run.seqs]).toEqual(records.map((r) => r[0]));
    expect([...run.times]).toEqual(records.map((r) => r[1]));
    expect(decodeInt4s(null).length).toBe(0);
    expect(decodeRun(new Uint8Array(0)).seqs.length).toBe(0);
  });
});
