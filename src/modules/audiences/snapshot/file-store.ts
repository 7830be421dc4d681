import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../../db/client.js';
import type { CapturedIndex } from './codec.js';
import { concatCaptured, deleteSnapshot, type SnapshotHeader, type SnapshotStore, schemaMark, sha256, tableSnapshotStore } from './store.js';

// Snapshots as files, for PGlite on a data folder. PGlite moves a bytea through text in JavaScript
// (measured here: 4.5 MB/s writing, 12 MB/s reading, through its own query() with a Uint8Array
// parameter as through drizzle), so a 1M-customer snapshot would take seconds to minutes in the
// table, on the one connection every request waits for. The table's argument, that every server
// process shares it, does not hold on PGlite: one process owns the folder (DataDirLock). So the
// files go in a subfolder of the data folder, beside the lock's own `tagloom-lock`: whoever holds
// the lock owns them, they move, get backed up and get deleted with the data they describe, and
// PostgreSQL ignores entries of PGDATA it does not know.
//
// A file: magic 'TLSF', layout version and header length (u32 LE each), the header as JSON (corp,
// format, checksum, cursor, schema mark, size, time), then the body exactly as the table keeps it.

/** The subfolder of a PGlite data folder that holds its index snapshots. */
export const snapshotFolderName = 'tagloom-index-snapshots';

const magic = 0x46_53_4c_54; // 'TLSF' read as u32 LE
const layout = 1;
const preambleBytes = 12;
// A header longer than this is not a header of ours (a cursor's pending list is a few ids).
const maxHeaderBytes = 1024 * 1024;

type FileHeader = {
  corpId: string;
  format: number;
  checksum: string;
  cursor: { xmax: string; pending: string[]; floor: number };
  schemaMark: number;
  bytes: number;
  takenAt: string;
};

// Temporary files this process is writing now. The others in a folder are left by a write a crash
// interrupted (one process owns the folder), and are removed at this process's first write there.
const writing = new Set<string>();
const swept = new Set<string>();

async function sweep(dir: string): Promise<void> {
  if (swept.has(dir)) return;
  swept.add(dir);
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (name.includes('.tmp-') && !writing.has(path)) await rm(path, { force: true });
  }
}

/** The file of a corp's snapshot: named by a hash of its id, so no id can name a path elsewhere. */
export function snapshotFile(dir: string, corpId: string): string {
  return join(dir, `${createHash('sha256').update(corpId).digest('hex').slice(0, 40)}.snap`);
}

// The parsed header and where the body starts, null when there is no file, 'unreadable' when it is not one of ours.
async function readFileHeader(path: string): Promise<{ header: FileHeader; bodyAt: number; fileBytes: number } | null | 'unreadable'> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const fileBytes = (await handle.stat()).size;
    if (fileBytes < preambleBytes) return 'unreadable';
    const pre = Buffer.alloc(preambleBytes);
    await handle.read(pre, 0, preambleBytes, 0);
    const length = pre.readUInt32LE(8);
    if (pre.readUInt32LE(0) !== magic || pre.readUInt32LE(4) !== layout || length > maxHeaderBytes || preambleBytes + length > fileBytes) return 'unreadable';
    const text = Buffer.alloc(length);
    await handle.read(text, 0, length, preambleBytes);
    try {
      return { header: JSON.parse(text.toString('utf8')) as FileHeader, bodyAt: preambleBytes + length, fileBytes };
    } catch {
      return 'unreadable';
    }
  } finally {
    await handle.close();
  }
}

/**
 * Snapshots kept as files in `dir` (a PGlite data folder's `tagloom-index-snapshots`). Each write
 * goes to a temporary file that is synced and then renamed over the old one, so a crash leaves
 * the old snapshot or the new one, never a mix; the checksum catches whatever else damages a file.
 */
