import { endianness } from 'node:os';
import roaring from 'roaring';
import type { TailCursor } from '../../../events/snapshot-cursor.js';
import { type Bitmap, serializedSize } from '../index/bitmaps.js';
import { type CorpIndex, type Facet, facetNames } from '../index/corp-index.js';
import { TimeColumn, type TimeRun } from '../index/time-column.js';

// The body of an index snapshot: a small header, a JSON manifest (interned values, the department
// tree, the tail cursor, and where each bitmap and array lies), then the blobs, each at an 8-byte
// boundary: bitmaps in roaring's portable format (the same bytes CRoaring in any language reads),
// time columns as raw little-endian typed arrays (seqs u32, times f64, labels u32). Customers are
// bitmap positions by their `customers.seq`, so the id ↔ position mapping is the customers table
// itself and needs no copy here.

const { RoaringBitmap32 } = roaring;

/**
 * The snapshot format. Bump it whenever the body layout or the meaning of anything indexed changes
 * (a new facet, another key for attribute values, a change to how events are applied): a snapshot
 * of another format is never read, the index is built afresh instead.
 */
export const snapshotFormat = 1;

const magic = 0x54_4c_49_58; // 'TLIX'
const headerBytes = 12; // magic, format, manifest length: u32 LE each

type Slot = [key: string, offset: number, length: number];
type ColumnSlots = { n: number; seqs: number; times: number; labels: number | null };
type Manifest = {
  corpId: string;
  cursor: { xmax: string; pending: string[]; floor: number };
  universe: [offset: number, length: number];
  tags: Slot[];
  personalTags: Slot[];
  facets: Record<string, Slot[]>;
  attributes: [name: string, values: Slot[]][];
  createdAt: ColumnSlots;
  addTime: ColumnSlots;
  chats: ColumnSlots;
  events: [type: string, column: ColumnSlots][];
  eventTargets: [target: string, label: number][];
  chatLabels: [chatId: string, label: number][];
  departments: [deptId: number, parentId: number, region: string | null][];
};

/** A snapshot body under construction: the parts to concatenate, and the cursor it is consistent with. */
export type CapturedIndex = { corpId: string; cursor: TailCursor; parts: Uint8Array[]; bytes: number };

const pad = (n: number) => (8 - (n % 8)) % 8;

/**
 * Captures the index as it is now, synchronously: every bitmap is serialized (a copy) and every time
 * column's sorted arrays are kept by reference (they are never written in place), so the capture is
 * the state after the last applied event, with that event's cursor, however the index changes once
 * this returns. Concatenating and hashing the parts can then happen later, off the request path.
 */
