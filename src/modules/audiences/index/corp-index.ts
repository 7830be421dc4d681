import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { startCursor, type TailCursor } from '../../../events/snapshot-cursor.js';
import { effectiveRegionOf } from '../regions.js';
import { andNot, type Bitmap, bitmapOf, or, serializedSize } from './bitmaps.js';
import { type KeyRange, loadDepartments, loadEmployeeDepartments, loadPage, nextRange, personalTagIds } from './load.js';
import { TimeColumn, type TimeRun } from './time-column.js';

/**
 * Attribute facets with one bitmap per value. The first five come from the customer row
 * (`ownRegion` = `attributes->>'region'`, `company` = `corp_name`; empty values are not stored);
 * the rest from its follow relations, where a customer has a value if ANY relation has it
 * (`state` keeps `''`, a relation without a contact way; `department` = a follower's own
 * department ids, not their ancestors: a subtree is answered by OR-ing its departments).
 */
export const facetNames = ['gender', 'province', 'city', 'ownRegion', 'company', 'addWay', 'state', 'follower', 'department'] as const;

/** One of the indexed attribute facets. */
export type Facet = (typeof facetNames)[number];

/** The time attributes answered by range: `addTime` has one entry per follow relation. */
export type TimeAttribute = 'createdAt' | 'addTime';

/** How long a build took and what it holds. */
export type BuildStats = { ms: number; pages: number; customers: number; tags: number; personalTags: number; bitmapBytes: number };

/**
 * The in-memory audience index of one corp: customers as dense seqs, a bitmap per tag (corp,
 * strategy and smart tags together; "has tag T" = any relation carries T), per personal tag (to
 * be used only in its owner's audiences), per facet and custom attribute value, and sorted time
 * columns (created, every relation's add time, each behaviour event type, group chat joins). Enough to answer every
 * leaf of an audience expression (`evaluateOnIndex`). `cursor` is where the event tail resumes so
 * that nothing committed after the build is missed.
 */
export type CorpIndex = {
  corpId: string;
  universe: Bitmap;
  tags: Map<string, Bitmap>;
  personalTags: Map<string, Bitmap>;
  facets: Record<Facet, Map<string, Bitmap>>;
  /** Custom attribute name → `attrKey` of a value (`'3'`, `'"gold"'`, `'null'`) → customers. */
  attributes: Map<string, Map<string, Bitmap>>;
  createdAt: TimeColumn;
  /** Every follow relation's add time: "added in the window" = some relation's time is in it. */
  addTime: TimeColumn;
  /** Behaviour event type → its events, labelled with the interned target (`eventTargets`). */
  events: Map<string, TimeColumn>;
  /** Event target → label; labels are never reused, so a column never needs relabelling. */
  eventTargets: Map<string, number>;
  /** Customers' group chat memberships now, at their join times, labelled with the interned chat id (`chatLabels`). */
  chats: TimeColumn;
  /** Chat id → label, interned on first sight and never reused, as `eventTargets`. */
  chatLabels: Map<string, number>;
  departments: Map<number, { parentId: number; region: string | null }>;
  cursor: TailCursor;
  stats: BuildStats;
};

const empty = bitmapOf();
empty.freeze();

/** The customers carrying a corp (or strategy / smart) tag; empty for an unknown or unused tag. */
export function tagBitmap(index: CorpIndex, tagId: string): Bitmap {
  return index.tags.get(tagId) ?? empty;
}

/** The customers carrying a personal tag. The caller must have checked that the audience's owner owns it. */
export function personalTagBitmap(index: CorpIndex, tagId: string): Bitmap {
  return index.personalTags.get(tagId) ?? empty;
}

/** The customers with one value of a facet, e.g. `facetBitmap(index, 'gender', 1)`. */
export function facetBitmap(index: CorpIndex, facet: Facet, value: string | number): Bitmap {
  return index.facets[facet].get(String(value)) ?? empty;
}

/** A department's region: its own, else its nearest ancestor's (as the console shows it). */
export function effectiveRegion(index: CorpIndex, deptId: number): string | null {
  return effectiveRegionOf(index.departments, deptId);
}

/**
 * The customers in a region: those whose own `attributes.region` is it, plus those without an own
 * region who are followed by someone in a department of that region. Derived at query time from
 * the department bitmaps, so re-regioning a department needs no rebuild.
 */
export function regionBitmap(index: CorpIndex, region: string): Bitmap {
  const viaFollowers = [...index.facets.department].filter(([dept]) => effectiveRegion(index, Number(dept)) === region).map(([, b]) => b);
  const withOwnRegion = or(...index.facets.ownRegion.values());
  return or(facetBitmap(index, 'ownRegion', region), andNot(or(...viaFollowers), withOwnRegion));
}

/** Customers whose time attribute t satisfies `from ≤ t < to` (epoch ms; a missing bound is open). */
export function timeRange(index: CorpIndex, attribute: TimeAttribute, from?: number, to?: number): Bitmap {
  return index[attribute].range(from, to);
}

/** The label of an event target, interned on first sight. */
export function targetLabel(index: CorpIndex, target: string): number {
  let label = index.eventTargets.get(target);
  if (label === undefined) {
    label = index.eventTargets.size;
    index.eventTargets.set(target, label);
  }
  return label;
}

/** The label of a group chat id, interned on first sight. */
export function chatLabel(index: CorpIndex, chatId: string): number {
  let label = index.chatLabels.get(chatId);
  if (label === undefined) {
    label = index.chatLabels.size;
    index.chatLabels.set(chatId, label);
  }
  return label;
}