export function fileSnapshotStore(db: Db, dir: string): SnapshotStore {
  // A file that cannot be parsed, or that names another corp (copied or renamed by hand), reads as
  // a corrupt snapshot: the restore builds afresh and the next save replaces it.
  const unusable = (corpId: string): SnapshotHeader => ({
    format: -1,
    checksum: '',
    cursor: { xmax: 0n, pending: [], floor: 0 },
    schemaMark: -1,
    bytes: 0,
    parts: 0,
    takenAt: new Date(0),
    corrupt: `snapshot file of corp ${corpId} unreadable`,
  });
  return {
    async readHeader(corpId) {
      const path = snapshotFile(dir, corpId);
      const read = await readFileHeader(path).catch(() => 'unreadable' as const);
      if (read === null) return null;
      if (read === 'unreadable' || read.header.corpId !== corpId) return unusable(corpId);
      const h = read.header;
      try {
        return {
          format: Number(h.format),
          checksum: String(h.checksum),
          cursor: { xmax: BigInt(h.cursor.xmax), pending: h.cursor.pending.map(BigInt), floor: Number(h.cursor.floor) },
          schemaMark: Number(h.schemaMark),
          bytes: Number(h.bytes),
          parts: 1,
          takenAt: new Date(h.takenAt),
        };
      } catch {
        return unusable(corpId);
      }
    },

    async readBody(corpId, header) {
      const read = await readFileHeader(snapshotFile(dir, corpId)).catch(() => null);
      if (!read || read === 'unreadable' || read.header.corpId !== corpId || read.header.checksum !== header.checksum) return null;
      if (read.fileBytes - read.bodyAt !== header.bytes) return null;
      const handle = await open(snapshotFile(dir, corpId), 'r');
      try {
        const body = Buffer.allocUnsafe(header.bytes);
        let at = 0;
        while (at < body.byteLength) {
          const { bytesRead } = await handle.read(body, at, body.byteLength - at, read.bodyAt + at);
          if (bytesRead === 0) return null;
          at += bytesRead;
        }
        return (await sha256(body)) === header.checksum ? body : null;
      } finally {
        await handle.close();
      }
    },

    async write(captured: CapturedIndex, format: number) {
      const { body, checksum } = await concatCaptured(captured);
      const header: FileHeader = {
        corpId: captured.corpId,
        format,
        checksum,
        cursor: { xmax: captured.cursor.xmax.toString(), pending: captured.cursor.pending.map(String), floor: captured.cursor.floor },
        schemaMark: await schemaMark(db),
        bytes: body.byteLength,
        takenAt: new Date().toISOString(),
      };
      const text = Buffer.from(JSON.stringify(header), 'utf8');
      const pre = Buffer.alloc(preambleBytes);
      pre.writeUInt32LE(magic, 0);
      pre.writeUInt32LE(layout, 4);
      pre.writeUInt32LE(text.byteLength, 8);
      await mkdir(dir, { recursive: true });
      const path = snapshotFile(dir, captured.corpId);
      const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
      writing.add(tmp);
      try {
        await sweep(dir);
        const handle = await open(tmp, 'wx', 0o600);
        try {
          const { bytesWritten } = await handle.writev([pre, text, body]);
          if (bytesWritten !== pre.byteLength + text.byteLength + body.byteLength) throw new Error(`snapshot file short write: ${bytesWritten} bytes`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, path);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      } finally {
        writing.delete(tmp);
      }
      // The rename itself is durable once the folder is synced.
      const folder = await open(dir, 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
      // A snapshot the table still holds from a start without this folder is superseded.
      await deleteSnapshot(db, captured.corpId);
      return { bytes: body.byteLength, parts: 1, checksum };
    },

    async remove(corpId) {
      await rm(snapshotFile(dir, corpId), { force: true });
    },
  };
}

/** The snapshot folder of a PGlite data folder, created if missing (null for `memory://`: snapshots stay in the table). */
export function snapshotFolderOf(dataDir: string): string | null {
  if (dataDir.startsWith('memory://')) return null;
  const dir = join(dataDir, snapshotFolderName);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The files in `dir` when given (PGlite on a data folder), else the table. */
export function snapshotStoreFor(db: Db, dir: string | undefined): SnapshotStore {
  return dir ? fileSnapshotStore(db, dir) : tableSnapshotStore(db);
}