export function captureIndex(index: CorpIndex): CapturedIndex {
  if (endianness() !== 'LE') throw new Error('index snapshots are written on little-endian machines only');
  const blobs: Uint8Array[] = [];
  let offset = 0;
  const put = (bytes: Uint8Array): number => {
    const at = offset;
    blobs.push(bytes);
    offset += bytes.byteLength;
    const gap = pad(bytes.byteLength);
    if (gap > 0) {
      blobs.push(new Uint8Array(gap));
      offset += gap;
    }
    return at;
  };
  const bitmap = (b: Bitmap): [number, number] => {
    const bytes = b.serialize('portable');
    return [put(bytes), bytes.byteLength];
  };
  const slots = (map: Map<string, Bitmap>): Slot[] => [...map].map(([key, b]) => [key, ...bitmap(b)]);
  const column = (c: TimeColumn): ColumnSlots => {
    const run = c.sortedRun();
    const bytes = (a: Uint32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    return { n: run.seqs.length, seqs: put(bytes(run.seqs)), times: put(bytes(run.times)), labels: run.labels ? put(bytes(run.labels)) : null };
  };
  const cursor: TailCursor = { xmax: index.cursor.xmax, pending: [...index.cursor.pending], floor: index.cursor.floor };
  const manifest: Manifest = {
    corpId: index.corpId,
    cursor: { xmax: cursor.xmax.toString(), pending: cursor.pending.map(String), floor: cursor.floor },
    universe: bitmap(index.universe),
    tags: slots(index.tags),
    personalTags: slots(index.personalTags),
    facets: Object.fromEntries(facetNames.map((f) => [f, slots(index.facets[f])])),
    attributes: [...index.attributes].map(([name, values]) => [name, slots(values)]),
    createdAt: column(index.createdAt),
    addTime: column(index.addTime),
    chats: column(index.chats),
    events: [...index.events].map(([type, c]) => [type, column(c)]),
    eventTargets: [...index.eventTargets],
    chatLabels: [...index.chatLabels],
    departments: [...index.departments].map(([id, d]) => [id, d.parentId, d.region]),
  };
  const json = Buffer.from(JSON.stringify(manifest), 'utf8');
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32LE(magic, 0);
  header.writeUInt32LE(snapshotFormat, 4);
  header.writeUInt32LE(json.byteLength, 8);
  const lead = [header, json, new Uint8Array(pad(headerBytes + json.byteLength))];
  const parts = [...lead, ...blobs];
  return { corpId: index.corpId, cursor, parts, bytes: parts.reduce((n, p) => n + p.byteLength, 0) };
}

/** Why a body could not be read: it is not a snapshot of this format, or it is damaged. */
export class SnapshotUnreadable extends Error {
  constructor(
    readonly reason: 'format' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
}

/** The format a body says it is written in, or null when it is too short or not a snapshot at all. */
export function formatOf(body: Uint8Array): number | null {
  if (body.byteLength < headerBytes) return null;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return view.getUint32(0, true) === magic ? view.getUint32(4, true) : null;
}

/**
 * Rebuilds a corp's index from a snapshot body (whose checksum the caller has verified). Throws
 * `SnapshotUnreadable` for another format or a body whose manifest does not fit it.
 */
export function decodeIndex(body: Uint8Array, corpId: string): CorpIndex {
  const started = performance.now();
  const format = formatOf(body);
  if (format === null) throw new SnapshotUnreadable('corrupt', 'not an index snapshot');
  if (format !== snapshotFormat) throw new SnapshotUnreadable('format', `snapshot format ${format}, expected ${snapshotFormat}`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const jsonBytes = view.getUint32(8, true);
  if (headerBytes + jsonBytes > body.byteLength) throw new SnapshotUnreadable('corrupt', 'manifest past the end');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(Buffer.from(body.buffer, body.byteOffset + headerBytes, jsonBytes).toString('utf8')) as Manifest;
  } catch {
    throw new SnapshotUnreadable('corrupt', 'manifest is not JSON');
  }
  if (manifest.corpId !== corpId) throw new SnapshotUnreadable('corrupt', 'snapshot of another corp');
  const base = headerBytes + jsonBytes + pad(headerBytes + jsonBytes);
  const slice = (offset: number, length: number): Uint8Array => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || base + offset + length > body.byteLength)
      throw new SnapshotUnreadable('corrupt', 'a blob lies past the end');
    return body.subarray(base + offset, base + offset + length);
  };
  const bitmap = (offset: number, length: number): Bitmap => RoaringBitmap32.deserialize(slice(offset, length), 'portable');
  const bitmaps = (list: Slot[]) => new Map(list.map(([key, offset, length]) => [key, bitmap(offset, length)]));
  // Copies into fresh arrays: the driver's buffer may sit at an offset a Float64Array cannot start at.
  const u32 = (offset: number, n: number) => {
    const out = new Uint32Array(n);
    new Uint8Array(out.buffer).set(slice(offset, n * 4));
    return out;
  };
  const f64 = (offset: number, n: number) => {
    const out = new Float64Array(n);
    new Uint8Array(out.buffer).set(slice(offset, n * 8));
    return out;
  };
  const column = (c: ColumnSlots): TimeColumn => {
    const run: TimeRun = { seqs: u32(c.seqs, c.n), times: f64(c.times, c.n) };
    if (c.labels !== null) run.labels = u32(c.labels, c.n);
    return TimeColumn.fromRuns([run]);
  };
  const facetList = Object.keys(manifest.facets ?? {});
  if (facetList.length !== facetNames.length || !facetNames.every((f) => facetList.includes(f)))
    throw new SnapshotUnreadable('format', 'the snapshot indexes other facets');
  const index: CorpIndex = {
    corpId,
    universe: bitmap(...manifest.universe),
    tags: bitmaps(manifest.tags),
    personalTags: bitmaps(manifest.personalTags),
    facets: Object.fromEntries(facetNames.map((f) => [f, bitmaps(manifest.facets[f]!)])) as Record<Facet, Map<string, Bitmap>>,
    attributes: new Map(manifest.attributes.map(([name, values]) => [name, bitmaps(values)])),
    createdAt: column(manifest.createdAt),
    addTime: column(manifest.addTime),
    events: new Map(manifest.events.map(([type, c]) => [type, column(c)])),
    eventTargets: new Map(manifest.eventTargets),
    chats: column(manifest.chats),
    chatLabels: new Map(manifest.chatLabels),
    departments: new Map(manifest.departments.map(([id, parentId, region]) => [id, { parentId, region }])),
    cursor: { xmax: BigInt(manifest.cursor.xmax), pending: manifest.cursor.pending.map(BigInt), floor: manifest.cursor.floor },
    stats: { ms: 0, pages: 0, customers: 0, tags: 0, personalTags: 0, bitmapBytes: 0 },
  };
  let bitmapBytes = serializedSize(index.universe);
  for (const map of [index.tags, index.personalTags, ...Object.values(index.facets), ...index.attributes.values()])
    for (const b of map.values()) bitmapBytes += serializedSize(b);
  index.stats = {
    ms: performance.now() - started,
    pages: 0,
    customers: index.universe.size,
    tags: index.tags.size,
    personalTags: index.personalTags.size,
    bitmapBytes,
  };
  return index;
}
