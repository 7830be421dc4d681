import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import type { TailCursor } from '../../../events/snapshot-cursor.js';
import type { CapturedIndex } from './codec.js';

// Reading and writing snapshot rows (table `index_snapshots`, see src/db/schema/index-snapshots.ts
// for why a table and not a file; PGlite on a data folder keeps files instead, see file-store.ts). A body is split into parts so no single bytea parameter or
// value grows past a few MB: PGlite copies each value through its WebAssembly heap, and a
// PostgreSQL server handles many moderate values better than one huge one.

/** Bytes of body per row. */
export const partBytes = 8 * 1024 * 1024;

// Hashing and concatenating yield to the event loop between slices this big, so a snapshot of a
// large corp never holds requests for more than a few milliseconds at a time.
const sliceBytes = 4 * 1024 * 1024;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The newest applied migration's timestamp (0 without drizzle's journal table): a snapshot from before a migration is rebuilt. */
export async function schemaMark(db: Db): Promise<number> {
  const [table] = await queryRows<{ t: string | null }>(db, sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
  if (!table?.t) return 0;
  const [row] = await queryRows<{ mark: string | number | null }>(db, sql`select max(created_at) as mark from drizzle.__drizzle_migrations`);
  return Number(row?.mark ?? 0);
}

/** A stored snapshot's header: enough to decide whether to read the body at all. */
export type SnapshotHeader = {
  format: number;
  checksum: string;
  cursor: TailCursor;
  schemaMark: number;
  bytes: number;
  parts: number;
  takenAt: Date;
  /** Set when a snapshot exists but its header cannot be read (a damaged file): it is not used. */
  corrupt?: string;
};

/**
 * Where snapshots are kept: the table `index_snapshots` (PostgreSQL, and PGlite in memory), or
 * files in a PGlite data folder (see file-store.ts, for why).
 */
export type SnapshotStore = {
  /** The header of the corp's snapshot, or null when it has none. */
  readHeader(corpId: string): Promise<SnapshotHeader | null>;
  /** The body, or null when it is damaged, truncated or does not match the header. */
  readBody(corpId: string, header: SnapshotHeader): Promise<Uint8Array | null>;
  /** Replaces the corp's snapshot with this capture, atomically. */
  write(captured: CapturedIndex, format: number): Promise<{ bytes: number; parts: number; checksum: string }>;
  /** Removes the corp's snapshot. */
  remove(corpId: string): Promise<void>;
};

/** The table store (see the comment at the top of this file). */
export function tableSnapshotStore(db: Db, opts: { partBytes?: number } = {}): SnapshotStore {
  return {
    readHeader: (corpId) => readHeader(db, corpId),
    readBody: (corpId, header) => readBody(db, corpId, header),
    write: (captured, format) => writeSnapshot(db, captured, format, opts),
    remove: (corpId) => deleteSnapshot(db, corpId),
  };
}

type HeaderRow = {
  format: number;
  checksum: string;
  cursor: { xmax: string; pending: string[]; floor: number };
  schema_mark: string | number;
  bytes: string | number;
  parts: number;
  taken_at: Date | string;
};

/** The header of the corp's snapshot, or null when it has none. */
export async function readHeader(db: Db, corpId: string): Promise<SnapshotHeader | null> {
  const [row] = await queryRows<HeaderRow>(
    db,
    sql`select format, checksum, cursor, schema_mark, bytes, parts, taken_at from index_snapshots where corp_id = ${corpId} and part = 0`,
  );
  if (!row) return null;
  return {
    format: Number(row.format),
    checksum: row.checksum,
    cursor: { xmax: BigInt(row.cursor.xmax), pending: row.cursor.pending.map(BigInt), floor: Number(row.cursor.floor) },
    schemaMark: Number(row.schema_mark),
    bytes: Number(row.bytes),
    parts: Number(row.parts),
    takenAt: new Date(row.taken_at),
  };
}

/**
 * The body of the corp's snapshot, or null when its parts do not belong together (a part missing,
 * or parts of two writes, which one transaction per write rules out unless rows were edited) or
 * the bytes do not hash to the checksum (a damaged or truncated body).
 */
export async function readBody(db: Db, corpId: string, header: SnapshotHeader): Promise<Uint8Array | null> {
  const rows = await queryRows<{ part: number; checksum: string; body: Uint8Array }>(
    db,
    sql`select part, checksum, body from index_snapshots where corp_id = ${corpId} order by part`,
  );
  if (rows.length !== header.parts || rows.some((r, i) => Number(r.part) !== i || r.checksum !== header.checksum)) return null;
  const body = rows.length === 1 ? rows[0]!.body : Buffer.concat(rows.map((r) => r.body));
  if (body.byteLength !== header.bytes) return null;
  return (await sha256(body)) === header.checksum ? body : null;
}

/** The hex sha256 of the bytes, hashed a slice at a time between turns of the event loop. */
export async function sha256(bytes: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.byteLength; at += sliceBytes) {
    hash.update(bytes.subarray(at, at + sliceBytes));
    if (at + sliceBytes < bytes.byteLength) await yieldNow();
  }
  return hash.digest('hex');
}

/** The capture's parts as one body, and its hex sha256, yielding to the event loop between slices. */
export async function concatCaptured(captured: CapturedIndex): Promise<{ body: Buffer; checksum: string }> {
  const body = Buffer.allocUnsafe(captured.bytes);
  const hash = createHash('sha256');
  let at = 0;
  let sinceYield = 0;
  for (const part of captured.parts) {
    body.set(part, at);
    hash.update(part);
    at += part.byteLength;
    sinceYield += part.byteLength;
    if (sinceYield >= sliceBytes) {
      sinceYield = 0;
      await yieldNow();
    }
  }
  return { body, checksum: hash.digest('hex') };
}

/**
 * Stores a captured index as the corp's snapshot, replacing the previous one in one transaction
 * (readers see the old one or the new one, never a mix). Processes writing the same corp's
 * snapshot at once take turns on an advisory lock; the last one wins, and each is consistent.
 */
export async function writeSnapshot(
  db: Db,
  captured: CapturedIndex,
  format: number,
  opts: { partBytes?: number } = {},
): Promise<{ bytes: number; parts: number; checksum: string }> {
  const size = opts.partBytes ?? partBytes;
  const { body, checksum } = await concatCaptured(captured);
  const parts = Math.max(1, Math.ceil(body.byteLength / size));
  const cursor = { xmax: captured.cursor.xmax.toString(), pending: captured.cursor.pending.map(String), floor: captured.cursor.floor };
  const mark = await schemaMark(db);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`index_snapshot:${captured.corpId}`}))`);
    await tx.execute(sql`delete from index_snapshots where corp_id = ${captured.corpId}`);
    for (let part = 0; part < parts; part += 1) {
      const slice = body.subarray(part * size, (part + 1) * size);
      await tx.execute(sql`
        insert into index_snapshots (corp_id, part, parts, format, checksum, cursor, schema_mark, bytes, body)
        values (${captured.corpId}, ${part}, ${parts}, ${format}, ${checksum}, ${JSON.stringify(cursor)}::jsonb, ${mark}, ${body.byteLength}, ${slice})`);
    }
  });
  return { bytes: body.byteLength, parts, checksum };
}

/** Removes the corp's snapshot (tests, and an operator who wants the next start to build afresh). */
export async function deleteSnapshot(db: Db, corpId: string): Promise<void> {
  await db.execute(sql`delete from index_snapshots where corp_id = ${corpId}`);
}
