import { type Bitmap, or } from './bitmaps.js';
import { type CorpIndex, regionBitmap } from './corp-index.js';

// Bitmaps derived from several of an index's own (a region = departments' customers minus those
// with an own region) cost a union over a large part of the corp, the slowest leaf at 10M. They
// are kept per state of the index's facets and departments: `facetsChanged` (called by the one
// change path, applyEvents, whenever customers, follows or departments move) starts a new state,
// and a replaced department tree is noticed by identity. Marks do not touch them, so a stream of
// mark_tag keeps them warm. Only bitmaps derived from facets, departments and customers belong here.

type Derived = { generation: number; departments: CorpIndex['departments']; regions: Map<string, Bitmap>; followedBy: Map<string, Bitmap> };

// Distinct reaches (sets of employees) kept per index state, the least recently used dropped first.
const maxReaches = 64;

const generations = new WeakMap<CorpIndex, number>();
const derived = new WeakMap<CorpIndex, Derived>();

/**
 * Records that the index's customers, facets or departments changed: every bitmap derived from
 * them is recomputed on its next use. Call it after such a change (also when it failed half-way).
 */
export function facetsChanged(index: CorpIndex): void {
  generations.set(index, (generations.get(index) ?? 0) + 1);
}

// The derived bitmaps of the index as it is now, emptied when it has changed since they were made.
function current(index: CorpIndex): Derived {
  const generation = generations.get(index) ?? 0;
  const held = derived.get(index);
  if (held && held.generation === generation && held.departments === index.departments) return held;
  const fresh: Derived = { generation, departments: index.departments, regions: new Map(), followedBy: new Map() };
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

/**
 * The customers followed by any of the employees (an actor's data scope), computed once per state
 * of the index and reach; shared and frozen like a cached region.
 * @example cachedFollowedBy(index, new Set(['zhangsan', 'lisi'])).size
 */
export function cachedFollowedBy(index: CorpIndex, userids: ReadonlySet<string>): Bitmap {
  const { followedBy } = current(index);
  const key = [...userids].sort().join('\u0000');
  let b = followedBy.get(key);
  if (b) followedBy.delete(key);
  else {
    b = or(...[...userids].flatMap((userid) => index.facets.follower.get(userid) ?? []));
    b.runOptimize();
    b.freeze();
    if (followedBy.size >= maxReaches) followedBy.delete(followedBy.keys().next().value!);
  }
  followedBy.set(key, b);
  return b;
}