/** Adds seqs to the bitmap at `key`, creating it on first use. */
export function addTo(map: Map<string, Bitmap>, key: string, seqs: Uint32Array | number[]): void {
  const existing = map.get(key);
  if (existing) existing.addMany(seqs);
  else map.set(key, bitmapOf(seqs));
}

/** An index with nothing in it yet. */
export function emptyCorpIndex(corpId: string, cursor: TailCursor): CorpIndex {
  const facets = Object.fromEntries(facetNames.map((f) => [f, new Map<string, Bitmap>()])) as Record<Facet, Map<string, Bitmap>>;
  return {
    corpId,
    universe: bitmapOf(),
    tags: new Map(),
    personalTags: new Map(),
    facets,
    attributes: new Map(),
    createdAt: TimeColumn.fromRuns([]),
    addTime: TimeColumn.fromRuns([]),
    events: new Map(),
    eventTargets: new Map(),
    chats: TimeColumn.fromRuns([]),
    chatLabels: new Map(),
    departments: new Map(),
    cursor,
    stats: { ms: 0, pages: 0, customers: 0, tags: 0, personalTags: 0, bitmapBytes: 0 },
  };
}

/** The map at `key` of a map of maps, created on first use. */
export function mapOf<K, V>(maps: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let map = maps.get(key);
  if (!map) maps.set(key, (map = new Map()));
  return map;
}

function listOf<V>(lists: Map<string, V[]>, key: string): V[] {
  let list = lists.get(key);
  if (!list) lists.set(key, (list = []));
  return list;
}

/** Options for a build: customers per page, and how many pages are read at once. */
export type BuildOptions = { pageSize?: number; concurrency?: number };

/**
 * Builds a corp's index from the database, reading customers, follows and marks in keyset pages
 * of customers (each page's groups arrive as one bytea of seqs, so memory holds bitmaps, not
 * rows). The tail cursor is fixed first, so events committed during the build are replayed.
 */
export async function buildCorpIndex(db: Db, corpId: string, opts: BuildOptions = {}): Promise<CorpIndex> {
  const started = performance.now();
  const index = emptyCorpIndex(corpId, await startCursor(db, corpId));
  const pageSize = opts.pageSize ?? 50_000;
  const personal = await personalTagIds(db, corpId);
  // Keyset pages, each found from the previous one while earlier pages load. Taking a page swaps
  // in the promise of the next one synchronously, so two workers never get the same page.
  let pages = 0;
  let upcoming: Promise<KeyRange | null> = nextRange(db, corpId, null, pageSize);
  const takeRange = (): Promise<KeyRange | null> => {
    const mine = upcoming;
    upcoming = mine.then((r) => (r && r.upTo !== null ? nextRange(db, corpId, r.upTo, pageSize) : null));
    return mine.then((r) => {
      if (r) pages += 1;
      return r;
    });
  };
  const createdRuns: TimeRun[] = [];
  const addRuns: TimeRun[] = [];
  const eventRuns = new Map<string, TimeRun[]>();
  const chatRuns: TimeRun[] = [];
  const worker = async () => {
    for (let range = await takeRange(); range; range = await takeRange()) {
      // One short transaction per page, so its settings stay local. Per-tag grouping wants a hash
      // aggregate, not a sort spilling to disk at the default 4MB; JIT compilation and parallel
      // workers cost more than they give on queries this small, run side by side.
      const page = await db.transaction(async (tx) => {
        await tx.execute(sql`set local work_mem = '64MB'`);
        await tx.execute(sql`set local jit = off`);
        await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
        return loadPage(tx, corpId, range, personal);
      });
      for (const g of page.facets) addTo(index.facets[g.facet as Facet], g.value, g.seqs);
      for (const g of page.tags) addTo(g.personal ? index.personalTags : index.tags, g.tagId, g.seqs);
      for (const g of page.attributes) addTo(mapOf(index.attributes, g.name), g.value, g.seqs);
      for (const g of page.events) {
        const labels = new Uint32Array(g.run.seqs.length).fill(targetLabel(index, g.target));
        listOf(eventRuns, g.type).push({ ...g.run, labels });
      }
      for (const g of page.chats) chatRuns.push({ ...g.run, labels: new Uint32Array(g.run.seqs.length).fill(chatLabel(index, g.chatId)) });
      index.universe.addMany(page.created.seqs);
      createdRuns.push(page.created);
      addRuns.push(page.added);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 3) }, worker));

  // A department's customers are those of its members: derived from the follower bitmaps instead
  // of one SQL row per (relation, department).
  const members = new Map<string, Bitmap[]>();
  for (const [userid, departments] of await loadEmployeeDepartments(db, corpId)) {
    const followed = index.facets.follower.get(userid);
    if (!followed) continue;
    for (const dept of departments) listOf(members, String(dept)).push(followed);
  }
  for (const [dept, bitmaps] of members) index.facets.department.set(dept, or(...bitmaps));
  index.createdAt = TimeColumn.fromRuns(createdRuns);
  index.addTime = TimeColumn.fromRuns(addRuns);
  for (const [type, runs] of eventRuns) index.events.set(type, TimeColumn.fromRuns(runs));
  index.chats = TimeColumn.fromRuns(chatRuns);
  index.departments = await loadDepartments(db, corpId);
  for (const b of [index.universe, ...index.tags.values(), ...index.personalTags.values()]) b.runOptimize();
  let bitmapBytes = serializedSize(index.universe);
  for (const map of [index.tags, index.personalTags, ...Object.values(index.facets), ...index.attributes.values()])
    for (const b of map.values()) bitmapBytes += serializedSize(b);
  index.stats = {
    ms: performance.now() - started,
    pages,
    customers: index.universe.size,
    tags: index.tags.size,
    personalTags: index.personalTags.size,
    bitmapBytes,
  };
  return index;
}
