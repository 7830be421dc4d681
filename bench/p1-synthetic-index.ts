import type { EvalContext } from '../src/modules/audiences/context.js';
import { serializedSize } from '../src/modules/audiences/index/bitmaps.js';
import { addTo, type CorpIndex, emptyCorpIndex } from '../src/modules/audiences/index/corp-index.js';
import { TimeColumn } from '../src/modules/audiences/index/time-column.js';
import { p1Now, seededRandom } from './p1-expressions.js';

/** The size of an in-memory corp; `timeScaleOf` is the customer count whose add-time span it copies. */
export type SyntheticOptions = { customers: number; marks: number; tags: number; employees: number; seed: number; timeScaleOf: number };

const day0 = Date.parse('2025-01-01T00:00:00Z');
const day31 = Date.parse('2025-02-01T00:00:00Z');

// Seqs 1..n grouped by key (a negative key = none), one exact-size typed array per key: two passes
// instead of millions of pushes onto JS arrays.
function bucket(n: number, keys: number, keyOf: (i: number) => number): Uint32Array[] {
  const counts = new Uint32Array(keys);
  for (let i = 1; i <= n; i += 1) {
    const k = keyOf(i);
    if (k >= 0) counts[k]! += 1;
  }
  const out = Array.from(counts, (c) => new Uint32Array(c));
  const filled = new Uint32Array(keys);
  for (let i = 1; i <= n; i += 1) {
    const k = keyOf(i);
    if (k >= 0) out[k]![filled[k]!++] = i;
  }
  return out;
}

// The second follow relation of the P5 seed: every fifth customer, by another employee.
const secondFollower = (i: number, employees: number) => (i % 5 === 0 && (i * 7 + 1) % employees !== i % employees ? (i * 7 + 1) % employees : -1);

// Marks as the seed draws them: tag k with probability ln((k+2)/(k+1)) / ln(tags+1), customers
// uniform, duplicates collapsing; rounds top up until the distinct count reaches the target.
function addZipfTags(index: CorpIndex, o: SyntheticOptions, random: () => number): number {
  const weights = Array.from({ length: o.tags }, (_, k) => Math.log((k + 2) / (k + 1)) / Math.log(o.tags + 1));
  let marks = 0;
  for (let round = 0; round < 10 && marks < o.marks; round += 1) {
    const missing = o.marks - marks;
    for (let k = 0; k < o.tags; k += 1) {
      const draws = new Uint32Array(Math.floor(missing * weights[k]! + random()));
      for (let j = 0; j < draws.length; j += 1) draws[j] = 1 + Math.floor(random() * o.customers);
      addTo(index.tags, `t${k}`, draws);
    }
    marks = 0;
    for (const b of index.tags.values()) marks += b.size;
  }
  return marks;
}

/**
 * A corp index built in memory with the P5 seed's distributions (customers, two follow relations
 * for a fifth of them, 40 departments, Zipf-sized tags), without PostgreSQL: 10M customers and
 * 50M marks would take far too long to seed for a routine run. Add times are stretched to span
 * what `timeScaleOf` customers span in the seed, so time windows select the same share.
 * Facets no P1 expression uses (state, company, created_at) are left empty.
 */
export function buildSyntheticIndex(o: SyntheticOptions): { index: CorpIndex; ctx: EvalContext; marks: number; ms: number; bitmapBytes: number } {
  const started = performance.now();
  const random = seededRandom(o.seed);
  const n = o.customers;
  const index = emptyCorpIndex('ww-bench-p1-synthetic', { xmax: 0n, pending: [], floor: 0 });
  index.universe.addRange(1, n + 1);
  const put = (facet: keyof CorpIndex['facets'], keys: (string | null)[], groups: Uint32Array[]) =>
    groups.forEach((seqs, k) => keys[k] !== null && seqs.length > 0 && addTo(index.facets[facet], keys[k]!, seqs));
  put(
    'gender',
    ['0', '1', '2'],
    bucket(n, 3, (i) => i % 3),
  );
  put(
    'province',
    ['上海', '北京', '广东', '浙江', null],
    bucket(n, 5, (i) => i % 5),
  );
  put(
    'city',
    ['上海', '北京', '广州', '杭州', '深圳', null],
    bucket(n, 6, (i) => i % 6),
  );
  put(
    'ownRegion',
    ['华中'],
    bucket(n, 1, (i) => (i % 10 === 0 ? 0 : -1)),
  );
  const userids = Array.from({ length: o.employees }, (_, e) => `e${e}`);
  put(
    'follower',
    userids,
    bucket(n, o.employees, (i) => i % o.employees),
  );
  put(
    'follower',
    userids,
    bucket(n, o.employees, (i) => secondFollower(i, o.employees)),
  );
  put(
    'addWay',
    Array.from({ length: 10 }, (_, w) => String(w)),
    bucket(n, 10, (i) => i % 10),
  );
  put(
    'addWay',
    ['1'],
    bucket(n, 1, (i) => (secondFollower(i, o.employees) >= 0 ? 0 : -1)),
  );
  // Employee e belongs to department 1 + e % 40; a department's customers are its members' (as the build derives them).
  for (let e = 0; e < o.employees; e += 1) addTo(index.facets.department, String(1 + (e % 40)), index.facets.follower.get(`e${e}`)?.toArray() ?? []);
  for (let d = 1; d <= 40; d += 1) index.departments.set(d, { parentId: d === 1 ? 0 : 1 + (d % 4), region: ['华东', '华北', '华南', null][d % 4]! });

  const stretch = o.timeScaleOf / n;
  const first = bucket(n, 1, () => 0)[0]!;
  const second = bucket(n, 1, (i) => (secondFollower(i, o.employees) >= 0 ? 0 : -1))[0]!;
  index.addTime = TimeColumn.fromRuns([
    { seqs: first, times: Float64Array.from(first, (i) => day0 + i * 19_000 * stretch) },
    { seqs: second, times: Float64Array.from(second, (i) => day31 + i * 13_000 * stretch) },
  ]);

  const marks = addZipfTags(index, o, random);
  for (const b of [index.universe, ...index.tags.values()]) b.runOptimize();
  let bitmapBytes = 0;
  for (const map of [index.tags, ...Object.values(index.facets)]) for (const b of map.values()) bitmapBytes += serializedSize(b);
  index.stats = { ms: performance.now() - started, pages: 0, customers: index.universe.size, tags: index.tags.size, personalTags: 0, bitmapBytes };
  const ctx: EvalContext = {
    now: p1Now,
    tagGroups: new Map(Array.from({ length: o.tags }, (_, k) => [`t${k}`, `g${Math.floor(k / 20)}`])),
    departmentParents: new Map([...index.departments].map(([d, { parentId }]) => [d, parentId])),
  };
  return { index, ctx, marks, ms: performance.now() - started, bitmapBytes };
}
