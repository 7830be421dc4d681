import type { AttrPredicate, Leaf } from '../../../../contracts/audience-expression/ast.js';
import { defaultUtcOffsetMinutes } from '../../../../contracts/audience-expression/time.js';
import { windowInterval } from '../../../../contracts/audience-expression/window.js';
import type { EvalContext } from '../context.js';
import { attrValueHolds, groupTags, inSubtree } from '../expression/match.js';
import { and, type Bitmap, bitmapOf, complement, or } from './bitmaps.js';
import { type CorpIndex, type Facet, facetBitmap, personalTagBitmap, tagBitmap } from './corp-index.js';
import { cachedRegionBitmap } from './derived-cache.js';
import { eventBitmap } from './event-bitmap.js';

// Every function here returns a bitmap of its own (never one the index holds), so the
// combinators in evaluate.ts may change it in place.

const entriesWhere = (map: Map<string, Bitmap>, keep: (key: string) => boolean) => or(...[...map].filter(([key]) => keep(key)).map(([, b]) => b));

/** A tag's customers: a tag id lives in one of the two maps; the caller has checked personal ownership. */
function tag(index: CorpIndex, tagId: string): Bitmap {
  return or(tagBitmap(index, tagId), personalTagBitmap(index, tagId));
}

/**
 * Customers with any of the values. Empty values are not stored for customer-row facets, so
 * `''` (as in `province:""`) means "has no value": the universe minus everyone with one.
 */
function values(index: CorpIndex, facet: Facet, wanted: readonly (string | number)[]): Bitmap {
  const parts = [...new Set(wanted.map(String))].filter((v) => v !== '').map((v) => facetBitmap(index, facet, v));
  if (wanted.includes('')) parts.push(complement(index.universe, or(...index.facets[facet].values())));
  return or(...parts);
}

// A group's live tags at evaluation time; `all` of a group without tags holds vacuously.
function group(index: CorpIndex, { id, has }: { id: string; has: 'any' | 'all' | 'none' }, ctx: EvalContext): Bitmap {
  const members = groupTags(ctx.tagGroups, id).map((t) => tag(index, t));
  if (has === 'any') return or(...members);
  if (has === 'none') return complement(index.universe, or(...members));
  return members.reduce((acc, b) => and(acc, b), index.universe.clone());
}

// The attribute's distinct stored values are few: each is tested exactly as the reference does.
function attr(index: CorpIndex, a: AttrPredicate, offset: number): Bitmap {
  const stored = index.attributes.get(a.name);
  return stored ? entriesWhere(stored, (key) => attrValueHolds(a, JSON.parse(key), offset)) : bitmapOf();
}

/**
 * The index's own bitmap when a leaf is exactly one stored set (a corp tag, one facet value, one
 * region), else null. It is shared and must not be changed: the evaluator reads it in place
 * instead of copying millions of seqs a combinator only reads.
 * @example sharedLeafBitmap(index, { tag: 't1' }, ctx) === tagBitmap(index, 't1') // when no personal tag has that id
 */
export function sharedLeafBitmap(index: CorpIndex, leaf: Leaf): Bitmap | null {
  if ('tag' in leaf) return index.personalTags.has(leaf.tag) ? null : tagBitmap(index, leaf.tag);
  if ('region' in leaf) return leaf.region.length === 1 ? cachedRegionBitmap(index, leaf.region[0]!) : null;
  // One value (not '', which means "has none") is one stored bitmap.
  const one = (facet: Facet, wanted: readonly (string | number)[]) => (wanted.length === 1 && wanted[0] !== '' ? facetBitmap(index, facet, wanted[0]!) : null);
  if ('city' in leaf) return one('city', leaf.city);
  if ('province' in leaf) return one('province', leaf.province);
  if ('gender' in leaf) return one('gender', leaf.gender);
  if ('addWay' in leaf) return one('addWay', leaf.addWay);
  return null;
}

/**
 * The customers one leaf condition selects, from the index alone, with the semantics of
 * `matchLeaf` (expression/match.ts): relation-level leaves hold when some relation matches,
 * departments answer `dept:N+` by testing each indexed department against the tree in `ctx`.
 * @example leafBitmap(index, { city: ['上海'] }, ctx).size // → customers in 上海
 */
export function leafBitmap(index: CorpIndex, leaf: Leaf, ctx: EvalContext): Bitmap {
  const offset = ctx.utcOffsetMinutes ?? defaultUtcOffsetMinutes;
  if ('tag' in leaf) return tag(index, leaf.tag);
  if ('group' in leaf) return group(index, leaf.group, ctx);
  if ('addWay' in leaf) return values(index, 'addWay', leaf.addWay);
  if ('state' in leaf) return or(...[...new Set(leaf.state)].map((s) => facetBitmap(index, 'state', s)));
  if ('follower' in leaf) return values(index, 'follower', leaf.follower);
  if ('added' in leaf) {
    const span = windowInterval(leaf.added, ctx.now.getTime(), offset);
    return index.addTime.range(span.start, span.end);
  }
  if ('department' in leaf) {
    const wanted = leaf.department;
    const test = (dept: number) => wanted.some((d) => dept === d.id || (d.subtree && inSubtree(dept, d.id, ctx.departmentParents)));
    return entriesWhere(index.facets.department, (key) => test(Number(key)));
  }
  if ('province' in leaf) return values(index, 'province', leaf.province);
  if ('city' in leaf) return values(index, 'city', leaf.city);
  // Cached per index state (derived-cache.ts); `or` returns a copy the caller may change.
  if ('region' in leaf) return or(...[...new Set(leaf.region)].map((r) => cachedRegionBitmap(index, r)));
  if ('gender' in leaf) return values(index, 'gender', leaf.gender);
  if ('company' in leaf) {
    const { op, value } = leaf.company;
    if (op === 'eq') return values(index, 'company', [value]);
    // Every company name contains '', the empty one included.
    return value === '' ? index.universe.clone() : entriesWhere(index.facets.company, (name) => name.includes(value));
  }
  if ('attr' in leaf) return attr(index, leaf.attr, offset);
  if ('groupChat' in leaf) {
    const { id, window } = leaf.groupChat;
    const span = window ? windowInterval(window, ctx.now.getTime(), offset) : { start: -Infinity, end: Infinity };
    const label = id === undefined ? undefined : index.chatLabels.get(id);
    // A chat nobody in the index has ever been in selects nobody.
    if (id !== undefined && label === undefined) return bitmapOf();
    return index.chats.range(span.start, span.end, label);
  }
  return eventBitmap(index, leaf.event, leaf.event.window ? windowInterval(leaf.event.window, ctx.now.getTime(), offset) : { start: -Infinity, end: Infinity });
}
