import type { Bitmap } from './bitmaps.js';
import { type CorpIndex, regionBitmap } from './corp-index.js';

// Bitmaps derived from several of an index's own (a region = departments' customers minus those
// with an own region) cost a union over a large part of the corp, the slowest leaf at 10M. They
// are kept per index state: `indexChanged` (called by every change path, applyEvents) moves the
// state on, and a replaced department tree is noticed by identity, so a cache is never consulted
// for an index it was not computed from.

type Derived = { generation: number; departments: CorpIndex['departments']; regions: Map<string, Bitmap> };

const generations = new WeakMap<CorpIndex, number>();
const derived = new WeakMap<CorpIndex, Derived>();

/**
 * Records that the index changed: every bitmap derived from it is recomputed on its next use.
 * Call it after a change has been applied (also when applying failed half-way).
 */
export function indexChanged(index: CorpIndex): void {
  generations.set(index, (generations.get(index) ?? 0) + 1);
}

// The derived bitmaps of the index as it is now, emptied when it has changed since they were made.
function current(index: CorpIndex): Derived {
  const generation = generations.get(index) ?? 0;
  const held = derived.get(index);
  if (held && held.generation === generation && held.departments === index.departments) return held;
  const fresh: Derived = { generation, departments: index.departments, regions: new Map() };
  derived.set(index, fresh);
  return fresh;
}

/**
 * `regionBitmap(index, region)`, computed once per state of the index. The bitmap is shared and
 * frozen: a caller that needs to change it must clone it (`or` of one set does).
 * @example cachedRegionBitmap(index, '华东').size // as regionBitmap(index, '华东').size
 */
export function cachedRegionBitmap(index: CorpIndex, region: string): Bitmap {
  const { regions } = current(index);
  let b = regions.get(region);
  if (!b) {
    b = regionBitmap(index, region);
    b.runOptimize();
    b.freeze();
    regions.set(region, b);
  }
  return b;
}
