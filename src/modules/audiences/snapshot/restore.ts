import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../../db/client.js';
import { takeSnapshot } from '../../../events/snapshot-cursor.js';
import { type BuildOptions, buildCorpIndex, type CorpIndex } from '../index/corp-index.js';
import { decodeIndex, SnapshotUnreadable, snapshotFormat } from './codec.js';
import { snapshotStoreFor } from './file-store.js';
import { type SnapshotHeader, schemaMark } from './store.js';

/**
 * How a corp's index came to be at start: from its snapshot (then tailed from the snapshot's
 * cursor), or built afresh because the snapshot was missing, of another format, taken before a
 * migration, stale (older than the events it would need are kept, too far behind to be worth
 * tailing, or from another database), or corrupt (parts missing, checksum or manifest wrong).
 */
export type RestorePath = 'snapshot' | 'missing' | 'format' | 'schema' | 'stale' | 'corrupt';

/** Limits on using a snapshot. */
export type RestoreOptions = {
  build?: BuildOptions;
  /**
   * A snapshot older than this is not used. Events are never pruned today (the events table is the
   * audit log and keeps every row), so any snapshot can be tailed; should a retention ever delete
   * events, this must stay below it, or a snapshot would miss the events deleted after it.
   */
  maxAgeMs?: number;
  /** A snapshot with more events than this to tail is not used: a fresh build is cheaper. */
  maxTailEvents?: number;
  /**
   * Keep snapshots as files in this folder instead of the table: a PGlite data folder's
   * `tagloom-index-snapshots` (see file-store.ts). Unset: the table `index_snapshots`.
   */
  dir?: string;
};

/** The index, how it was obtained, and how long that took. */
export type Restored = { index: CorpIndex; path: RestorePath; ms: number; snapshotBytes: number };

const defaultMaxAgeMs = 30 * 24 * 3600 * 1000;
const defaultMaxTailEvents = 500_000;

// Why the stored snapshot cannot be used, or null when it can (then its body is read next).
async function reject(db: Db, corpId: string, header: SnapshotHeader | null, opts: RestoreOptions): Promise<RestorePath | null> {
  if (!header) return 'missing';
  if (header.corrupt) return 'corrupt';
  if (header.format !== snapshotFormat) return 'format';
  if (header.schemaMark !== (await schemaMark(db))) return 'schema';
  if (Date.now() - header.takenAt.getTime() > (opts.maxAgeMs ?? defaultMaxAgeMs)) return 'stale';
  // Transaction ids only grow: a cursor beyond the database's own is from another database (a
  // restored copy, another cluster), whose events this one never had.
  if (header.cursor.xmax > (await takeSnapshot(db)).xmax) return 'stale';
  const limit = opts.maxTailEvents ?? defaultMaxTailEvents;
  const [row] = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from (select 1 from events where corp_id = ${corpId} and seq > ${header.cursor.floor} limit ${limit + 1}) e`,
  );
  return Number(row?.n ?? 0) > limit ? 'stale' : null;
}

/**
 * The corp's index from its snapshot when one is usable, else built from the database. The result
 * still has to be tailed from its cursor (the engine's first refresh does that) to take in what
 * committed after the snapshot.
 */
export async function restoreCorpIndex(db: Db, corpId: string, opts: RestoreOptions = {}): Promise<Restored> {
  const started = performance.now();
  const store = snapshotStoreFor(db, opts.dir);
  const header = await store.readHeader(corpId);
  let path = await reject(db, corpId, header, opts);
  if (path === null && header) {
    const body = await store.readBody(corpId, header);
    if (body) {
      try {
        const index = decodeIndex(body, corpId);
        return { index, path: 'snapshot', ms: performance.now() - started, snapshotBytes: body.byteLength };
      } catch (error) {
        // The checksum held, so the writer wrote something this reader does not understand.
        path = error instanceof SnapshotUnreadable ? error.reason : 'corrupt';
      }
    } else {
      path = 'corrupt';
    }
  }
  const index = await buildCorpIndex(db, corpId, opts.build);
  return { index, path: path ?? 'missing', ms: performance.now() - started, snapshotBytes: 0 };
}
